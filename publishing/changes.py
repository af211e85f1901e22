"""What publishing does after a commit that changed records the public sees.

Registered with `kernel.changes` by `PublishingConfig.ready()`. Saves and
deletes only record what changed (actors/apps.py, actors/search.py,
briefs/search.py); these handlers run once per committed transaction, before
the one content-generation bump.

Briefs need nothing here: what the public sees of a brief is its editions,
which are frozen and written by the editions write functions themselves.
Actor pages are prepared from the working actor records (the reference
layer is public as it is now), so they are prepared again here, at write
time, and a GET never has to (and never does) write.
"""

from django.db.models import Q

from actors.models import Actor, AgreementParty, Membership, Office
from kernel import changes
from publishing.pages import prepare_actor_pages


def actors_showing(actor_ids: set[int]) -> set[int]:
    """Actor pages that name these actors: their own, memberships' and offices'."""
    shown = set(actor_ids)
    for model, one, other in (
        (Membership, "member_id", "organization_id"),
        (Office, "holder_id", "of_actor_id"),
    ):
        rows = model.objects.filter(
            Q(**{f"{one}__in": actor_ids}) | Q(**{f"{other}__in": actor_ids})
        ).values_list(one, other)
        shown.update(pk for pair in rows for pk in pair if pk is not None)
    return shown


def actors_changed(actor_ids: set[int]) -> None:
    prepare_actor_pages(actors_showing(actor_ids))


def agreements_changed(agreement_ids: set[int]) -> None:
    """An actor's page lists the agreements it is a party to."""
    prepare_actor_pages(
        set(
            AgreementParty.objects.filter(agreement__in=agreement_ids).values_list(
                "actor_id", flat=True
            )
        )
    )


def images_changed(image_ids: set[int]) -> None:
    """An actor's page shows its emblem (if cleared): prepare it again.
    Editions are frozen: a library edit reaches a brief at its next publication."""
    prepare_actor_pages(
        set(Actor.objects.filter(emblem__in=image_ids).values_list("pk", flat=True))
    )


def register() -> None:
    changes.register("actor", actors_changed)
    changes.register("actor_page", prepare_actor_pages)
    changes.register("agreement", agreements_changed)
    changes.register("image", images_changed)
