from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def analyze_sqlite(using: str = "default", **kwargs: Any) -> None:
    """Refresh SQLite's planner statistics after every migrate.

    SQLite plans from `sqlite_stat1`, which only ANALYZE writes. An index
    added by a migration has no statistics, and the planner then guesses: at
    1,000 briefs it walked every current edition through the new
    `edition_public_title` index instead of looking up 20 related briefs by
    id, and the brief page went from 3x to 280x a minimal view. PostgreSQL
    keeps its own statistics (autovacuum); it needs nothing here.
    """
    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class KernelConfig(AppConfig):
    """Site-wide plumbing that apps import and that imports no app.

    API base classes, authentication and throttling, the OpenAPI schema class,
    the page cache and its content generation, and partner API keys.
    """

    name = "kernel"
    # The admin groups API keys under "Archive", as before they moved here.
    verbose_name = "Archive"

    def ready(self) -> None:
        # Once per migrate (sent with this app as sender), not once per app.
        post_migrate.connect(analyze_sqlite, sender=self, dispatch_uid="sqlite_analyze")
