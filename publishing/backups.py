"""Backups that work on SQLite and PostgreSQL alike, and what a restore rebuilds.

`write_backup(path)` writes every record the archive keeps (briefs and their
history, editions, people, actors, staff accounts, API keys, the admin log...)
as JSON Lines, in Django's serialization:

    line 1       {"format": FORMAT, "created_at": ..., "migrations": [...]}
    lines 2..N   one record each (`manage.py dumpdata --format jsonl` style)
    last line    {"end": {"records": N, "sha256": <of lines 2..N>}}

What it leaves out, because a database rebuilds it (`rebuild_derived`):

- every edition's rendered parts in every language (its HTML, API and
  citation representations: a pure function of its snapshot,
  publishing/editions.py; the EditionRendering table whole) and every
  actor's prepared pages (publishing/pages.py);
- the search index tables (archive/search: not models);
- content types and permissions, which `migrate` creates: references to them
  (the admin log, groups' permissions) are written as natural keys, and
  groups by their name, so they meet the groups the migrations made;
- sessions: a restored site signs everyone out.

Timestamps keep their microseconds (Django's own JSON encoder cuts them to
milliseconds, which would move every API timestamp by up to a millisecond).

`restore_backup(path)` checks the whole file first (format, migrations, the
count and SHA-256 in its last line), refuses a database that holds records
unless told to replace them, then loads every record and rebuilds what was
left out, all in one transaction: a bad file writes nothing.
"""

import datetime
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    connections,
    models,
    transaction,
)
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from actors.models import Actor
from archive import search
from kernel.apps import analyze_sqlite
from kernel.pagecache import bump_generation
from publishing.editions import rebuild_editions
from publishing.models import Edition
from publishing.pages import prepare_actor_pages

FORMAT = "pupin-archive-backup/1"
CHUNK = 500

# Records `migrate` makes, or nobody needs back.
_NOT_CARRIED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
# Records the migrations create in a fresh database, met by natural key.
_MADE_BY_MIGRATE = {"auth.group"}
# Columns a database rebuilds from the others (rebuild_derived).
DERIVED_FIELDS = {
    "publishing.edition": {
        "body_html",
        "head_html",
        "article_html",
        "card_html",
        "related_item_html",
        "citation",
        "api_item",
        "api_detail",
    },
    "actors.actor": {
        "page_version",
        "rendered_version",
        "rendered_head",
        "rendered_parts",
        "rendered_languages",
    },
}
# Tables a database rebuilds whole (rebuild_derived): editions' renderings in
# the languages besides English.
DERIVED_MODELS = {"publishing.editionrendering"}


class BackupError(Exception):
    """The backup cannot be written, or this file cannot be restored here."""


class _ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times keep their microseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.time):
            value = o.isoformat()
            return (
                value.removesuffix("+00:00") + "Z"
                if value.endswith("+00:00")
                else value
            )
        return super().default(o)


@dataclass
class BackupResult:
    path: Path
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return sum(self.counts.values())


def carried_models() -> list[type[models.Model]]:
    """Every model a backup holds, each after the ones its natural keys name."""
    app_list = [(config, None) for config in apps.get_app_configs()]
    ordered = serializers.sort_dependencies(app_list, allow_cycles=True)
    return [
        model
        for model in ordered
        if model._meta.label_lower not in _NOT_CARRIED | DERIVED_MODELS
        and model._meta.managed
        and not model._meta.proxy
    ]


def _fields(model: type[models.Model]) -> list[str] | None:
    derived = DERIVED_FIELDS.get(model._meta.label_lower)
    if not derived:
        return None
    return [
        f.name
        for f in [*model._meta.local_fields, *model._meta.local_many_to_many]
        if not f.primary_key and f.name not in derived
    ]


def _wanted(field: models.Field, fields: list[str] | None) -> bool:
    return fields is None or field.name in fields


def _applied_migrations(using: str) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def serialized(
    model: type[models.Model],
    queryset: models.QuerySet | None = None,
    *,
    using: str = DEFAULT_DB_ALIAS,
    change: Callable[[models.Model], None] | None = None,
) -> Iterator[str]:
    """The rows (all, or `queryset`'s) as JSON lines, in primary key order.

    Without the model's derived columns (DERIVED_FIELDS); `change(obj)` may
    alter each row before it is written (never saved). References to content
    types, permissions, groups and users are natural keys.
    """
    if queryset is None:
        queryset = model._base_manager.using(using)
    queryset = queryset.order_by("pk")
    fields = _fields(model)
    options = {
        "use_natural_foreign_keys": True,
        # Groups meet the ones `migrate` made by name; everything else keeps
        # its id (ids are public: /b/<id>/, OAI identifiers, the API).
        "use_natural_primary_keys": model._meta.label_lower in _MADE_BY_MIGRATE,
        "cls": _ExactEncoder,
    }
    if fields is not None:
        options["fields"] = fields
    # Queries per chunk, not per row: many-to-many values and the rows that
    # natural keys name are read with the chunk.
    many = [f.name for f in model._meta.local_many_to_many if _wanted(f, fields)]
    named = [
        f.name
        for f in model._meta.local_fields
        if f.is_relation
        and hasattr(f.related_model, "natural_key")
        and _wanted(f, fields)
    ]
    queryset = queryset.prefetch_related(*many)
    if named:
        queryset = queryset.select_related(*named)
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        chunk = list(page[:CHUNK])
        if not chunk:
            return
        if change is not None:
            for obj in chunk:
                change(obj)
        # One record a line: JSON escapes every newline inside a value
        # (splitlines() would also cut at U+2028 and the like, which it keeps).
        text = serializers.serialize("jsonl", chunk, **options)
        yield from text.rstrip("\n").split("\n")
        if len(chunk) < CHUNK:
            return
        last = chunk[-1].pk


