"""TEMPORARY SHIM for the demo branch: replaced by the real importer from main.

Only implements the agreed interface, crudely, so that `load_demo` can be
tested before the importer lands. Delete when merging main.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from briefs.models import Brief, Recommendation, Status


class BriefImportError(Exception):
    pass


@dataclass
class ImportResult:
    brief: Brief
    created: bool = False
    updated: bool = False


@transaction.atomic
def import_brief_file(path: Path, *, dry_run: bool = False) -> ImportResult:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise BriefImportError(str(exc)) from exc
    title = lines[0].strip()
    date_index = lines.index("Date:")
    publication_date = datetime.datetime.strptime(
        lines[date_index + 1].strip(), "%B %d, %Y"
    ).date()
    body = "\n\n".join(lines[1:date_index])
    recs = []
    if "Recommendations for Policy Makers" in lines:
        start = lines.index("Recommendations for Policy Makers") + 1
        for line in lines[start:date_index]:
            head, _, rest = line.partition(":")
            recs.append((head.strip(), rest.strip()))
    slug = slugify(title)
    brief = Brief.objects.filter(slug=slug).first()
    created = brief is None
    if created:
        brief = Brief(slug=slug, status=Status.DRAFT)
    fields = {"title": title, "body": body, "publication_date": publication_date}
    changed = created or any(getattr(brief, k) != v for k, v in fields.items())
    for key, value in fields.items():
        setattr(brief, key, value)
    if dry_run:
        return ImportResult(brief=brief, created=created, updated=changed)
    if changed:
        brief.full_clean()
        brief.save()
    for order, (head, rest) in enumerate(recs, start=1):
        if not Recommendation.objects.filter(brief=brief, order=order).exists():
            Recommendation.objects.create(
                brief=brief, order=order, title=head, body=rest or head
            )
    return ImportResult(brief=brief, created=created, updated=changed and not created)
