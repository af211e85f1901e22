"""Cache invalidation, and nothing else (house style: no business logic here).

Two caches depend on content:
- each brief's prepared page (publishing/pages.py): a change to anything the page
  shows bumps that brief's `page_version`, with one UPDATE;
- the whole-page cache and ETags (kernel/pagecache.py): any change to a
  content model retires the content generation.

Signals are the right tool here because they fire whoever saves: the admin,
an importer, the editorial workflow or a shell session. Bulk `QuerySet.update()`
bypasses signals; code that bulk-updates content calls `invalidate_brief_pages`
and `bump_generation` itself.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from actors.models import (
    Actor,
    ActorAlias,
    Agreement,
    AgreementParty,
    Membership,
    Office,
)
from briefs.hooks import briefs_changed_in_bulk
from briefs.models import (
    Brief,
    BriefActor,
    BriefAgreement,
    Contribution,
    Correction,
    Institution,
    MentionState,
    Person,
    Recommendation,
    RelatedCandidate,
    Status,
    Topic,
)
from kernel.pagecache import bump_generation_now_and_on_commit
from publishing.pages import (
    invalidate_actor_pages,
    invalidate_brief_pages,
    related_candidates,
)

CONTENT_APPS = {"actors", "briefs"}


@receiver(post_save)
@receiver(post_delete)
def retire_cached_pages(sender, **kwargs) -> None:
    if sender._meta.app_label in CONTENT_APPS:
        bump_generation_now_and_on_commit()


@receiver(post_save, sender=Brief)
def brief_saved(sender, instance: Brief, **kwargs) -> None:
    invalidate_brief_pages([instance.pk])
    # Pages whose related block lists this brief show its title and date.
    invalidate_brief_pages(
        RelatedCandidate.objects.filter(other=instance).values("brief_id")
    )
    if instance.status == Status.PUBLISHED and instance.deleted_at is None:
        # A brief that is (or will be) public may now belong in the related
        # blocks of the briefs closest to it: have those prepared again.
        invalidate_brief_pages(
            related_candidates(
                brief_id=instance.pk,
                actor_ids=list(
                    instance.actor_links.filter(
                        state=MentionState.CONFIRMED
                    ).values_list("actor_id", flat=True)
                ),
                agreement_ids=list(
                    instance.agreement_links.values_list("agreement_id", flat=True)
                ),
                topic_ids=list(instance.topics.values_list("pk", flat=True)),
            )
        )


@receiver(post_save, sender=Contribution)
@receiver(post_delete, sender=Contribution)
@receiver(post_save, sender=BriefActor)
@receiver(post_delete, sender=BriefActor)
@receiver(post_save, sender=BriefAgreement)
@receiver(post_delete, sender=BriefAgreement)
@receiver(post_save, sender=Recommendation)
@receiver(post_delete, sender=Recommendation)
@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Correction)
def part_of_brief_changed(sender, instance, **kwargs) -> None:
    invalidate_brief_pages([instance.brief_id])


@receiver(m2m_changed, sender=Brief.topics.through)
def brief_topics_changed(sender, instance, action: str, reverse: bool, pk_set, **kw):
    if not action.startswith("post_"):
        return
    if reverse:  # topic.briefs.add(...): pk_set holds brief ids (None on clear)
        invalidate_brief_pages(
            pk_set if pk_set is not None else Brief.objects.filter(topics=instance)
        )
    else:
        invalidate_brief_pages([instance.pk])
    bump_generation_now_and_on_commit()


@receiver(m2m_changed, sender=Recommendation.addressees.through)
def addressees_changed(sender, instance, action: str, reverse: bool, pk_set, **kw):
    if not action.startswith("post_"):
        return
    if reverse:  # actor.recommendations_received.add(...): pk_set = recommendations
        recommendations = Recommendation.objects.filter(
            Q(pk__in=pk_set or []) | Q(addressees=instance)
        )
        invalidate_brief_pages(recommendations.values("brief_id"))
    else:
        invalidate_brief_pages([instance.brief_id])
    bump_generation_now_and_on_commit()


@receiver(post_save, sender=Person)
def person_saved(sender, instance: Person, **kwargs) -> None:
    invalidate_brief_pages(
        Contribution.objects.filter(person=instance).values("brief_id")
    )


@receiver(post_save, sender=Institution)
def institution_saved(sender, instance: Institution, **kwargs) -> None:
    invalidate_brief_pages(
        Contribution.objects.filter(person__affiliation=instance).values("brief_id")
    )


@receiver(post_save, sender=Topic)
@receiver(pre_delete, sender=Topic)  # before the cascade removes the links
def topic_saved(sender, instance: Topic, **kwargs) -> None:
    invalidate_brief_pages(Brief.objects.filter(topics=instance).values("pk"))


def _briefs_showing_actor(actor_id: int) -> list[int]:
    linked = BriefActor.objects.filter(actor_id=actor_id).values_list(
        "brief_id", flat=True
    )
    addressed = Recommendation.objects.filter(addressees=actor_id).values_list(
        "brief_id", flat=True
    )
    return [*linked, *addressed]


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
    invalidate_brief_pages(_briefs_showing_actor(instance.pk))
    invalidate_actor_pages(_actors_showing_actor(instance.pk))


@receiver(post_save, sender=ActorAlias)
@receiver(post_delete, sender=ActorAlias)
def alias_changed(sender, instance: ActorAlias, **kwargs) -> None:
    # A new alias can create a first mention to link in the body.
    invalidate_brief_pages(_briefs_showing_actor(instance.actor_id))
    invalidate_actor_pages([instance.actor_id])


@receiver(post_save, sender=Agreement)
def agreement_saved(sender, instance: Agreement, **kwargs) -> None:
    invalidate_brief_pages(
        BriefAgreement.objects.filter(agreement=instance).values("brief_id")
    )
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


@receiver(briefs_changed_in_bulk, dispatch_uid="pages_briefs_changed_in_bulk")
def briefs_changed_in_bulk_invalidate(sender, brief_ids, **kwargs) -> None:
    """Bulk writes (mention counts, states) send no model signals."""
    invalidate_brief_pages(brief_ids)
