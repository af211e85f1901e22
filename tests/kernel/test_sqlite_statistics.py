"""SQLite plans from statistics that only ANALYZE writes: migrate refreshes them."""

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL keeps its planner statistics itself (autovacuum)",
)
@pytest.mark.django_db
def test_migrate_leaves_the_sqlite_planner_statistics_current():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchall() == []
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1")
        assert cursor.fetchone()[0] > 0
