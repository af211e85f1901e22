"""Bulk export: everything public, as files a partner or a library can mirror.

`export_archive(directory=...)` writes, into one folder:

    briefs.jsonl           a published brief per line: text, metadata, links, CSL
    people.jsonl           people credited on a published brief
    actors.jsonl           every actor, with aliases
    agreements.jsonl       every agreement, with parties and sources
    recommendations.jsonl  the recommendations of published briefs
    pdf/<slug>.pdf         the current PDF of each published brief
    manifest.json          counts, and the size and SHA-256 of every file above

Only `Brief.objects.published()` briefs are exported; people are limited to
those credited on one, so a draft cannot reveal its authors. Rows are in id
order and keys in a fixed order, so two exports of an unchanged archive are
byte-identical apart from the manifest's time and a mirror can diff them.
The manifest is written last: a mirror that finds it knows the export is whole.
"""

import datetime
import hashlib
import json
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.utils import timezone

from actors.models import Actor, Agreement, AgreementParty
from briefs.models import (
    Brief,
    BriefActor,
    Contribution,
    MentionState,
    Person,
    Recommendation,
)
from publishing.citations import citation_record, csl_item, site_url
from publishing.pdf import ensure_brief_pdf

MANIFEST = "manifest.json"
FORMAT = "pupin-archive-export/1"


class ExportError(Exception):
    """The export cannot be written where it was asked to go."""


@dataclass
class ExportResult:
    directory: Path
    counts: dict[str, int] = field(default_factory=dict)
    files: list[dict] = field(default_factory=list)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_jsonl(path: Path, rows: Iterable[dict]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, cls=DjangoJSONEncoder))
            handle.write("\n")
            count += 1
    return count


def _published_briefs() -> Iterator[Brief]:
    queryset = (
        Brief.objects.published()
        .order_by("pk")
        .prefetch_related(
            Prefetch(
                "contributions",
                queryset=Contribution.objects.select_related("person"),
            ),
            "topics",
            "corrections",
            "recommendations",  # the PDF prints them
            Prefetch(
                "actor_links",
                queryset=BriefActor.objects.filter(
                    state=MentionState.CONFIRMED
                ).select_related("actor"),
            ),
            "agreement_links__agreement",
        )
    )
    return queryset.iterator(chunk_size=200)


def brief_row(brief: Brief, *, pdf_path: str | None) -> dict:
    """One brief as exported: what the site shows, plus its citation metadata."""
    record = citation_record(brief)
    return {
        "id": brief.pk,
        "slug": brief.slug,
        "title": brief.title,
        "kind": brief.kind,
        "language": brief.language,
        "summary": brief.summary,
        "body_markdown": brief.body,
        "body_html": brief.body_html,
        "toc": brief.toc,
        "publication_date": brief.publication_date,
        "published_at": brief.published_at,
        "updated_at": brief.updated_at,
        "version": record.version,
        "corrections": [
            {"published_on": c.published_on, "note": c.note}
            for c in sorted(brief.corrections.all(), key=lambda c: c.published_on)
        ],
        "licence": brief.licence,
        "licence_url": brief.licence_url,
        "doi": record.doi,
        "url": site_url(brief.get_absolute_url()),
        "permanent_url": record.url,
        "pdf": pdf_path,
        "topics": [topic.slug for topic in brief.topics.all()],
        "contributors": [
            {"person": c.person.slug, "name": c.person.name, "role": c.role}
            for c in sorted(brief.contributions.all(), key=lambda c: (c.order, c.pk))
        ],
        "actors": [link.actor.slug for link in brief.actor_links.all()],
        "agreements": [link.agreement.slug for link in brief.agreement_links.all()],
        "csl": csl_item(record),
    }


def _people(brief_ids: list[int]) -> Iterator[dict]:
    people = (
        Person.objects.filter(contributions__brief_id__in=brief_ids)
        .distinct()
        .select_related("affiliation")
        .order_by("pk")
    )
    for person in people.iterator(chunk_size=500):
        affiliation = person.affiliation
        yield {
            "id": person.pk,
            "slug": person.slug,
            "name": person.name,
            "orcid": person.orcid,
            "bio": person.bio,
            "affiliation": {
                "name": affiliation.name,
                "local_name": affiliation.local_name,
                "url": affiliation.url,
            }
            if affiliation
            else None,
            "url": site_url(person.get_absolute_url()),
        }


def _actors() -> Iterator[dict]:
    for actor in Actor.objects.order_by("pk").prefetch_related("aliases"):
        yield {
            "id": actor.pk,
            "slug": actor.slug,
            "name": actor.name,
            "kind": actor.kind,
            "description": actor.description,
            "iso_code": actor.iso_code,
            "status_note": actor.status_note,
            "aliases": [alias.alias for alias in actor.aliases.all()],
            "url": site_url(actor.get_absolute_url()),
        }


