"""Assessments of recommendations: how they are written, reviewed and published.

An assessment (briefs.models.Assessment) says what became of one
recommendation as of a date, why, and on what public evidence. Editors write
drafts in the admin; someone with `briefs.publish_assessment` publishes them.
It is reviewed like a brief:

- Every save, restore, publication and unpublication writes an
  AssessmentRevision (who, when, the whole content), so the history is
  complete and any earlier content of a draft can be restored.
- A save made on a form loaded before somebody else's save is not applied
  (optimistic check, `current_token`): it is kept as a "conflict" revision,
  and the editor is told.
- Two pairs of eyes (`settings.FOUR_EYES`): whoever wrote any applied
  revision of an assessment may not publish it; a superuser may, giving a
  reason that the history and the log record as an override.
- Published assessments are not edited in place: a publisher takes one back
  to draft (with a reason), or a newer dated assessment supersedes it.

Publishing or unpublishing records `changed("assessment", [brief_id])`, so
the page cache's content generation turns after the commit.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from briefs.models import (
    Assessment,
    AssessmentSource,
    AssessmentState,
    Brief,
    Recommendation,
    Status,
)
from editorial.models import APPLIED_KINDS, AssessmentRevision, AssessmentRevisionKind
from kernel import changes

logger = logging.getLogger(__name__)

PUBLISH_PERMISSION = "briefs.publish_assessment"
CHANGE_PERMISSION = "briefs.change_assessment"
# How the history marks a superuser publishing an assessment they wrote.
FOUR_EYES_OVERRIDE = "Override of two pairs of eyes (published by its author):"
MAX_COMMENT_CHARS = 2_000


class AssessmentError(Exception):
    """A refused move; the message is for the person who tried it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- Snapshots and the edit token ------------------------------------------------


def snapshot_assessment(
    assessment: Assessment, sources: list[AssessmentSource] | None = None
) -> dict:
    """The whole content of an assessment, JSON-ready (its sources: one query)."""
    if sources is None:
        sources = list(assessment.sources.order_by("order", "id"))
    return {
        "brief": assessment.brief_id,
        "recommendation_key": str(assessment.recommendation_key),
        "status": assessment.status,
        "assessed_on": assessment.assessed_on.isoformat(),
        "justification": assessment.justification,
        "sources": [
            {
                "url": s.url,
                "title": s.title,
                "published_on": s.published_on.isoformat(),
            }
            for s in sources
        ],
    }


def record_assessment_revision(
    *,
    assessment: Assessment,
    user: AbstractUser | None,
    kind: str,
    comment: str = "",
    content: dict | None = None,
) -> AssessmentRevision:
    return AssessmentRevision.objects.create(
        assessment=assessment,
        kind=kind,
        content=snapshot_assessment(assessment) if content is None else content,
        comment=comment[:MAX_COMMENT_CHARS],
        created_by=user if user is not None and user.is_authenticated else None,
    )


