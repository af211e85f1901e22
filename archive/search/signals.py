"""Index maintenance on save and delete: a decoupled side effect (STYLE 11).

Receivers for the indexes apps register; each app connects them to its own
models in `AppConfig.ready()` (`briefs/search.py`, `actors/search.py`), so
this module knows no model. Saving a Brief re-indexes it at once, so
publishing adds it to search and withdrawing or trashing removes it in the
same transaction. Related rows saved after the brief (recommendations,
contributors, links) are picked up by `briefs.services.refresh_brief`, which
write paths call once they are done. Actors, agreements and people are small
and re-indexed on every change.
"""

from collections.abc import Callable
from typing import Any

from archive.search import get_engine, index_objects, unindex
from archive.search.indexes import SearchIndex

Receiver = Callable[..., None]


def index_on_save(
    index: SearchIndex, *, unindexed_fields: frozenset[str] = frozenset()
) -> Receiver:
    """Re-index the saved object, unless only `unindexed_fields` changed."""

    def receiver(
        sender: type, instance: Any, update_fields: Any = None, **kw: Any
    ) -> None:
        if kw.get("raw"):
            return  # loaddata: the rebuild command indexes fixtures
        if update_fields is not None and set(update_fields) <= unindexed_fields:
            return
        index_objects(index, [instance.pk], using=kw.get("using", "default"))

    return receiver


def unindex_on_delete(index: SearchIndex) -> Receiver:
    def receiver(
        sender: type, instance: Any, using: str = "default", **kw: Any
    ) -> None:
        unindex(index, [instance.pk], using=using)

    return receiver


def reindex_related(index: SearchIndex, attribute: str) -> Receiver:
    """Re-index the object `attribute` points at (the actor of an alias …)."""

    def receiver(
        sender: type, instance: Any, using: str = "default", **kw: Any
    ) -> None:
        if kw.get("raw"):
            return
        pk = getattr(instance, attribute)
        if pk is not None:
            index_objects(index, [pk], using=using)

    return receiver


def prune_after_migrate(*indexes: SearchIndex) -> Receiver:
    """A post_migrate receiver that drops index rows of objects that are gone.

    After `flush` (transactional tests) rows of deleted objects would stay
    behind, and SQLite reuses their ids.
    """

    def receiver(sender: Any, using: str = "default", **kw: Any) -> None:
        from django.db import connections

        tables = set(connections[using].introspection.table_names())
        for index in indexes:
            if index.table in tables:
                get_engine(using).prune(index)

    return receiver