def write_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Write every carried record to `path` (see the module docstring).

    Read in one transaction, so the file is one moment of the archive (on
    PostgreSQL a REPEATABLE READ snapshot); written to `path.partial` and
    renamed at the end, so a file at `path` is always whole. Readable by its
    owner only: it holds password and API key hashes.
    """
    if path.exists() and path.is_dir():
        raise BackupError(f"{path} is a folder; give a file name.")
    result = BackupResult(path=path)
    partial = path.with_name(path.name + ".partial")
    connection = connections[using]
    # Inside a caller's transaction (a test), its snapshot is the one read.
    own_transaction = not connection.in_atomic_block
    digest = hashlib.sha256()
    try:
        partial.unlink(missing_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with (
            transaction.atomic(using=using),
            open(descriptor, "w", encoding="utf-8", newline="\n") as out,
        ):
            if connection.vendor == "postgresql" and own_transaction:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"
                    )
            header = {
                "format": FORMAT,
                "created_at": timezone.now().astimezone(datetime.UTC).isoformat(),
                "database": connection.vendor,
                "migrations": _applied_migrations(using),
            }
            out.write(json.dumps(header) + "\n")
            for model in carried_models():
                count = 0
                for line in serialized(model, using=using):
                    data = (line + "\n").encode()
                    digest.update(data)
                    out.write(line + "\n")
                    count += 1
                result.counts[model._meta.label] = count
            end = {"end": {"records": result.records, "sha256": digest.hexdigest()}}
            out.write(json.dumps(end) + "\n")
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return result


# --- Restore ----------------------------------------------------------------------


@dataclass
class RestoreResult:
    records: int = 0
    rebuilt: dict[str, int] = field(default_factory=dict)


def _check_file(path: Path, *, using: str) -> int:
    """Read the whole file once; refuse it with a reason before anything is written.

    Returns the number of records it holds.
    """
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    digest = hashlib.sha256()
    records = 0
    header = end = None
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if end is not None:
                raise BackupError(f"{path}: line {number} follows the end line.")
            if not raw.endswith(b"\n"):
                raise BackupError(
                    f"{path} is incomplete: line {number} is cut short "
                    "(a truncated copy?)."
                )
            try:
                row = json.loads(raw)
            except ValueError:
                raise BackupError(
                    f"{path} is damaged: line {number} is not JSON."
                ) from None
            if number == 1:
                header = row
                if not isinstance(row, dict) or "format" not in row:
                    raise BackupError(
                        f"{path} is not an archive backup (its first line has no "
                        f"format); expected {FORMAT}."
                    )
                if row["format"] != FORMAT:
                    raise BackupError(
                        f"{path} is a backup in format {row['format']!r}; this "
                        f"version restores {FORMAT!r} only."
                    )
                continue
            if isinstance(row, dict) and set(row) == {"end"}:
                end = row["end"]
                continue
            digest.update(raw)
            records += 1
    if header is None:
        raise BackupError(f"{path} is empty.")
    if end is None:
        raise BackupError(
            f"{path} is incomplete: its end line is missing (a truncated copy?)."
        )
    if (
        not isinstance(end, dict)
        or end.get("records") != records
        or end.get("sha256") != digest.hexdigest()
    ):
        raise BackupError(
            f"{path} is damaged: it holds {records} records that do not match "
            "the count and SHA-256 its end line gives."
        )
    here = _applied_migrations(using)
    theirs = header.get("migrations")
    if not isinstance(theirs, list) or not all(isinstance(m, str) for m in theirs):
        raise BackupError(f"{path} is damaged: its header lists no migrations.")
    theirs = sorted(theirs)
    if theirs != here:
        missing = sorted(set(theirs) - set(here))
        extra = sorted(set(here) - set(theirs))
        raise BackupError(
            "The backup was taken at other migrations than this database's: "
            + (
                f"it has {', '.join(missing[:5])} that this database lacks; "
                if missing
                else ""
            )
            + (
                f"this database has {', '.join(extra[:5])} that it lacks; "
                if extra
                else ""
            )
            + "restore it with the release that made it (then upgrade and migrate)."
        )
    return records


def occupied(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Carried models that hold records (what `migrate` makes aside)."""
    found = []
    for model in carried_models():
        if model._meta.label_lower in _MADE_BY_MIGRATE:
            continue
        if model._base_manager.using(using).exists():
            found.append(model._meta.label)
    return found


