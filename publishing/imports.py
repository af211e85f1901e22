"""`import_archive`: the public archive back from an export, on an empty database.

The counterpart of `export_archive` (publishing/exports.py). An export is
checked whole before anything is written: its manifest must be there (it is
written last, so a partial export has none), in the format this release
writes, and every file it lists must have the size and SHA-256 it gives.
Then, in one transaction, `records.jsonl` is loaded (every edition of the
public and withdrawn briefs, all versions, their links, old addresses, the
people, topics, actors and agreements they show), each brief gets a working
copy made from its current edition (so editors can correct it: status
published or withdrawn, text, credits, actor, agreement and topic links,
recommendations and correction notes as that edition published them), and
everything derived is rebuilt as after a restore (publishing/backups.py):
rendered editions, actor pages, the search index, statistics, the page
cache. PDFs are rendered again from the editions (on a reader's first
request, or at once with `--pdfs`).

What an export does not hold cannot come back: drafts and unpublished
changes, scheduled and trashed briefs, revisions, transitions and review
comments, staff accounts, groups' members and API keys, the admin log,
people's photos (files under MEDIA_ROOT/people/), the media library's rows
and originals, and people and topics no public edition links. Use
`manage.py backup` for all of that. The images and attachments that the
editions show travel in the export's media/ folder and are put back into
the storage under the same names (`restore_media`).
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from briefs.models import (
    Brief,
    BriefActor,
    BriefAgreement,
    Contribution,
    Correction,
    MentionState,
    Recommendation,
    Status,
)
from publishing.backups import (
    after_restore,
    empty_database,
    load_records,
    rebuild_derived,
    refuse_occupied,
)
from publishing.exports import FORMAT, MANIFEST, MEDIA_FOLDER, RECORD_MODELS
from publishing.models import Edition

RECORDS = "records.jsonl"


class ArchiveImportError(Exception):
    """The export is not whole, not ours, or the database is not empty."""


@dataclass
class ImportResult:
    records: int = 0
    briefs: int = 0
    rebuilt: dict[str, int] = field(default_factory=dict)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify_export(directory: Path) -> dict:
    """The export's manifest, once every file it lists is checked; else an error."""
    if not directory.is_dir():
        raise ArchiveImportError(f"{directory} is not a folder.")
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise ArchiveImportError(
            f"{directory} has no {MANIFEST}: not an export, or an incomplete one "
            "(the manifest is written last)."
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = manifest["files"]
        export_format = manifest["format"]
    except (ValueError, KeyError, TypeError):
        raise ArchiveImportError(f"{manifest_path} is damaged.") from None
    if not isinstance(files, list) or not all(isinstance(f, dict) for f in files):
        raise ArchiveImportError(f"{manifest_path} is damaged.")
    if export_format != FORMAT:
        raise ArchiveImportError(
            f"{directory} is an export in format {export_format!r}; this version "
            f"imports {FORMAT!r} only (export it again with this version)."
        )
    problems = []
    listed = set()
    for entry in files:
        name = str(entry.get("path", ""))
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts or not name:
            raise ArchiveImportError(f"{manifest_path} lists a bad path: {name!r}.")
        listed.add(name)
        path = directory / relative
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif path.stat().st_size != entry.get("bytes"):
            problems.append(
                f"{name} has {path.stat().st_size} bytes, not {entry.get('bytes')}"
            )
        elif _sha256(path) != entry.get("sha256"):
            problems.append(f"{name} does not match its SHA-256")
    if RECORDS not in listed:
        problems.append(f"{RECORDS} is not listed")
    if problems:
        raise ArchiveImportError(
            f"{directory} is not the export its manifest describes (changed or "
            f"incomplete): {'; '.join(problems[:5])}"
            + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
            + ". Nothing was imported."
        )
    return manifest


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def working_copies() -> int:
    """Give each imported brief its working copy, as its current edition shows it."""
    notes: dict[int, list[Correction]] = {}
    for brief_id, updated_on, note in (
        Edition.objects.filter(number__gt=1)
        .order_by("brief_id", "number")
        .values_list("brief_id", "updated_on", "note")
    ):
        notes.setdefault(brief_id, []).append(
            Correction(brief_id=brief_id, published_on=updated_on, note=note)
        )
    rows: dict[type, list] = {
        model: []
        for model in (
            Brief,
            Contribution,
            BriefActor,
            BriefAgreement,
            Brief.topics.through,
            Recommendation,
            Recommendation.addressees.through,
            Correction,
        )
    }
    editions = Edition.objects.filter(is_current=True).order_by("brief_id")
    for edition in editions.iterator(chunk_size=100):
        content, pk = edition.content, edition.brief_id
        data = content["brief"]
        rows[Brief].append(
            Brief(
                id=pk,
                title=data["title"],
                slug=edition.slug,
                kind=data["kind"],
                summary=data["summary"],
                body=data["body"],
                body_html=data["body_html"],
                toc=data["toc"],
                language=data["language"],
                publication_date=_date(data["publication_date"]),
                licence=data["licence"],
                featured=data["featured"],
                doi=data["doi"],
                status=Status.WITHDRAWN if edition.withdrawn_at else Status.PUBLISHED,
                published_at=edition.published_at,
                withdrawn_at=edition.withdrawn_at,
                withdrawn_reason=edition.withdrawn_reason,
                created_at=edition.published_at,
            )
        )
        if edition.withdrawn_at:
            continue  # a tombstone: no text, no links (publishing/exports.py)
        rows[Contribution] += [
            Contribution(
                id=c["id"],
                brief_id=pk,
                person_id=c["person"]["id"],
                role=c["role"],
                order=c["order"],
            )
            for c in content["contributors"]
        ]
        rows[BriefActor] += [
            BriefActor(
                brief_id=pk,
                actor_id=a["id"],
                state=MentionState.CONFIRMED,
                first_position=a["position"],
            )
            for a in content["actors"]
        ]
        rows[BriefAgreement] += [
            BriefAgreement(brief_id=pk, agreement_id=a["id"])
            for a in content["agreements"]
        ]
        rows[Brief.topics.through] += [
            Brief.topics.through(brief_id=pk, topic_id=t["id"])
            for t in content["topics"]
        ]
        for r in content["recommendations"]:
            rows[Recommendation].append(
                Recommendation(
                    id=r["id"],
                    brief_id=pk,
                    order=r["order"],
                    title=r["title"],
                    body=r["body"],
                    policy_area=r["policy_area"],
                    # Its published assessments are keyed by it.
                    **({"key": r["key"]} if r.get("key") else {}),
                )
            )
            rows[Recommendation.addressees.through] += [
                Recommendation.addressees.through(
                    recommendation_id=r["id"], actor_id=a["id"]
                )
                for a in r["addressees"]
            ]
        rows[Correction] += notes.get(pk, [])
    for model, objects in rows.items():
        model._base_manager.bulk_create(objects, batch_size=500)
    return len(rows[Brief])


def import_archive(directory: Path, *, replace: bool = False) -> ImportResult:
    """Re-create the public archive of an export (see the module docstring).

    `replace` deletes every record in the database first, in the same
    transaction.
    """
    manifest = verify_export(directory)
    if not replace:
        refuse_occupied()
    result = ImportResult()
    path = directory / RECORDS

    def lines():
        with path.open(encoding="utf-8", newline="\n") as handle:
            yield from handle

    def add_working_copies() -> None:
        result.briefs = working_copies()

    with transaction.atomic():
        if replace:
            empty_database()
        result.records = load_records(
            lines(),
            source=path,
            before_check=add_working_copies,
            allowed=RECORD_MODELS,
        )
        result.rebuilt = rebuild_derived(in_transaction=True)
    restore_media(directory, manifest)
    after_restore()
    return result


def restore_media(directory: Path, manifest: dict) -> int:
    """Put the export's media/ files into the storage under the names the
    editions give them (verified already); files already there are kept."""
    count = 0
    prefix = f"{MEDIA_FOLDER}/"
    for entry in manifest["files"]:
        path = str(entry.get("path", ""))
        if not path.startswith(prefix):
            continue
        name = path.removeprefix(prefix)
        if default_storage.exists(name):
            continue
        with (directory / PurePosixPath(path)).open("rb") as handle:
            default_storage.save(name, File(handle))
        count += 1
    return count
