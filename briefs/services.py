"""Write functions for briefs that touch more than one model.

Callers (admin, importers, the demo loader, the editorial workflow) call
`refresh_brief(brief=...)` after a brief *and its related rows* have been
saved: it records actor mentions.

None of these writes changes a public byte: the public sees a brief's
editions (publishing), which are built when it is published and take its
mentions, credits and text then. So nothing here re-indexes search or
retires cached pages; a draft edit costs no cache-generation bump.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet

from archive import search
from briefs.hooks import public_record
from briefs.mentions import get_scanner
from briefs.models import (
    Attachment,
    Brief,
    BriefActor,
    BriefSlugHistory,
    MentionState,
    attachment_name,
)
from library.uploads import sniff_attachment


def mention_text(brief: Brief) -> str:
    """The text scanned for mentions; `first_position` is an offset into it.

    Title, summary, the body as plain text, then each recommendation, one
    blank line apart.
    """
    parts = [brief.title, brief.summary, search.markdown_to_text(brief.body)]
    for recommendation in brief.recommendations.all():
        parts += [recommendation.title, search.markdown_to_text(recommendation.body)]
    return "\n\n".join(part for part in parts if part)


@dataclass
class ScanResult:
    suggested: list[int] = field(default_factory=list)  # actor ids newly suggested
    updated: int = 0
    removed: int = 0


@transaction.atomic
def scan_mentions(*, brief: Brief) -> ScanResult:
    """Record the actors `brief` mentions as links, keeping editors' decisions.

    New mentions become SUGGESTED links. Existing links get fresh counts and
    positions whatever their state: a CONFIRMED link stays confirmed (even
    with no mention left: an editor may link an actor the text does not
    name), a REJECTED link stays rejected so it never comes back, and a
    SUGGESTED link whose mention has gone from the text is removed.
    """
    mentions = get_scanner().scan(mention_text(brief))
    result = ScanResult()
    existing = {link.actor_id: link for link in brief.actor_links.all()}
    changed = []
    for actor_id, link in existing.items():
        mention = mentions.get(actor_id)
        count = mention.count if mention else 0
        position = mention.first_position if mention else None
        if mention is None and link.state == MentionState.SUGGESTED:
            continue
        if (link.mention_count, link.first_position) != (count, position):
            link.mention_count, link.first_position = count, position
            changed.append(link)
    BriefActor.objects.bulk_update(changed, ["mention_count", "first_position"])
    result.updated = len(changed)
    stale = [
        link.pk
        for actor_id, link in existing.items()
        if link.state == MentionState.SUGGESTED and actor_id not in mentions
    ]
    result.removed, _ = BriefActor.objects.filter(pk__in=stale).delete()
    new = [
        BriefActor(
            brief=brief,
            actor_id=mention.actor_id,
            state=MentionState.SUGGESTED,
            mention_count=mention.count,
            first_position=mention.first_position,
        )
        for actor_id, mention in mentions.items()
        if actor_id not in existing
    ]
    BriefActor.objects.bulk_create(new)
    result.suggested = [link.actor_id for link in new]
    return result


@transaction.atomic
def refresh_brief(*, brief: Brief) -> ScanResult:
    """Scan for mentions: call after saving a brief's related rows."""
    return scan_mentions(brief=brief)


@transaction.atomic
def set_mention_state(*, links: QuerySet[BriefActor], state: MentionState) -> int:
    """Confirm or reject actor links.

    Confirmed actors are shown (and searched) from the brief's next edition.
    """
    return links.exclude(state=state).update(state=state)


@transaction.atomic
def confirm_suggested_mentions(*, briefs: QuerySet[Brief]) -> int:
    """Confirm every suggested actor link of these briefs; returns how many."""
    return set_mention_state(
        links=BriefActor.objects.filter(brief__in=briefs, state=MentionState.SUGGESTED),
        state=MentionState.CONFIRMED,
    )


@transaction.atomic
def reject_suggested_mentions(*, briefs: QuerySet[Brief]) -> int:
    """Reject every suggested actor link of these briefs; returns how many."""
    return set_mention_state(
        links=BriefActor.objects.filter(brief__in=briefs, state=MentionState.SUGGESTED),
        state=MentionState.REJECTED,
    )


@transaction.atomic
def change_brief_slug(*, brief: Brief, new_slug: str) -> Brief:
    """Give a brief a new public address and keep the old one answering 301.

    The old slug is remembered for good. Moving back to a slug the brief used
    before drops that history row (it is the current address again); a slug
    that another brief used before is refused, so old links never change target.
    """
    old_slug = brief.slug
    if new_slug == old_slug:
        return brief
    claimed = BriefSlugHistory.objects.filter(old_slug=new_slug).first()
    if claimed is not None and claimed.brief_id != brief.pk:
        raise ValidationError(
            {"slug": f"“{new_slug}” was an address of another brief; choose another."}
        )
    if claimed is not None:
        claimed.delete()
    brief.slug = new_slug
    brief.full_clean(validate_unique=True, validate_constraints=True)
    brief.save(update_fields=["slug", "updated_at"])
    BriefSlugHistory.objects.create(brief=brief, old_slug=old_slug)
    public_record().renamed(brief=brief)
    return brief


def store_attachment(*, attachment: Attachment, upload: UploadedFile) -> Attachment:
    """Check `upload` (type sniffed from its bytes, size limit), store it under
    a fresh unguessable folder and save `attachment` with its type and size.

    Raises ValidationError (library.uploads.sniff_attachment) before anything
    is stored. Like other draft edits, nothing public changes until the brief
    is published: its edition then freezes the list of attachments.
    """
    kind = sniff_attachment(upload)
    upload.seek(0)
    attachment.file = default_storage.save(attachment_name(upload.name), upload)
    attachment.kind = kind.code
    attachment.size = default_storage.size(attachment.file)
    attachment.save()
    return attachment
