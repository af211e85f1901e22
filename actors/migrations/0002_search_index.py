"""Full-text search tables for actors and agreements (see archive/search/).

Vendor-specific DDL: PostgreSQL tables with weighted tsvectors and GIN
indexes, SQLite FTS5 virtual tables. Filled by `manage.py
rebuild_search_index` and kept current on save.
"""

from django.db import migrations

TABLES = ("actors_actor_search", "actors_agreement_search")

POSTGRES = "".join(
    f"""
CREATE TABLE {table} (
    object_id bigint PRIMARY KEY,
    published_at timestamptz,
    head tsvector NOT NULL,
    document tsvector NOT NULL
);
-- Used by search by name, alias and description.
CREATE INDEX {table}_document ON {table} USING gin (document);
"""
    for table in TABLES
)

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
    dependencies = [("actors", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
