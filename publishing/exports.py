"""Bulk export: everything public, as files a partner or a library can mirror.

`export_archive(directory=...)` writes, into one folder:

    briefs.jsonl           a public brief per line, as its current edition
                           publishes it: text, metadata, links, CSL
    people.jsonl           people a public edition credits
    actors.jsonl           every actor, with aliases
    agreements.jsonl       every agreement, with parties and sources
    recommendations.jsonl  the recommendations of public editions
    records.jsonl          the public archive as database records, for
                           `manage.py import_archive` (see below)
    pdf/<slug>.pdf         the current edition's PDF of each public brief
    media/<name>           the images (sizes) and attachments that exported
                           editions show, under their storage names
    manifest.json          counts, and the size and SHA-256 of every file above

Briefs are the public editions (`Edition.objects.public()`), read from the
edition only: its snapshot (text, credits, links, recommendations as
published), its number (the version), its public date and its stored
citation record (the CSL item), the same as the page, the feeds, OAI and the
cite files give. People are those a public edition credits, so a draft cannot
reveal its authors; a person's row is the person as their page shows them
now. Actors and agreements are reference records with public pages of their
own and are all exported. Rows are in id order and keys in a fixed order, so
two exports of an unchanged archive are byte-identical apart from the
manifest's time and a mirror can diff them. The manifest is written last: a
mirror that finds it knows the export is whole.

`records.jsonl` holds, in Django's serialization (publishing/backups.py),
everything the public sees, so that `import_archive` can re-create the
public archive byte for byte on an empty database: every edition (all
versions) of the public and withdrawn briefs with their link rows, the old
addresses of those briefs, the people and topics their current editions
link with their institutions, and every actor and agreement with their
aliases, memberships, offices, indicators, parties and sources. Never
drafts, working copies, revisions, review comments, scheduled or trashed
briefs, accounts or API keys; rendered parts are left out and rebuilt. The
recommendation tracker's published assessments of public recommendations
come with their sources, without who wrote or published them.

Format 3 (this one) adds `records.jsonl` to format 2. Format 2 differs from
1: `publication_date` is the brief's public date (never empty),
`released_at` (the current edition's release) replaces `updated_at`, and
recommendations carry the id of the brief's recommendation.
"""

import datetime
import hashlib
import itertools
import json
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, Q
from django.utils import timezone

from actors.models import (
    Actor,
    ActorAlias,
    Agreement,
    AgreementParty,
    AgreementSource,
    Indicator,
    Membership,
    Office,
)
from briefs.models import (
    Assessment,
    AssessmentSource,
    BriefSlugHistory,
    Institution,
    Person,
    Topic,
)
from publishing.backups import serialized
from publishing.citations import csl_item, record_from_json, site_url
from publishing.editions import media_names
from publishing.models import (
    Edition,
    EditionActor,
    EditionCredit,
    EditionRecommendation,
)
from publishing.pdfs import ensure_edition_pdf
from publishing.tracker import public_assessments

# Editions are read a chunk at a time: the snapshot holds the whole text.
CHUNK = 200

MANIFEST = "manifest.json"
MEDIA_FOLDER = "media"
FORMAT = "pupin-archive-export/3"


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


def _public_editions() -> Iterator[Edition]:
    return (
        Edition.objects.public()
        .order_by("brief_id")
        .defer(
            "head_html",
            "article_html",
            "card_html",
            "related_item_html",
            "api_item",
            "api_detail",
            "related",
        )
        .iterator(chunk_size=CHUNK)
    )


def _corrections(brief_ids: list[int]) -> dict[int, list[dict]]:
    """The public notes of each brief's corrections: its editions from 2 on."""
    corrections: dict[int, list[dict]] = {}
    rows = (
        Edition.objects.filter(brief_id__in=brief_ids, number__gt=1)
        .order_by("brief_id", "number")
        .values_list("brief_id", "updated_on", "note")
    )
    for brief_id, updated_on, note in rows:
        corrections.setdefault(brief_id, []).append(
            {"published_on": updated_on, "note": note}
        )
    return corrections