def _agreements() -> Iterator[dict]:
    agreements = Agreement.objects.order_by("pk").prefetch_related(
        Prefetch(
            "parties",
            queryset=AgreementParty.objects.select_related("actor", "signatory"),
        ),
        "sources",
    )
    for agreement in agreements:
        yield {
            "id": agreement.pk,
            "slug": agreement.slug,
            "title": agreement.title,
            "kind": agreement.kind,
            "signed_on": agreement.signed_on,
            "signed_at": agreement.signed_at,
            "status": agreement.status,
            "mutual_defense": agreement.mutual_defense,
            "summary": agreement.summary,
            "key_terms": [
                t.strip() for t in agreement.key_terms.splitlines() if t.strip()
            ],
            "parties": [
                {
                    "actor": party.actor.slug,
                    "signatory": party.signatory.slug if party.signatory else None,
                    "signatory_capacity": party.signatory_capacity,
                }
                for party in agreement.parties.all()
            ],
            "sources": [
                {"title": s.title, "url": s.url} for s in agreement.sources.all()
            ],
            "url": site_url(agreement.get_absolute_url()),
        }


def _recommendations(brief_ids: list[int]) -> Iterator[dict]:
    recommendations = (
        Recommendation.objects.filter(brief_id__in=brief_ids)
        .select_related("brief")
        .prefetch_related("addressees")
        .order_by("brief_id", "order")
    )
    for rec in recommendations:
        yield {
            "id": rec.pk,
            "brief": rec.brief.slug,
            "order": rec.order,
            "title": rec.title,
            "body": rec.body,
            "policy_area": rec.policy_area,
            "addressees": [actor.slug for actor in rec.addressees.all()],
        }


def _prepare(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} is a file, not a folder.")
    if directory.exists() and any(directory.iterdir()):
        if not (directory / MANIFEST).exists():
            # Never write into (or clean) a folder that holds something else.
            raise ExportError(
                f"{directory} is not empty and holds no earlier export; "
                "choose an empty folder."
            )
        (directory / MANIFEST).unlink()  # the export is incomplete until rewritten
    (directory / "pdf").mkdir(parents=True, exist_ok=True)


def export_archive(*, directory: Path, with_pdfs: bool = True) -> ExportResult:
    """Write the public archive to `directory` (see the module docstring).

    An earlier export in the same folder is replaced; PDFs of briefs that are
    no longer published are removed from it.
    """
    _prepare(directory)
    result = ExportResult(directory=directory)
    brief_ids: list[int] = []
    pdf_files: list[str] = []

    def briefs() -> Iterator[dict]:
        for brief in _published_briefs():
            brief_ids.append(brief.pk)
            pdf_path = None
            if with_pdfs:
                pdf_path = f"pdf/{brief.slug}.pdf"
                with default_storage.open(ensure_brief_pdf(brief=brief), "rb") as src:
                    with (directory / pdf_path).open("wb") as dst:
                        shutil.copyfileobj(src, dst)
                pdf_files.append(pdf_path)
            yield brief_row(brief, pdf_path=pdf_path)

    written = {
        "briefs.jsonl": _write_jsonl(directory / "briefs.jsonl", briefs()),
        "people.jsonl": _write_jsonl(directory / "people.jsonl", _people(brief_ids)),
        "actors.jsonl": _write_jsonl(directory / "actors.jsonl", _actors()),
        "agreements.jsonl": _write_jsonl(directory / "agreements.jsonl", _agreements()),
        "recommendations.jsonl": _write_jsonl(
            directory / "recommendations.jsonl", _recommendations(brief_ids)
        ),
    }
    for stale in (directory / "pdf").iterdir():
        if f"pdf/{stale.name}" not in pdf_files:
            stale.unlink()

    for name, count in written.items():
        result.counts[name.removesuffix(".jsonl")] = count
    result.counts["pdfs"] = len(pdf_files)
    for name in [*written, *pdf_files]:
        path = directory / name
        result.files.append(
            {
                "path": name,
                "records": written.get(name),
                "bytes": path.stat().st_size,
                "sha256": _sha256(path),
            }
        )
    manifest = {
        "format": FORMAT,
        "generated_at": timezone.now().astimezone(datetime.UTC),
        "site_url": settings.SITE_URL,
        "publisher": {
            "name": settings.PUBLISHER["name"],
            "local_name": settings.PUBLISHER.get("local_name", ""),
        },
        "counts": result.counts,
        "files": result.files,
    }
    (directory / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
        + "\n",
        encoding="utf-8",
    )
    return result