def _tables() -> list[type[models.Model]]:
    """The carried models and their many-to-many tables."""
    found = []
    for model in carried_models():
        found.append(model)
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through._meta.auto_created:
                found.append(through)
    return found


def empty_database(using: str = DEFAULT_DB_ALIAS) -> None:
    """Delete every carried record, and the sessions (ids may now mean others)."""
    from django.contrib.sessions.models import Session

    derived = [apps.get_model(label) for label in sorted(DERIVED_MODELS)]
    for model in [*derived, *reversed(_tables()), Session]:
        model._base_manager.using(using).all()._raw_delete(using)


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="\n") as handle:
        next(handle)  # the header
        for line in handle:
            if line.startswith('{"end":'):
                return
            yield line


def load_records(
    lines: Iterable[str],
    *,
    using: str = DEFAULT_DB_ALIAS,
    source: Path,
    before_check: Callable[[], None] | None = None,
    allowed: frozenset[type[models.Model]] | None = None,
) -> int:
    """Save serialized records as they are (as loaddata does); returns how many.

    Foreign keys are checked once at the end, after `before_check` (which may
    add the rows the records point at); inside the caller's transaction.
    With `allowed`, a record of any other model is refused before it is
    saved: a file written elsewhere must not bring accounts or keys.
    """
    connection = connections[using]
    count = 0
    deferred = []
    try:
        with connection.constraint_checks_disabled():
            for obj in serializers.deserialize(
                "jsonl", lines, using=using, handle_forward_references=True
            ):
                if allowed is not None and type(obj.object) not in allowed:
                    raise BackupError(
                        f"{source}: record {count + 1} is a "
                        f"{obj.object._meta.label}, which this file may not hold"
                    )
                obj.save(using=using)
                count += 1
                if obj.deferred_fields:
                    deferred.append(obj)
            for obj in deferred:
                obj.save_deferred_fields(using=using)
            if before_check is not None:
                before_check()
        tables = _tables()
        connection.check_constraints(table_names=[m._meta.db_table for m in tables])
    except (DeserializationError, DatabaseError, ValueError) as error:
        # Raised inside the caller's transaction, which rolls back.
        raise BackupError(f"{source}: a record cannot be restored: {error}") from error
    statements = connection.ops.sequence_reset_sql(no_style(), tables)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    return count


def refuse_occupied(using: str = DEFAULT_DB_ALIAS) -> None:
    if found := occupied(using):
        raise BackupError(
            "This database is not empty (it holds "
            + ", ".join(found[:5])
            + (" …" if len(found) > 5 else "")
            + "): use a fresh one (migrate an empty database), or pass "
            "--force to replace everything in it."
        )


def restore_backup(
    path: Path, *, replace: bool = False, using: str = DEFAULT_DB_ALIAS
) -> RestoreResult:
    """Load a backup into an empty database and rebuild what it left out.

    `replace` deletes the database's records first (in the same transaction).
    """
    expected = _check_file(path, using=using)
    if not replace:
        refuse_occupied(using)
    result = RestoreResult()
    with transaction.atomic(using=using):
        if replace:
            empty_database(using)
        result.records = load_records(_lines(path), using=using, source=path)
        if result.records != expected:
            raise BackupError(f"{path}: {result.records} of {expected} records read.")
        result.rebuilt = rebuild_derived(in_transaction=True)
    after_restore()
    return result


def rebuild_derived(*, in_transaction: bool = False) -> dict[str, int]:
    """Rebuild every table and column made from the others.

    Editions' rendered parts (from their snapshots), actors' prepared pages,
    every search index. Run by `restore`, and by `manage.py rebuild_derived`
    after a `pg_restore` or a `loaddata`. Returns what was rebuilt, by name.
    """
    rebuilt: dict[str, int] = {}
    with transaction.atomic():
        rebuilt["editions"] = rebuild_editions()
        rebuilt["actor pages"] = prepare_actor_pages(
            Actor.objects.values_list("pk", flat=True)
        )
        for index in search.INDEXES:
            rebuilt[index.table] = search.rebuild(index)
    if not in_transaction:
        after_restore()
    return rebuilt


def after_restore() -> None:
    """Fresh planner statistics and a new page cache generation."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        analyze_sqlite(DEFAULT_DB_ALIAS)
    bump_generation()


def render_pdfs() -> int:
    """Render the PDFs of every edition a reader may ask for (missing ones only):
    a Serbian brief's in both scripts."""
    from publishing.pdfs import ensure_edition_pdf, pdf_languages

    count = 0
    for edition in Edition.objects.filter(in_trash=False).iterator(chunk_size=50):
        for language in pdf_languages(edition.language):
            ensure_edition_pdf(edition, language)
        count += 1
    return count