def brief_row(
    edition: Edition, *, corrections: list[dict], pdf_path: str | None
) -> dict:
    """One brief as exported: what its current edition shows, and its citation."""
    content = edition.content
    data = content["brief"]
    record = record_from_json(edition.citation)
    return {
        "id": edition.brief_id,
        "slug": edition.slug,
        "title": edition.title,
        "kind": edition.kind,
        "language": edition.language,
        "summary": data["summary"],
        "body_markdown": data["body"],
        "body_html": edition.body_html,
        "toc": data["toc"],
        "publication_date": edition.public_date,
        "published_at": edition.published_at,
        "released_at": edition.released_at,
        "version": edition.number,
        "corrections": corrections,
        "licence": data["licence"],
        "licence_url": record.licence_url,
        "doi": record.doi,
        "url": site_url(edition.get_absolute_url()),
        "permanent_url": record.url,
        "pdf": pdf_path,
        "topics": [topic["slug"] for topic in content["topics"]],
        "contributors": [
            {
                "person": c["person"]["slug"],
                "name": c["person"]["name"],
                "role": c["role"],
            }
            for c in content["contributors"]
        ],
        "actors": [actor["slug"] for actor in content["actors"]],
        "agreements": [agreement["slug"] for agreement in content["agreements"]],
        "cover": _exported_image((content.get("media") or {}).get("cover")),
        "attachments": [
            {
                "title": a["title"],
                "description": a["description"],
                "type": a["kind"],
                "size": a["size"],
                "path": f"{MEDIA_FOLDER}/{a['file']}",
            }
            for a in (content.get("media") or {}).get("attachments", [])
        ],
        "csl": csl_item(record),
    }


def _exported_image(image: dict | None) -> dict | None:
    if not image:
        return None
    return {
        "alt": image["alt"],
        "credit": image["credit"],
        "licence": image["licence"],
        "sizes": [
            {
                "width": r["width"],
                "height": r["height"],
                "path": f"{MEDIA_FOLDER}/{r['name']}",
            }
            for r in image["renditions"]
        ],
    }


def _copy_media(directory: Path) -> list[str]:
    """Copy every file the exported editions show into media/, by storage
    name (so an import puts them back where the editions expect them)."""
    public = Edition.objects.public().values("brief_id")
    editions = (
        Edition.objects.filter(brief_id__in=public, in_trash=False)
        .order_by("pk")
        .values_list("content", flat=True)
        .iterator(chunk_size=CHUNK)
    )
    copied: list[str] = []
    for name in sorted({n for content in editions for n in media_names(content)}):
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts:
            continue
        target = directory / MEDIA_FOLDER / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with default_storage.open(name, "rb") as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
        except FileNotFoundError:
            continue  # listed in the manifest only if present
        copied.append(f"{MEDIA_FOLDER}/{name}")
    return copied


def recommendation_rows(edition: Edition) -> list[dict]:
    """The edition's recommendations as it makes them."""
    return [
        {
            "id": r["id"],
            "brief": edition.slug,
            "order": r["order"],
            "title": r["title"],
            "body": r["body"],
            "policy_area": r["policy_area"],
            "addressees": [actor["slug"] for actor in r["addressees"]],
        }
        for r in edition.content["recommendations"]
    ]


