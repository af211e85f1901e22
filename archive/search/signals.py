"""Index housekeeping after migrations.

Keeping indexes current is not done by signals: the editions write functions
index editions in their transaction (publishing/editions.py), and the working
records (actors, agreements, people) are re-indexed once per transaction
after commit by handlers their apps register with `kernel.changes`.
"""

from collections.abc import Callable
from typing import Any

from archive.search import get_engine
from archive.search.indexes import SearchIndex

Receiver = Callable[..., None]


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
