"""Full-text search tables for briefs and people (see archive/search/).

Vendor-specific DDL, so it lives here and not in model fields or Meta:
PostgreSQL gets a table with weighted tsvectors and GIN indexes, SQLite an
FTS5 virtual table. Both are filled by `manage.py rebuild_search_index` and
kept current on save.
"""

from django.db import migrations

TABLES = ("briefs_brief_search", "briefs_person_search")

POSTGRES = """
CREATE TABLE briefs_brief_search (
    object_id bigint PRIMARY KEY,
    -- Copied from the brief so that a scheduled brief is gated in the index
    -- itself; only published, untrashed briefs have a row at all.
    published_at timestamptz,
    -- Title (A) and summary (B): small, stored in the row, ranked first.
    head tsvector NOT NULL,
    -- head plus body and recommendations (C) and names (D).
    document tsvector NOT NULL
);
-- Used by search: every match of a query.
CREATE INDEX briefs_brief_search_document ON briefs_brief_search USING gin (document);
-- Used by search: title and summary matches, ranked first.
CREATE INDEX briefs_brief_search_head ON briefs_brief_search USING gin (head);
CREATE TABLE briefs_person_search (
    object_id bigint PRIMARY KEY,
    published_at timestamptz,
    head tsvector NOT NULL,
    document tsvector NOT NULL
);
-- Used by search of people by name.
CREATE INDEX briefs_person_search_document ON briefs_person_search USING gin (document);
"""

SQLITE = [
    # Text is folded (Latin, no diacritics) before it is stored; porter adds
    # English stemming. rowid is the object's primary key.
    f"CREATE VIRTUAL TABLE {table} USING fts5(title, summary, body, more, names, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
    for table in TABLES
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in {"postgresql", "sqlite"}:
        for table in TABLES:
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("briefs", "0004_editorial_groups")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