def _people() -> Iterator[dict]:
    credited = EditionCredit.objects.filter(
        edition__in=Edition.objects.public().values("pk")
    )
    people = (
        Person.objects.filter(pk__in=credited.values("person_id"))
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


def _tombstone(edition: Edition) -> None:
    """What a withdrawn brief still shows: its notice and its citation, no text."""
    edition.content = {
        **edition.content,
        "brief": {**edition.content["brief"], "body": "", "body_html": "", "toc": []},
        "recommendations": [],
    }


# What `records.jsonl` may hold, and all `import_archive` accepts from it.
RECORD_MODELS = frozenset(
    {
        Actor,
        ActorAlias,
        Membership,
        Office,
        Indicator,
        Agreement,
        AgreementParty,
        AgreementSource,
        Institution,
        Person,
        Topic,
        Edition,
        EditionCredit,
        EditionActor,
        EditionRecommendation,
        Assessment,
        AssessmentSource,
        BriefSlugHistory,
    }
)


def _anonymous(assessment: Assessment) -> None:
    """An assessment as the public sees it: who wrote and published it stays home."""
    assessment.created_by_id = None
    assessment.published_by_id = None


def public_records() -> Iterator[str]:
    """The public archive as serialized records (`records.jsonl`, see above)."""
    public = Edition.objects.public()
    briefs = public.values("brief_id")
    # Every version of a public brief is public (/briefs/<slug>/v<N>/).
    editions = Edition.objects.filter(brief_id__in=briefs, in_trash=False)
    tombstones = Edition.objects.withdrawn()
    credited = EditionCredit.objects.filter(edition__in=public)
    people = Person.objects.filter(pk__in=credited.values("person_id"))
    assessments = public_assessments()
    sets = [
        (Actor, None),
        (ActorAlias, None),
        (Membership, None),
        (Office, None),
        (Indicator, None),
        (Agreement, None),
        (AgreementParty, None),
        (AgreementSource, None),
        (Institution, Institution.objects.filter(pk__in=people.values("affiliation"))),
        (Person, people),
        # A tombstone's topics are its OAI sets (its deleted record says them).
        (
            Topic,
            Topic.objects.filter(
                Q(editions__in=public) | Q(editions__in=tombstones)
            ).distinct(),
        ),
        (Edition, editions),
        (EditionCredit, EditionCredit.objects.filter(edition__in=editions)),
        (EditionActor, EditionActor.objects.filter(edition__in=editions)),
        (
            EditionRecommendation,
            EditionRecommendation.objects.filter(edition__in=editions),
        ),
        # The tracker: published assessments of public recommendations.
        (Assessment, assessments),
        (AssessmentSource, AssessmentSource.objects.filter(assessment__in=assessments)),
        (
            BriefSlugHistory,
            BriefSlugHistory.objects.filter(
                Q(brief__in=briefs) | Q(brief__in=tombstones.values("brief_id"))
            ),
        ),
    ]
    assert {model for model, _ in sets} == RECORD_MODELS
    for model, queryset in sets:
        change = _anonymous if model is Assessment else None
        yield from serialized(model, queryset, change=change)
    # A tombstone without its text (its notice, citation and OAI record stay).
    yield from serialized(Edition, tombstones, change=_tombstone)


def _write_lines(path: Path, lines: Iterable[str]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for line in lines:
            handle.write(line + "\n")
            count += 1
    return count


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
        shutil.rmtree(directory / MEDIA_FOLDER, ignore_errors=True)
    (directory / "pdf").mkdir(parents=True, exist_ok=True)


def export_archive(*, directory: Path, with_pdfs: bool = True) -> ExportResult:
    """Write the public archive to `directory` (see the module docstring).

    An earlier export in the same folder is replaced; PDFs of briefs that are
    no longer published are removed from it.
    """
    _prepare(directory)
    result = ExportResult(directory=directory)
    recommendations: list[dict] = []
    pdf_files: list[str] = []

    def briefs() -> Iterator[dict]:
        editions = _public_editions()
        while chunk := list(itertools.islice(editions, CHUNK)):
            corrections = _corrections([e.brief_id for e in chunk])
            for edition in chunk:
                pdf_path = None
                if with_pdfs:
                    pdf_path = f"pdf/{edition.slug}.pdf"
                    name = ensure_edition_pdf(edition)
                    with default_storage.open(name, "rb") as src:
                        with (directory / pdf_path).open("wb") as dst:
                            shutil.copyfileobj(src, dst)
                    pdf_files.append(pdf_path)
                recommendations.extend(recommendation_rows(edition))
                yield brief_row(
                    edition,
                    corrections=corrections.get(edition.brief_id, []),
                    pdf_path=pdf_path,
                )

    written = {
        "briefs.jsonl": _write_jsonl(directory / "briefs.jsonl", briefs()),
        "people.jsonl": _write_jsonl(directory / "people.jsonl", _people()),
        "actors.jsonl": _write_jsonl(directory / "actors.jsonl", _actors()),
        "agreements.jsonl": _write_jsonl(directory / "agreements.jsonl", _agreements()),
        "recommendations.jsonl": _write_jsonl(
            directory / "recommendations.jsonl", recommendations
        ),
        "records.jsonl": _write_lines(directory / "records.jsonl", public_records()),
    }
    for stale in (directory / "pdf").iterdir():
        if f"pdf/{stale.name}" not in pdf_files:
            stale.unlink()

    for name, count in written.items():
        result.counts[name.removesuffix(".jsonl")] = count
    result.counts["pdfs"] = len(pdf_files)
    media_files = _copy_media(directory)
    result.counts["media"] = len(media_files)
    for name in [*written, *pdf_files, *media_files]:
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
