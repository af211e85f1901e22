"""Cache invalidation, and nothing else (house style: no business logic here).

Two caches depend on content:
- each actor's prepared page (publishing/pages.py): a change to anything the
  page shows bumps that actor's `page_version`, with one UPDATE (brief pages
  are editions, rendered when they are published: nothing to invalidate);
- the whole-page cache and ETags (kernel/pagecache.py): any change to a
  content model retires the content generation.

Signals are the right tool here because they fire whoever saves: the admin,
an importer, the editorial workflow or a shell session. Bulk `QuerySet.update()`
bypasses signals; code that bulk-updates content calls `bump_generation`
itself.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from actors.models import (
    Actor,
    ActorAlias,
    Agreement,
    AgreementParty,
    Membership,
    Office,
)
from briefs.models import (
    Brief,
    Recommendation,
)
from kernel.pagecache import bump_generation_now_and_on_commit
from publishing.pages import invalidate_actor_pages

CONTENT_APPS = {"actors", "briefs"}


@receiver(post_save)
@receiver(post_delete)
def retire_cached_pages(sender, **kwargs) -> None:
    if sender._meta.app_label in CONTENT_APPS:
        bump_generation_now_and_on_commit()


@receiver(m2m_changed, sender=Brief.topics.through)
def brief_topics_changed(sender, instance, action: str, reverse: bool, pk_set, **kw):
    if not action.startswith("post_"):
        return
    bump_generation_now_and_on_commit()


@receiver(m2m_changed, sender=Recommendation.addressees.through)
def addressees_changed(sender, instance, action: str, reverse: bool, pk_set, **kw):
    if not action.startswith("post_"):
        return
    bump_generation_now_and_on_commit()


def _actors_showing_actor(actor_id: int) -> list[int]:
    """Actor pages that name this actor: its own, its memberships' and offices'."""
    related = Membership.objects.filter(
        Q(member_id=actor_id) | Q(organization_id=actor_id)
    ).values_list("member_id", "organization_id")
    held = Office.objects.filter(
        Q(holder_id=actor_id) | Q(of_actor_id=actor_id)
    ).values_list("holder_id", "of_actor_id")
    return [actor_id, *(pk for pair in [*related, *held] for pk in pair)]


@receiver(post_save, sender=Actor)
def actor_saved(sender, instance: Actor, **kwargs) -> None:
    invalidate_actor_pages(_actors_showing_actor(instance.pk))


@receiver(post_save, sender=ActorAlias)
@receiver(post_delete, sender=ActorAlias)
def alias_changed(sender, instance: ActorAlias, **kwargs) -> None:
    invalidate_actor_pages([instance.actor_id])


@receiver(post_save, sender=Agreement)
def agreement_saved(sender, instance: Agreement, **kwargs) -> None:
    invalidate_actor_pages(
        AgreementParty.objects.filter(agreement=instance).values("actor_id")
    )


@receiver(post_save, sender=AgreementParty)
@receiver(post_delete, sender=AgreementParty)
def party_changed(sender, instance: AgreementParty, **kwargs) -> None:
    invalidate_actor_pages([instance.actor_id])


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_changed(sender, instance: Membership, **kwargs) -> None:
    invalidate_actor_pages([instance.member_id, instance.organization_id])


@receiver(post_save, sender=Office)
@receiver(post_delete, sender=Office)
def office_changed(sender, instance: Office, **kwargs) -> None:
    invalidate_actor_pages([instance.holder_id, instance.of_actor_id])
