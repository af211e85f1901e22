"""Record what changed; act on it once, after the transaction commits.

Write functions (the importer, admin saves, workflow moves, renames, actor
edits) and the few signal receivers that stand in for them only *record*
what they changed: `changed("actor", [3, 7])`. The first record in a
transaction registers one `transaction.on_commit` callback; when the
transaction commits, that callback runs each kind's registered handlers once
with every id recorded for it (re-index, prepare actor pages...) and then
retires the content generation of the page cache once
(`kernel.pagecache.bump_generation`). A transaction that rolls back does
nothing; a transaction that records nothing bumps nothing.

Why after commit: the handlers read committed data (another process that
renders a page after the bump must see the new rows), and a publication that
touches thirty rows costs one bump and one pass per kind, not thirty.

Apps register their handlers in `AppConfig.ready()`, so this module imports
no app. Outside a transaction (autocommit) the write is already committed and
the handlers run at once, as `on_commit` does.

Kinds in use: "actor", "agreement", "person" (working records the public sees
directly: their search indexes, actor pages), "actor_page" (an actor's page
shows a changed membership, office or agreement), "edition" (a brief's public
record changed: nothing to prepare, the bump is the point), "assessment" (an
assessment of a recommendation was published or taken back: the bump retires
the brief pages, scorecards, feeds and API answers that show it),
"script_exception" (the house's transliteration exceptions changed: every
Cyrillic page may read differently; languages/apps.py).
"""

import logging
from collections.abc import Callable, Iterable

from django.db import DEFAULT_DB_ALIAS, connections, transaction

logger = logging.getLogger(__name__)

Handler = Callable[[set[int]], None]

_handlers: dict[str, list[Handler]] = {}


def register(kind: str, handler: Handler) -> None:
    """Have `handler(ids)` run after each commit that recorded `kind` changes."""
    handlers = _handlers.setdefault(kind, [])
    if handler not in handlers:
        handlers.append(handler)


class _Pending:
    """The changes of one transaction, and the one callback that acts on them."""

    def __init__(self) -> None:
        self.ids: dict[str, set[int]] = {}
        self.done = False

    def __call__(self) -> None:
        if self.done:  # a test may run the callbacks of a transaction twice
            return
        self.done = True
        run(self.ids)


# The open transaction's pending changes, per database alias. Checked against
# the connection's own list of commit callbacks: a rolled-back transaction (or
# savepoint) discards our callback with it, and then a new one is needed.
_current: dict[str, _Pending] = {}


def changed(
    kind: str, ids: Iterable[int] = (), *, using: str = DEFAULT_DB_ALIAS
) -> None:
    """Record that the records `ids` of `kind` changed in this transaction."""
    ids = {pk for pk in ids if pk is not None}
    connection = connections[using]
    if not connection.in_atomic_block:
        run({kind: ids})
        return
    pending = _current.get(using)
    registered = pending is not None and any(
        func is pending for _, func, _ in connection.run_on_commit
    )
    if pending is None or pending.done or not registered:
        pending = _current[using] = _Pending()
        transaction.on_commit(pending, using=using, robust=True)
    pending.ids.setdefault(kind, set()).update(ids)


IdsOf = Callable[[object], Iterable[int]]


def record_on_save(model: type, kind: str, ids_of: IdsOf) -> None:
    """Record `kind` changes whenever `model` is saved or deleted, by anyone.

    For writes no write function of ours makes (the admin's own saves, a
    shell session): the receivers only record, the after-commit step acts.
    Fixture loading (`raw`) records nothing; `rebuild_search_index` and
    `prepare_actor_pages` cover it.
    """
    from django.db.models.signals import post_delete, post_save

    def receiver(sender: type, instance: object, **kwargs: object) -> None:
        if kwargs.get("raw"):
            return
        changed(kind, ids_of(instance), using=str(kwargs.get("using", "default")))

    uid = f"changes_{model._meta.label_lower}_{kind}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}_s")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}_d")


def pending(using: str = DEFAULT_DB_ALIAS) -> Callable[[], None] | None:
    """The open transaction's after-commit callback, if it has recorded changes.

    For tests, whose transaction never commits: calling it acts on what was
    recorded so far, as a commit would (and only once).
    """
    current = _current.get(using)
    if current is None or current.done:
        return None
    registered = any(func is current for _, func, _ in connections[using].run_on_commit)
    return current if registered else None


def run(changes: dict[str, set[int]]) -> None:
    """Act on committed changes: each kind's handlers once, then one bump.

    A failing handler is logged and the others still run (the generation is
    bumped whatever happens: a stale page is worse than an unprepared one,
    which the views render on the fly).
    """
    from kernel.pagecache import bump_generation

    for kind, ids in changes.items():
        for handler in _handlers.get(kind, ()):
            try:
                handler(set(ids))
            except Exception:
                logger.exception("after-commit handler for %r failed", kind)
    bump_generation()