def current_token(assessment: Assessment) -> str:
    """The optimistic-concurrency token: the latest applied revision's id.

    Publishing and unpublishing move it too: a form opened on a draft that
    was published since is stale.
    """
    if assessment.pk is None:
        return ""
    latest = (
        AssessmentRevision.objects.filter(assessment=assessment)
        .exclude(kind=AssessmentRevisionKind.CONFLICT)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return str(latest or "")


def authors_of(assessment: Assessment) -> set[int]:
    """Everyone who wrote what the assessment says: its applied revisions' authors."""
    ids = set(
        AssessmentRevision.objects.filter(
            assessment=assessment, kind__in=APPLIED_KINDS
        ).values_list("created_by_id", flat=True)
    )
    ids.add(assessment.created_by_id)
    return ids - {None}


# -- Who may do what -------------------------------------------------------------


def can_edit_assessment(user: AbstractUser, assessment: Assessment | None) -> bool:
    """Drafts only: a published assessment is taken back to draft first."""
    if not (user.is_active and user.has_perm(CHANGE_PERMISSION)):
        return False
    return assessment is None or assessment.state == AssessmentState.DRAFT


def overrides_four_eyes(user: AbstractUser, assessment: Assessment) -> bool:
    return settings.FOUR_EYES and user.pk in authors_of(assessment)


def publish_refusal(user: AbstractUser, assessment: Assessment) -> str | None:
    """Why `user` may not publish `assessment` now, or None if they may."""
    if not (user.is_active and user.has_perm(PUBLISH_PERMISSION)):
        return gettext("You are not allowed to publish assessments.")
    if assessment.state != AssessmentState.DRAFT:
        return gettext("This assessment is already published.")
    if overrides_four_eyes(user, assessment) and not user.is_superuser:
        return gettext(
            "You wrote this assessment, so someone else must publish it "
            "(two pairs of eyes)."
        )
    return None


def assessable_recommendations() -> models.QuerySet[Recommendation]:
    """Recommendations an assessment may be written for: those of live briefs
    that are published (the editorial state; the public gate is the edition)."""
    return (
        Recommendation.objects.filter(
            brief__in=Brief.objects.filter(
                status=Status.PUBLISHED,
                deleted_at__isnull=True,
                draft_of__isnull=True,
            )
        )
        .select_related("brief")
        .order_by("brief__title", "brief_id", "order")
    )


def recommendation_of(assessment: Assessment) -> Recommendation | None:
    """The live recommendation an assessment is about (None: no longer made)."""
    return (
        Recommendation.objects.filter(
            brief_id=assessment.brief_id, key=assessment.recommendation_key
        )
        .select_related("brief")
        .first()
    )


# -- The moves -------------------------------------------------------------------


def _locked(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    if locked is None:
        raise AssessmentError(gettext("This assessment no longer exists."))
    return locked


def _clean_comment(comment: str) -> str:
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_CHARS:
        raise AssessmentError(
            gettext("A comment is at most %(limit)s characters.")
            % {"limit": number_format(MAX_COMMENT_CHARS, force_grouping=True)}
        )
    return comment


@transaction.atomic
def publish_assessment(
    *, assessment: Assessment, user: AbstractUser, comment: str = ""
) -> Assessment:
    """Make a draft public, or raise AssessmentError and change nothing."""
    locked = _locked(assessment)
    reason = publish_refusal(user, locked)
    if reason:
        raise AssessmentError(reason)
    comment = _clean_comment(comment)
    sources = list(locked.sources.order_by("order", "id"))
    if not sources:
        raise AssessmentError(
            gettext("An assessment needs at least one evidence source.")
        )
    if recommendation_of(locked) is None:
        raise AssessmentError(
            gettext(
                "The brief no longer makes this recommendation; it cannot be assessed."
            )
        )
    try:
        locked.full_clean()
        for source in sources:
            source.full_clean()
    except ValidationError as error:
        raise AssessmentError(" ".join(error.messages)) from None
    if overrides_four_eyes(user, locked):  # only a superuser gets here
        if not comment:
            raise AssessmentError(
                gettext(
                    "You wrote this assessment yourself: publishing it overrides "
                    "two pairs of eyes, so give the reason in the comment."
                )
            )
        logger.warning(
            "Assessment %s published by its own author %s (override): %s",
            locked.pk,
            user,
            comment,
        )
        comment = f"{FOUR_EYES_OVERRIDE} {comment}"
    locked.state = AssessmentState.PUBLISHED
    locked.published_at = timezone.now()
    locked.published_by = user
    locked.save(update_fields=["state", "published_at", "published_by", "updated_at"])
    record_assessment_revision(
        assessment=locked,
        user=user,
        kind=AssessmentRevisionKind.PUBLISH,
        comment=comment,
        content=snapshot_assessment(locked, sources),
    )
    changes.changed("assessment", [locked.brief_id])
    return locked


@transaction.atomic
def unpublish_assessment(
    *, assessment: Assessment, user: AbstractUser, comment: str
) -> Assessment:
    """Take a published assessment back to draft (it leaves every public page)."""
    locked = _locked(assessment)
    if not (user.is_active and user.has_perm(PUBLISH_PERMISSION)):
        raise AssessmentError(gettext("You are not allowed to unpublish assessments."))
    if locked.state != AssessmentState.PUBLISHED:
        raise AssessmentError(gettext("This assessment is not published."))
    comment = _clean_comment(comment)
    if not comment:
        raise AssessmentError(
            gettext("Say why it is taken back: a comment is required.")
        )
    locked.state = AssessmentState.DRAFT
    locked.published_at = None
    locked.published_by = None
    locked.save(update_fields=["state", "published_at", "published_by", "updated_at"])
    record_assessment_revision(
        assessment=locked,
        user=user,
        kind=AssessmentRevisionKind.UNPUBLISH,
        comment=comment,
    )
    changes.changed("assessment", [locked.brief_id])
    return locked


def apply_assessment_content(assessment: Assessment, content: dict) -> None:
    """Make a draft's content that of a snapshot (fields and sources)."""
    assessment.status = content["status"]
    assessment.assessed_on = datetime.date.fromisoformat(content["assessed_on"])
    assessment.justification = content["justification"]
    assessment.full_clean(exclude=["brief", "recommendation_key"])
    assessment.save()
    assessment.sources.all().delete()
    sources = [
        AssessmentSource(
            assessment=assessment,
            url=s["url"],
            title=s["title"],
            published_on=datetime.date.fromisoformat(s["published_on"]),
            order=i,
        )
        for i, s in enumerate(content["sources"])
    ]
    for source in sources:
        source.full_clean(exclude=["assessment"])
    AssessmentSource.objects.bulk_create(sources)


@transaction.atomic
def restore_assessment_revision(
    *, assessment: Assessment, revision: AssessmentRevision, user: AbstractUser
) -> AssessmentRevision:
    """Give a draft the content of one of its revisions; a new revision says so."""
    locked = _locked(assessment)
    if not can_edit_assessment(user, locked):
        raise AssessmentError(
            gettext("Only a draft can be restored into; take it back to draft first.")
            if locked.state == AssessmentState.PUBLISHED
            else gettext("You are not allowed to change assessments.")
        )
    if revision.assessment_id != locked.pk:
        raise AssessmentError(gettext("That revision belongs to another assessment."))
    try:
        apply_assessment_content(locked, revision.content)
    except ValidationError as error:
        raise AssessmentError(" ".join(error.messages)) from None
    when = timezone.localtime(revision.created_at)
    return record_assessment_revision(
        assessment=locked,
        user=user,
        kind=AssessmentRevisionKind.RESTORE,
        comment=f"Restored revision {revision.pk} of {when:%Y-%m-%d %H:%M}",
    )


def new_assessment(
    *, brief_id: int, recommendation_key: uuid.UUID | str, user: AbstractUser
) -> Assessment:
    """An unsaved draft for one recommendation, written by `user`."""
    return Assessment(
        brief_id=brief_id,
        recommendation_key=recommendation_key,
        created_by=user,
        state=AssessmentState.DRAFT,
    )


# -- Dashboard: what is due for re-assessment -------------------------------------

DUE_ROWS = 10


def recommendations_due(
    *, now: datetime.datetime | None = None, days: int | None = None
) -> list[Recommendation]:
    """Recommendations of published briefs with no published assessment in
    `days` (settings.REASSESS_AFTER_DAYS): oldest first.

    A recommendation never assessed counts from its brief's publication.
    Each row carries `last_assessed` (a date, or None) and `due_since`.
    One query.
    """
    now = now or timezone.now()
    days = days or settings.REASSESS_AFTER_DAYS
    cutoff = timezone.localdate(now) - datetime.timedelta(days=days)
    latest = (
        Assessment.objects.published()
        .filter(brief_id=OuterRef("brief_id"), recommendation_key=OuterRef("key"))
        .values("recommendation_key")
        .annotate(last=Max("assessed_on"))
        .values("last")
    )
    rows = (
        assessable_recommendations()
        .filter(brief__published_at__lte=now)
        .annotate(last_assessed=Subquery(latest))
        .annotate(
            due_since=Coalesce(
                "last_assessed",
                TruncDate("brief__published_at"),
                output_field=models.DateField(),
            )
        )
        .filter(due_since__lt=cutoff)
        .order_by("due_since", "brief__title", "order")
    )
    return list(rows[:DUE_ROWS])
