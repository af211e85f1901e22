"""Index maintenance on save and delete: a decoupled side effect (STYLE 11).

Saving a Brief re-indexes it at once, so publishing adds it to search and
withdrawing or trashing removes it in the same transaction. Related rows
saved after the brief (recommendations, contributors, links) are picked up by
`briefs.services.refresh_brief`, which write paths call once they are done.
Actors, agreements and people are small and re-indexed on every change.
"""

from typing import Any

from django.db.models.signals import post_delete, post_migrate, post_save

from archive import search

# A brief saved with only these fields changed keeps its search document.
_UNINDEXED_BRIEF_FIELDS = frozenset({"featured", "updated_at", "doi", "licence"})


def _brief_saved(
    sender: type, instance: Any, update_fields: Any = None, **kw: Any
) -> None:
    if kw.get("raw"):
        return  # loaddata: the rebuild command indexes fixtures
    if update_fields is not None and set(update_fields) <= _UNINDEXED_BRIEF_FIELDS:
        return
    search.index_objects(search.BRIEFS, [instance.pk], using=kw.get("using", "default"))


def _deleted(index: search.SearchIndex) -> Any:
    def receiver(
        sender: type, instance: Any, using: str = "default", **kw: Any
    ) -> None:
        search.unindex(index, [instance.pk], using=using)

    return receiver


def _reindex(index: search.SearchIndex, attribute: str) -> Any:
    """Re-index the object `attribute` points at (the actor of an alias …)."""

    def receiver(
        sender: type, instance: Any, using: str = "default", **kw: Any
    ) -> None:
        if kw.get("raw"):
            return
        pk = getattr(instance, attribute)
        if pk is not None:
            search.index_objects(index, [pk], using=using)

    return receiver


def _pruned(sender: Any, using: str = "default", **kw: Any) -> None:
    # After `flush` (transactional tests) rows of deleted objects would stay
    # behind, and SQLite reuses their ids.
    from django.db import connections

    tables = set(connections[using].introspection.table_names())
    for index in search.INDEXES:
        if index.table in tables:
            search.get_engine(using).prune(index)


def connect() -> None:
    from actors.models import Actor, ActorAlias, Agreement, AgreementParty
    from briefs.mentions import clear_cache
    from briefs.models import Brief, Person

    post_save.connect(_brief_saved, sender=Brief, dispatch_uid="search_brief_saved")
    for model, index in (
        (Brief, search.BRIEFS),
        (Actor, search.ACTORS),
        (Agreement, search.AGREEMENTS),
        (Person, search.PEOPLE),
    ):
        post_delete.connect(_deleted(index), sender=model, weak=False,
                            dispatch_uid=f"search_{index.table}_deleted")  # fmt: skip
    for model, index, attribute, uid in (
        (Actor, search.ACTORS, "pk", "actor"),
        (ActorAlias, search.ACTORS, "actor_id", "alias"),
        (Agreement, search.AGREEMENTS, "pk", "agreement"),
        (AgreementParty, search.AGREEMENTS, "agreement_id", "party"),
        (Person, search.PEOPLE, "pk", "person"),
    ):
        receiver = _reindex(index, attribute)
        post_save.connect(
            receiver, sender=model, weak=False, dispatch_uid=f"search_{uid}_saved"
        )
        if model not in (Actor, Agreement, Person):
            post_delete.connect(
                receiver, sender=model, weak=False, dispatch_uid=f"search_{uid}_deleted"
            )

    def aliases_changed(**kw: Any) -> None:
        clear_cache()

    # Kept alive by this module-level reference (signals hold weak ones).
    connect.aliases_changed = aliases_changed  # type: ignore[attr-defined]

    for model in (Actor, ActorAlias):
        uid = f"mentions_{model.__name__}"
        post_save.connect(aliases_changed, sender=model, dispatch_uid=f"{uid}_saved")
        post_delete.connect(aliases_changed, sender=model, dispatch_uid=f"{uid}_del")
    from django.apps import apps

    post_migrate.connect(
        _pruned, sender=apps.get_app_config("briefs"), dispatch_uid="search_prune"
    )
