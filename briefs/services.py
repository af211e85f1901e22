"""Write functions for briefs that touch more than one model.

Callers (admin, importers, the demo loader, the editorial workflow) call
`refresh_brief(brief=...)` after a brief *and its related rows* have been
saved: it records actor mentions and brings the search index up to date.
Saving the `Brief` row alone already updates the index (see
`briefs/search.py`), so withdrawing or trashing removes a brief from search
at once, but only `refresh_brief` sees recommendations, contributors and
links saved after the row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from archive import search
from briefs.hooks import briefs_changed_in_bulk, public_record
from briefs.mentions import get_scanner
from briefs.models import Brief, BriefActor, BriefSlugHistory, MentionState
from kernel.pagecache import bump_generation_now_and_on_commit


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


def _pages_changed(brief_ids) -> None:
    """What model signals do on a save, for writes that bypass them.

    publishing prepares the briefs' pages again (it listens to
    `briefs_changed_in_bulk`); the page cache's generation turns.
    """
    briefs_changed_in_bulk.send(sender=Brief, brief_ids=brief_ids)
    bump_generation_now_and_on_commit()


@transaction.atomic
def index_brief(*, brief: Brief) -> None:
    """Add, replace or remove the brief's search document (by its status)."""
    search.index_objects(search.BRIEFS, [brief.pk])


@transaction.atomic
def refresh_brief(*, brief: Brief) -> ScanResult:
    """Scan for mentions, then re-index: call after saving a brief's related rows."""
    result = scan_mentions(brief=brief)
    index_brief(brief=brief)
    # Bulk writes above send no signals: mention counts and first positions
    # order the page's actor box, so have the page prepared again.
    _pages_changed([brief.pk])
    return result


@transaction.atomic
def set_mention_state(*, links: QuerySet[BriefActor], state: MentionState) -> int:
    """Confirm or reject actor links, then re-index their briefs.

    Confirmed actors' names are part of a brief's search document.
    """
    brief_ids = set(links.values_list("brief_id", flat=True))
    count = links.exclude(state=state).update(state=state)
    search.index_objects(search.BRIEFS, brief_ids)
    # A bulk update sends no signals; confirmed links are shown on the pages.
    _pages_changed(brief_ids)
    return count


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
