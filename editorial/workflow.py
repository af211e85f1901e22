"""The editorial workflow: who may do what to which brief, and the moves themselves.

Every move of a brief (submit, approve, publish, withdraw, trash...) goes
through `transition_brief`, whatever the caller: an admin button, a bulk
action, the `brief_transition` command or a forged POST. It locks the brief's
row, then asks `refusal()` (the one place that knows the rules) whether this
user may make this move on this brief in its current state, so two people
racing the same brief end in exactly one legal outcome: the second finds the
brief already moved and is refused with a message, and nothing changes.

States: draft → in review → (changes requested → draft) → approved →
published (now, or scheduled: `published_at` in the future) → withdrawn.

Two pairs of eyes (`settings.FOUR_EYES`, on by default): whoever submitted a
brief for review last may not approve it; a superuser may, giving a reason
that the log records as an override.

Stable publication: a published brief is never edited in place. "Start a
correction" makes a working copy (a separate, never-public row with
`draft_of` set) that goes through the same review; publishing it copies its
content onto the live row in one transaction and records a Correction (a new
version, with its optional public note). Every move that changes what the
public sees (publish, correct, unschedule, withdraw, trash, restore) calls
`briefs.hooks.public_record()` in the same transaction, which builds or
updates the brief's editions: public surfaces read those, never these rows.

About 900 lines, above the house's ~800, on purpose: the rules (`RULES`,
`refusal`) and the moves they govern are read together whenever one changes;
split apart, a new move could be written without its rule beside it.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import F, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from briefs.hooks import public_record
from briefs.models import (
    PUBLIC_NOTE_MAX_CHARS,
    Brief,
    BriefQuerySet,
    BriefSlugHistory,
    Correction,
    Status,
    load_content,
)
from briefs.services import refresh_brief
from editorial.checks import ERROR, Finding, run_checks
from editorial.models import (
    WORKFLOW_COMMENT_MAX_CHARS,
    Action,
    BriefRevision,
    BriefTransition,
    EditPresence,
    ReviewComment,
    RevisionKind,
)
from editorial.revisions import (
    apply_content,
    delete_emptied,
    move_content,
    record_revision,
    snapshot_brief,
)
from editorial.sharing import SHARE_REVOKED_REASONS, revoke_share_links

logger = logging.getLogger(__name__)

# How long "X has been editing since..." stays true without a new ping from
# the form's script (static/js/brief_presence.js re-pings every 4 minutes).
PRESENCE_TTL = datetime.timedelta(minutes=10)


class TransitionError(Exception):
    """A refused move; the message is for the person who tried it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]  # the statuses the move starts from
    target: str | None  # the status it leads to; None leaves the status alone
    permission: str
    # A Contributor (no edit_any_brief) may make this move on own briefs.
    owner_may: bool = False
    # The refusals, whole sentences so that each translates as one:
    # "You are not allowed to submit briefs for review.", "You may submit only
    # your own briefs for review." and "“%(title)s” is %(status)s, so it cannot
    # be submitted for review now."
    not_allowed: str = ""
    own_only: str = ""
    cannot: str = ""


ALL_STATUSES = frozenset(Status.values)
UNPUBLISHED = frozenset(
    {Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.APPROVED}
)
RULES: dict[Action, Rule] = {
    Action.SUBMIT: Rule(
        frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
        Status.IN_REVIEW,
        "briefs.submit_brief",
        owner_may=True,
        not_allowed=_("You are not allowed to submit briefs for review."),
        own_only=_("You may submit only your own briefs for review."),
        cannot=_(
            "“%(title)s” is %(status)s, so it cannot be submitted for review now."
        ),
    ),
    Action.RESUME: Rule(
        frozenset({Status.CHANGES_REQUESTED}),
        Status.DRAFT,
        "briefs.submit_brief",
        owner_may=True,
        not_allowed=_("You are not allowed to move briefs back to draft."),
        own_only=_("You may move only your own briefs back to draft."),
        cannot=_("“%(title)s” is %(status)s, so it cannot be moved back to draft now."),
    ),
    Action.REQUEST_CHANGES: Rule(
        frozenset({Status.IN_REVIEW, Status.APPROVED}),
        Status.CHANGES_REQUESTED,
        "briefs.review_brief",
        not_allowed=_("You are not allowed to request changes to briefs."),
        own_only=_("You may request changes to only your own briefs."),
        cannot=_(
            "“%(title)s” is %(status)s, so it cannot be sent back for changes now."
        ),
    ),
    Action.APPROVE: Rule(
        frozenset({Status.IN_REVIEW}),
        Status.APPROVED,
        "briefs.review_brief",
        not_allowed=_("You are not allowed to approve briefs."),
        own_only=_("You may approve only your own briefs."),
        cannot=_("“%(title)s” is %(status)s, so it cannot be approved now."),
    ),
    Action.PUBLISH: Rule(
        frozenset({Status.APPROVED}),
        Status.PUBLISHED,
        "briefs.publish_brief",
        not_allowed=_("You are not allowed to publish briefs."),
        own_only=_("You may publish only your own briefs."),
        cannot=_("“%(title)s” is %(status)s, so it cannot be published now."),
    ),
    Action.UNSCHEDULE: Rule(
        frozenset({Status.PUBLISHED}),
        Status.APPROVED,
        "briefs.publish_brief",
        not_allowed=_("You are not allowed to cancel the scheduled release of briefs."),
        own_only=_("You may cancel the scheduled release of only your own briefs."),
        cannot=_(
            "“%(title)s” is %(status)s, so it cannot be taken off the schedule now."
        ),
    ),
    Action.WITHDRAW: Rule(
        frozenset({Status.PUBLISHED}),
        Status.WITHDRAWN,
        "briefs.publish_brief",
        not_allowed=_("You are not allowed to withdraw briefs."),
        own_only=_("You may withdraw only your own briefs."),
        cannot=_("“%(title)s” is %(status)s, so it cannot be withdrawn now."),
    ),
    Action.START_CORRECTION: Rule(
        frozenset({Status.PUBLISHED}),
        None,
        "briefs.edit_any_brief",
        not_allowed=_("You are not allowed to start corrections of briefs."),
        own_only=_("You may start corrections of only your own briefs."),
        cannot=_(
            "“%(title)s” is %(status)s, so it cannot be given a correction draft now."
        ),
    ),
    # Published and withdrawn briefs are never trashed: their addresses must
    # keep answering (withdrawal gives a 410 with the reason).
    Action.TRASH: Rule(
        UNPUBLISHED,
        None,
        "briefs.delete_brief",
        owner_may=True,
        not_allowed=_("You are not allowed to move briefs to the trash."),
        own_only=_("You may move only your own briefs to the trash."),
        cannot=_("“%(title)s” is %(status)s, so it cannot be moved to the trash now."),
    ),
    Action.UNTRASH: Rule(
        ALL_STATUSES,
        None,
        "briefs.delete_brief",
        not_allowed=_("You are not allowed to restore briefs from the trash."),
        own_only=_("You may restore only your own briefs from the trash."),
        cannot=_(
            "“%(title)s” is %(status)s, so it cannot be restored from the trash now."
        ),
    ),
    Action.PURGE: Rule(
        ALL_STATUSES,
        None,
        "superuser",
        not_allowed=_("You are not allowed to purge briefs."),
        own_only=_("You may purge only your own briefs."),
        cannot=_("“%(title)s” is %(status)s, so it cannot be purged now."),
    ),
}
# How the log marks a superuser's approval of their own submission.
FOUR_EYES_OVERRIDE = "Override of two pairs of eyes (approved by its submitter):"
# Statuses in which a Contributor may still change an own brief.
OWNER_EDITABLE = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED})
# CONTENT_FROZEN (statuses whose content nobody changes in place) is a fact
# about a brief that the importer needs too: it lives in briefs.models.


# -- Who sees and edits what --------------------------------------------------


def _sees_everything(user: AbstractUser) -> bool:
    return user.has_perm("briefs.edit_any_brief")


def visible_briefs(user: AbstractUser) -> BriefQuerySet:
    """The briefs `user` may see in the admin: all, or only their own."""
    if not (user.is_active and user.is_authenticated):
        return Brief.objects.none()
    if _sees_everything(user):
        return Brief.objects.all()
    if user.has_perm("briefs.view_brief") or user.has_perm("briefs.change_brief"):
        return Brief.objects.filter(created_by=user)
    return Brief.objects.none()


def can_view_brief(user: AbstractUser, brief: Brief) -> bool:
    if not (user.is_active and user.is_authenticated):
        return False
    if not (user.has_perm("briefs.view_brief") or user.has_perm("briefs.change_brief")):
        return False
    return _sees_everything(user) or brief.created_by_id == user.pk


def editable_briefs(user: AbstractUser) -> BriefQuerySet:
    """The briefs `user` may change now: `can_edit_brief` as one query."""
    if not user.has_perm("briefs.change_brief"):
        return Brief.objects.none()
    statuses = set(OWNER_EDITABLE)
    if user.has_perm("briefs.review_brief"):
        statuses.add(Status.IN_REVIEW)
    return visible_briefs(user).not_in_trash().filter(status__in=statuses)


def can_edit_brief(user: AbstractUser, brief: Brief) -> bool:
    """May `user` change the content of `brief` as it is now?

    Content is frozen from approval on, for everybody, superusers included:
    a published brief changes only through a correction draft.
    """
    if brief.deleted_at is not None or not can_view_brief(user, brief):
        return False
    if not user.has_perm("briefs.change_brief"):
        return False
    if brief.status in OWNER_EDITABLE:
        return True  # can_view_brief already limits Contributors to their own
    if brief.status == Status.IN_REVIEW:
        # Reviewers may fix things themselves while a brief is in review.
        return user.has_perm("briefs.review_brief")
    return False


def can_preview_brief(user: AbstractUser, brief: Brief) -> bool:
    return (
        user.is_staff
        and user.has_perm("briefs.change_brief")
        and (can_view_brief(user, brief))
    )


def can_comment_brief(user: AbstractUser, brief: Brief) -> bool:
    if brief.deleted_at is not None or not can_view_brief(user, brief):
        return False
    return (
        user.has_perm("briefs.review_brief")
        or user.has_perm("briefs.publish_brief")
        or brief.created_by_id == user.pk
    )


def may_ever(user: AbstractUser, action: Action) -> bool:
    """Whether `user` may make `action` on any brief at all.

    What menus and bulk actions offer: a Contributor is not offered a move
    that only an editor may make, even on their own briefs.
    """
    rule = RULES[action]
    if action == Action.PURGE:
        return user.is_superuser
    if not user.has_perm(rule.permission):
        return False
    return rule.owner_may or _sees_everything(user)


def refusal(user: AbstractUser, brief: Brief, action: Action) -> str | None:
    """Why `user` may not make `action` on `brief` now, or None if they may.

    The single place that knows the workflow's rules. Permission comes first
    (who), legality second (from which state), so that two authorised people
    racing the same move are told the second time that the brief has moved.
    """
    rule = RULES[action]
    title = Truncator(brief.title).chars(80)
    if not can_view_brief(user, brief):
        return gettext("You are not allowed to see this brief.")
    if action == Action.PURGE and not user.is_superuser:
        return gettext("Only a superuser can purge a brief.")
    if not may_ever(user, action):
        return str(rule.not_allowed)
    if not _sees_everything(user):
        if brief.created_by_id != user.pk:
            return str(rule.own_only)
        if action == Action.TRASH and brief.status not in OWNER_EDITABLE:
            return gettext("You may move only your own drafts to the trash.")

    if action == Action.PURGE and brief.deleted_at and brief.translations.exists():
        # Brief.translation_of protects its original: a translation keeps
        # saying what it renders until someone unlinks or purges it.
        return gettext(
            "“%(title)s” has translations; unlink them (or purge them) before "
            "purging it."
        ) % {"title": title}
    if action in {Action.UNTRASH, Action.PURGE}:
        if brief.deleted_at:
            return None
        return gettext("“%(title)s” is not in the trash.") % {"title": title}
    if brief.deleted_at is not None:
        return gettext("“%(title)s” is in the trash; restore it first.") % {
            "title": title
        }
    if brief.status not in rule.sources:
        return str(rule.cannot) % {
            "title": title,
            "status": brief.get_status_display().lower(),
        }
    if action == Action.UNSCHEDULE and not brief.is_scheduled:
        return gettext("“%(title)s” is already public; withdraw it instead.") % {
            "title": title
        }
    if action in {Action.WITHDRAW, Action.START_CORRECTION} and brief.is_scheduled:
        return gettext(
            "“%(title)s” is scheduled and not public yet; cancel its release "
            "and edit it instead."
        ) % {"title": title}
    if action == Action.START_CORRECTION and (
        brief.working_copies.filter(deleted_at__isnull=True).exists()
    ):
        return gettext("“%(title)s” already has a correction draft; edit that one.") % {
            "title": title
        }
    if action == Action.PUBLISH and brief.is_working_copy:
        live = brief.draft_of
        if live.deleted_at is not None or live.status != Status.PUBLISHED:
            return gettext(
                "The brief this corrects is %(status)s; a correction can only be "
                "published onto a published brief."
            ) % {"status": live.get_status_display().lower()}
    if overrides_four_eyes(user, brief, action) and not user.is_superuser:
        return gettext(
            "You submitted “%(title)s” for review, so someone else must approve "
            "it (two pairs of eyes)."
        ) % {"title": title}
    return None


def submitter_id(brief: Brief) -> int | None:
    """Who submitted `brief` for review last: the latest submit in its log."""
    return (
        BriefTransition.objects.filter(brief_id=brief.pk, action=Action.SUBMIT)
        .order_by("-created_at", "-id")
        .values_list("created_by_id", flat=True)
        .first()
    )


def overrides_four_eyes(user: AbstractUser, brief: Brief, action: Action) -> bool:
    """Would `user` approve a brief they submitted themselves?

    With `settings.FOUR_EYES` on, `refusal()` refuses that to everybody but a
    superuser, and `transition_brief` lets a superuser through only with a
    reason, logged as an override.
    """
    return (
        settings.FOUR_EYES
        and action == Action.APPROVE
        and user.pk is not None
        and submitter_id(brief) == user.pk
    )


def available_actions(user: AbstractUser, brief: Brief) -> list[Action]:
    """The moves `user` may make on `brief` now, for buttons and menus."""
    return [action for action in Action if refusal(user, brief, action) is None]


# -- The moves ---------------------------------------------------------------


@dataclass
class TransitionResult:
    # The brief to show next: the live brief after publishing a correction,
    # the new working copy after starting one, None after a purge.
    brief: Brief | None
    entry: BriefTransition | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level != ERROR]


@transaction.atomic
def transition_brief(
    brief: Brief,
    *,
    user: AbstractUser,
    action: str,
    comment: str = "",
    publish_at: datetime.datetime | None = None,
    public_note: str = "",
    expected_status: str = "",
) -> TransitionResult:
    """Make one workflow move, or raise TransitionError and change nothing.

    `comment` goes to the workflow log (and is required to request changes);
    `public_note` is the public reason of a withdrawal or the correction note
    shown on the page when a correction is published; `publish_at` schedules
    a first publication. `expected_status` is the status the caller saw: if
    the brief has moved since, the move is refused rather than applied to a
    state the person never looked at.
    """
    try:
        action = Action(action)
    except ValueError:
        raise TransitionError(
            gettext("There is no workflow action “%(action)s”.") % {"action": action}
        ) from None
    # Lock first, then read: whoever comes second sees the first one's result.
    # Publishing a working copy writes its live brief too: both rows are
    # locked and read by one statement (in id order), and the authors come
    # along for the notifications (FOR UPDATE OF the briefs only).
    ids = {brief.pk}
    if action == Action.PUBLISH and brief.draft_of_id:
        ids.add(brief.draft_of_id)
    rows = {
        row.pk: row
        for row in Brief.objects.select_for_update(of=("self",))
        .select_related("created_by")
        .filter(pk__in=ids)
        .order_by("pk")
    }
    locked = rows.get(brief.pk)
    if locked is None:
        raise TransitionError(gettext("This brief no longer exists."))
    if locked.draft_of_id in rows:
        locked.draft_of = rows[locked.draft_of_id]
    if expected_status and locked.status != expected_status:
        raise TransitionError(
            gettext(
                "“%(title)s” changed while you were looking at it: it is now "
                "%(status)s. Nothing was done; look at it again."
            )
            % {
                "title": Truncator(locked.title).chars(80),
                "status": locked.get_status_display().lower(),
            }
        )
    reason = refusal(user, locked, action)
    if reason:
        raise TransitionError(reason)
    comment, public_note = comment.strip(), public_note.strip()
    for text, limit, what in [
        (comment, WORKFLOW_COMMENT_MAX_CHARS, gettext("A comment")),
        (public_note, PUBLIC_NOTE_MAX_CHARS, gettext("A public note")),
    ]:
        if len(text) > limit:
            raise TransitionError(
                gettext(
                    "%(what)s may be at most %(limit)d characters; this one has "
                    "%(length)d. Nothing was done."
                )
                % {"what": what, "limit": limit, "length": len(text)}
            )
    if overrides_four_eyes(user, locked, action):  # only a superuser gets here
        if not comment:
            raise TransitionError(
                f"You submitted “{Truncator(locked.title).chars(80)}” for review "
                "yourself: approving it overrides two pairs of eyes, so give "
                "the reason in the comment."
            )
        logger.warning(
            "Brief %s approved by its own submitter %s (override): %s",
            locked.pk,
            user,
            comment,
        )
        comment = f"{FOUR_EYES_OVERRIDE} {comment}"
    handler = {
        Action.SUBMIT: _submit,
        Action.RESUME: _simple,
        Action.REQUEST_CHANGES: _request_changes,
        Action.APPROVE: _simple,
        Action.PUBLISH: _publish,
        Action.UNSCHEDULE: _unschedule,
        Action.WITHDRAW: _withdraw,
        Action.START_CORRECTION: _start_correction,
        Action.TRASH: _trash,
        Action.UNTRASH: _untrash,
        Action.PURGE: _purge,
    }[action]
    if action in (Action.PUBLISH, Action.TRASH):
        # Embargoed review is over once the brief is public (or gone): the
        # links stop working, and the admin shows why (editorial/sharing.py).
        revoke_share_links(
            brief=locked, user=user, reason=SHARE_REVOKED_REASONS[action]
        )
    return handler(
        locked,
        user=user,
        action=action,
        comment=comment,
        publish_at=publish_at,
        public_note=public_note,
    )


def _log(
    brief: Brief,
    *,
    user: AbstractUser,
    action: Action,
    from_status: str,
    comment: str = "",
    findings: list[Finding] | None = None,
) -> BriefTransition:
    return BriefTransition.objects.create(
        brief=brief,
        action=action,
        from_status=from_status,
        to_status=brief.status,
        comment=comment,
        checks=[f.as_dict() for f in findings or []],
        created_by=user,
    )


def _move(brief: Brief, status: str, *extra_fields: str) -> str:
    before = brief.status
    brief.status = status
    brief.save(update_fields=["status", *extra_fields, "updated_at"])
    return before


def _simple(
    brief: Brief, *, user: AbstractUser, action: Action, comment: str, **_: object
) -> TransitionResult:
    before = _move(brief, RULES[action].target)
    entry = _log(brief, user=user, action=action, from_status=before, comment=comment)
    return TransitionResult(brief, entry)


def _submit(
    brief: Brief, *, user: AbstractUser, action: Action, comment: str, **_: object
) -> TransitionResult:
    findings = run_checks(brief)
    before = _move(brief, Status.IN_REVIEW)
    entry = _log(
        brief,
        user=user,
        action=action,
        from_status=before,
        comment=comment,
        findings=findings,
    )
    _notify_reviewers(brief, submitter=user)
    return TransitionResult(brief, entry, findings)


def _request_changes(
    brief: Brief, *, user: AbstractUser, action: Action, comment: str, **_: object
) -> TransitionResult:
    if not comment:
        raise TransitionError(
            gettext("Say what needs to change: a comment is required.")
        )
    result = _simple(brief, user=user, action=action, comment=comment)
    _notify_author(
        brief,
        subject=f"Changes requested: {brief.title}",
        text=f"{_name(user)} asked for changes to “{brief.title}”:\n\n{comment}",
    )
    return result


def _publish(
    brief: Brief,
    *,
    user: AbstractUser,
    action: Action,
    comment: str,
    publish_at: datetime.datetime | None,
    public_note: str,
    **_: object,
) -> TransitionResult:
    now = timezone.now()
    if publish_at is not None and publish_at <= now:
        raise TransitionError(
            gettext("That release time has passed; leave it empty to publish now.")
        )
    if brief.is_working_copy and publish_at is not None:
        raise TransitionError(
            gettext(
                "A correction is published at once; only a first publication "
                "can be scheduled."
            )
        )
    if public_note and not brief.is_working_copy:
        raise TransitionError(
            gettext(
                "A public note goes with a correction; this is a first publication."
            )
        )
    if brief.is_working_copy:
        # A correction reads both briefs' content anyway (7 queries): read it
        # first, and the checks find it in hand.
        brief, live = load_content(brief, brief.draft_of)
        brief.draft_of = live
    findings = run_checks(brief)
    errors = [f.message for f in findings if f.level == ERROR]
    if errors:
        raise TransitionError(
            gettext("Not published: %(errors)s") % {"errors": " ".join(errors)}
        )
    if brief.is_working_copy:
        return _publish_correction(
            brief,
            user=user,
            comment=comment,
            public_note=public_note,
            findings=findings,
        )
    brief.published_at = publish_at or now
    before = _move(brief, Status.PUBLISHED, "published_at")
    public_record().published(brief=brief, released_at=brief.published_at)
    when = timezone.localtime(brief.published_at)
    if publish_at:
        comment = comment or f"Scheduled for {when:%Y-%m-%d %H:%M}"
    entry = _log(
        brief,
        user=user,
        action=action,
        from_status=before,
        comment=comment,
        findings=findings,
    )
    _notify_author(
        brief,
        subject=f"{'Scheduled' if publish_at else 'Published'}: {brief.title}",
        text=(
            f"“{brief.title}” will be published on {when:%Y-%m-%d at %H:%M}."
            if publish_at
            else f"“{brief.title}” is now public at "
            f"{settings.SITE_URL}{brief.get_absolute_url()}"
        ),
    )
    return TransitionResult(brief, entry, findings)


def _publish_correction(
    copy: Brief,
    *,
    user: AbstractUser,
    comment: str,
    public_note: str,
    findings: list[Finding],
) -> TransitionResult:
    """Copy an approved working copy onto its live brief, all or nothing.

    Query budget (issue #10, tests/test_pipeline.py): the content of both
    briefs is read once and everything after works from it: the rows move
    (`move_content`), and the edition and the revision are snapshotted from
    the loaded rows instead of reading them back.
    """
    live = copy.draft_of  # locked with the copy by transition_brief
    # Both briefs' content, read once (7 queries).
    copy, live = load_content(copy, live)
    move_content(copy, live)
    # No mention scan: the links moved here are the copy's, which
    # `refresh_brief` kept in step with every edit of the copy's text.
    # Every published correction is a new version (citations count them),
    # whether or not it says publicly what changed.
    Correction.objects.create(
        brief=live, published_on=timezone.localdate(), note=public_note
    )
    edition = public_record().published(
        brief=live, released_at=timezone.now(), note=public_note
    )
    # The edition's number is the version (one plus the corrections).
    version = edition.number
    # The draft's history becomes the live brief's: who wrote and reviewed
    # this correction stays traceable after the copy itself is gone. Its
    # revisions were numbered on from the live brief's; should the live
    # brief have gained revisions since (an old draft restored from the
    # trash), they are shifted past them, in one statement.
    copy_revisions = BriefRevision.objects.filter(brief=copy)
    live_last = Coalesce(
        Subquery(
            BriefRevision.objects.filter(brief=live)
            .order_by("-number")
            .values("number")[:1]
        ),
        Value(0),
    )
    copy_first = Subquery(copy_revisions.order_by("number").values("number")[:1])
    copy_revisions.update(
        brief=live,
        number=Greatest(F("number"), F("number") - copy_first + live_last + 1),
    )
    record_revision(
        brief=live,
        user=user,
        kind=RevisionKind.PUBLICATION,
        comment=f"Version {version} published"
        + (f": {public_note}" if public_note else ""),
    )
    BriefTransition.objects.filter(brief=copy).update(brief=live)
    ReviewComment.objects.filter(brief=copy).update(brief=live)
    entry = BriefTransition.objects.create(
        brief=live,
        action=Action.PUBLISH,
        from_status=copy.status,
        to_status=live.status,
        comment=comment or f"Correction published as version {version}",
        checks=[f.as_dict() for f in findings],
        created_by=user,
    )
    authors = {copy.created_by, live.created_by} - {None}
    # The copy goes. Its content rows were moved or deleted by `move_content`
    # and its history moved above; what is left of its children is deleted
    # here, and then its row with one DELETE (`delete_emptied`: no query per
    # related table to find nothing). A copy never has corrections, editions
    # or working copies of its own; should a child row be left anyway, its
    # foreign key makes this publication fail rather than leave an orphan
    # (tests/editorial/test_workflow.py).
    EditPresence.objects.filter(brief=copy).delete()
    # A working copy can be renamed (manage.py rename_brief); its old slugs
    # named no public address.
    BriefSlugHistory.objects.filter(brief=copy).delete()
    delete_emptied(Brief, column="id", value=copy.pk)
    for author in authors:
        _notify_author(
            live,
            recipient=author,
            subject=f"Correction published: {live.title}",
            text=f"Version {version} of “{live.title}” is now public at "
            f"{settings.SITE_URL}{live.get_absolute_url()}",
        )
    return TransitionResult(live, entry, findings)


def _unschedule(
    brief: Brief, *, user: AbstractUser, action: Action, comment: str, **_: object
) -> TransitionResult:
    brief.published_at = None
    before = _move(brief, Status.APPROVED, "published_at")
    public_record().unscheduled(brief=brief)
    entry = _log(brief, user=user, action=action, from_status=before, comment=comment)
    return TransitionResult(brief, entry)


def _withdraw(
    brief: Brief,
    *,
    user: AbstractUser,
    action: Action,
    comment: str,
    public_note: str,
    **_: object,
) -> TransitionResult:
    if not public_note:
        raise TransitionError(
            gettext("Give the public reason for withdrawing the brief.")
        )
    brief.withdrawn_reason = public_note
    brief.withdrawn_at = timezone.now()
    before = _move(brief, Status.WITHDRAWN, "withdrawn_reason", "withdrawn_at")
    public_record().withdrawn(brief=brief)
    entry = _log(
        brief,
        user=user,
        action=action,
        from_status=before,
        comment=comment or public_note,
    )
    return TransitionResult(brief, entry)


def _working_copy_slug(live: Brief) -> str:
    # "--draft-" cannot clash with a live slug made the usual way, and the
    # number makes it unique even if a discarded copy is still in the trash.
    taken = set(
        Brief.objects.filter(slug__startswith=f"{live.slug[:170]}--draft-").values_list(
            "slug", flat=True
        )
    )
    n = 1
    while f"{live.slug[:170]}--draft-{n}" in taken:
        n += 1
    return f"{live.slug[:170]}--draft-{n}"


def _start_correction(
    live: Brief, *, user: AbstractUser, action: Action, comment: str, **_: object
) -> TransitionResult:
    copy = Brief(
        draft_of=live,
        slug=_working_copy_slug(live),
        status=Status.DRAFT,
        created_by=user,
        body=live.body,
    )
    apply_content(copy, snapshot_brief(live))
    record_revision(
        brief=copy,
        user=user,
        comment=f"Correction draft started from version {live.version}",
    )
    entry = _log(
        live,
        user=user,
        action=action,
        from_status=live.status,
        comment=comment or "Correction draft started",
    )
    return TransitionResult(copy, entry)


def _trash(
    brief: Brief, *, user: AbstractUser, action: Action, comment: str, **_: object
) -> TransitionResult:
    brief.deleted_at = timezone.now()
    brief.save(update_fields=["deleted_at", "updated_at"])
    public_record().trashed(brief=brief, trashed=True)
    EditPresence.objects.filter(brief=brief).delete()
    entry = _log(
        brief, user=user, action=action, from_status=brief.status, comment=comment
    )
    return TransitionResult(brief, entry)


def _untrash(
    brief: Brief, *, user: AbstractUser, action: Action, comment: str, **_: object
) -> TransitionResult:
    brief.deleted_at = None
    brief.save(update_fields=["deleted_at", "updated_at"])
    public_record().trashed(brief=brief, trashed=False)
    entry = _log(
        brief, user=user, action=action, from_status=brief.status, comment=comment
    )
    return TransitionResult(brief, entry)


def _purge(brief: Brief, *, user: AbstractUser, **_: object) -> TransitionResult:
    # The brief's own history goes with it; say so in the application log.
    logger.warning("Brief %s (%s) purged by %s", brief.pk, brief.slug, user)
    brief.delete()
    return TransitionResult(None, None)


# -- Restoring revisions ---------------------------------------------------------


@transaction.atomic
def restore_revision(
    *, brief: Brief, revision: BriefRevision, user: AbstractUser
) -> BriefRevision:
    """Make `brief`'s content that of `revision`; a new revision records it.

    Nothing is destroyed: the content being replaced is itself the latest
    revision. A working copy may restore its live brief's revisions too.
    """
    locked = Brief.objects.select_for_update().filter(pk=brief.pk).first()
    if locked is None or not can_edit_brief(user, locked):
        raise TransitionError(
            gettext(
                "You cannot change this brief as it is now; start a correction "
                "and restore into that."
            )
            if locked is not None and locked.status == Status.PUBLISHED
            else gettext("You cannot change this brief as it is now.")
        )
    if revision.brief_id not in {locked.pk, locked.draft_of_id}:
        raise TransitionError(gettext("That revision belongs to another brief."))
    notes = apply_content(locked, revision.content)
    refresh_brief(brief=locked)  # mentions and search follow the restored text
    when = timezone.localtime(revision.created_at)
    return record_revision(
        brief=locked,
        user=user,
        kind=RevisionKind.RESTORE,
        comment=f"Restored revision {revision.number} of {when:%Y-%m-%d %H:%M}"
        + (f" (skipped: {'; '.join(notes)})" if notes else ""),
    )


def revisions_of(brief: Brief) -> models.QuerySet[BriefRevision]:
    """A brief's revisions, with its live brief's when it is a working copy."""
    ids = [brief.pk] + ([brief.draft_of_id] if brief.draft_of_id else [])
    return BriefRevision.objects.filter(brief_id__in=ids).select_related("created_by")


# -- Review comments and presence ------------------------------------------------


@transaction.atomic
def add_review_comment(
    *, brief: Brief, user: AbstractUser, body: str, section: str = ""
) -> ReviewComment:
    """A comment on `brief`, on its `##` section with toc id `section` if given."""
    if not can_comment_brief(user, brief):
        raise TransitionError(gettext("You cannot comment on this brief."))
    body = body.strip()
    if not body:
        raise TransitionError(gettext("Write a comment first."))
    section_title = ""
    if section:
        titles = {entry["id"]: entry["title"] for entry in comment_sections(brief)}
        if section not in titles:
            raise TransitionError(
                gettext("The brief has no such section; choose another.")
            )
        section_title = titles[section]
    comment = ReviewComment(
        brief=brief,
        created_by=user,
        body=body,
        section=section,
        section_title=section_title[:300],
    )
    try:
        comment.full_clean()
    except ValidationError as error:
        raise TransitionError(" ".join(error.message_dict["body"])) from None
    comment.save()
    return comment


def comment_sections(brief: Brief) -> list[dict]:
    """The sections a review comment may be anchored to: the body's `##` headings."""
    return [entry for entry in brief.toc if entry.get("level") == 2]


def can_resolve_comments(user: AbstractUser, brief: Brief) -> bool:
    """The brief's author (the account that created it) or an editor.

    Credited people (Contribution) have no accounts, so the author is the
    brief's creator, as for the workflow's "own brief" rules.
    """
    if brief.deleted_at is not None or not can_view_brief(user, brief):
        return False
    return (
        user.has_perm("briefs.review_brief")
        or user.has_perm("briefs.publish_brief")
        or brief.created_by_id == user.pk
    )


@transaction.atomic
def resolve_review_comment(
    *, comment: ReviewComment, user: AbstractUser, resolved: bool = True
) -> ReviewComment:
    """Mark `comment` resolved (or reopen it); kept either way, and logged.

    The admin history of the brief records each resolution and reopening
    (who, when, which comment), so nothing about the review is lost.
    """
    if not can_resolve_comments(user, comment.brief):
        raise TransitionError(
            _("Only the brief's author or an editor may resolve its comments.")
        )
    if resolved == (comment.resolved_at is not None):
        return comment  # already so: nothing to record
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = user if resolved else None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[comment.brief],
        action_flag=CHANGE,
        change_message=(
            f"{'Resolved' if resolved else 'Reopened'} review comment "
            f"#{comment.pk}: “{Truncator(comment.body).chars(60)}”"
        ),
        single_object=True,
    )
    return comment


@transaction.atomic
def record_presence(*, brief: Brief, user: AbstractUser) -> EditPresence:
    """Note that `user` has the change form of `brief` open as of now."""
    now = timezone.now()
    presence, created = EditPresence.objects.get_or_create(
        brief=brief, user=user, defaults={"started_at": now, "last_seen": now}
    )
    if not created:
        if presence.last_seen < now - PRESENCE_TTL:
            presence.started_at = now  # a new editing session
        presence.last_seen = now
        presence.save(update_fields=["started_at", "last_seen"])
    return presence


def clear_presence(*, brief: Brief, user: AbstractUser) -> None:
    EditPresence.objects.filter(brief=brief, user=user).delete()


def others_editing(brief: Brief, *, user: AbstractUser) -> list[EditPresence]:
    return list(
        EditPresence.objects.filter(
            brief=brief, last_seen__gte=timezone.now() - PRESENCE_TTL
        )
        .exclude(user=user)
        .select_related("user")
        .order_by("started_at")
    )


# -- Dashboard ----------------------------------------------------------------


DASHBOARD_ROWS = 10


def editorial_dashboard(user: AbstractUser) -> list[dict]:
    """What is `user`'s to do, as titled lists of briefs (one query per list)."""
    mine = visible_briefs(user).not_in_trash().select_related("draft_of")
    sections = [
        (
            _("My drafts"),
            mine.filter(created_by=user, status=Status.DRAFT).order_by("-updated_at"),
        ),
        (
            _("Changes requested of me"),
            mine.filter(created_by=user, status=Status.CHANGES_REQUESTED).order_by(
                "-updated_at"
            ),
        ),
    ]
    if user.has_perm("briefs.review_brief"):
        sections.append(
            (
                _("Awaiting my review"),
                mine.filter(status=Status.IN_REVIEW).order_by("updated_at"),
            )
        )
    if user.has_perm("briefs.publish_brief"):
        sections.append(
            (
                _("Approved, ready to publish"),
                mine.filter(status=Status.APPROVED).order_by("updated_at"),
            )
        )
    sections += [
        (_("Scheduled releases"), mine.scheduled().order_by("published_at")),
        (
            _("Recently published"),
            visible_briefs(user).published().order_by("-published_at"),
        ),
    ]
    return [
        {"title": title, "briefs": list(queryset[:DASHBOARD_ROWS])}
        for title, queryset in sections
    ]


# -- Notifications (sent only once the transaction has committed) ---------------


def _name(user: AbstractUser | None) -> str:
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


def _admin_link(brief: Brief) -> str:
    return settings.SITE_URL + reverse("admin:briefs_brief_change", args=[brief.pk])


def _send_later(subject: str, text: str, recipients: list[str]) -> None:
    # robust: a mail server outage must not turn a committed move into an error.
    for recipient in recipients:
        transaction.on_commit(
            lambda r=recipient: send_mail(subject, text, None, [r]), robust=True
        )


def _notify_reviewers(brief: Brief, *, submitter: AbstractUser) -> None:
    User = get_user_model()
    emails = (
        User.objects.with_perm("briefs.review_brief", include_superusers=False)
        .filter(is_active=True)
        .exclude(email="")
        .exclude(pk=submitter.pk)
        .values_list("email", flat=True)
    )
    _send_later(
        f"Submitted for review: {brief.title}",
        f"{_name(submitter)} submitted “{brief.title}” for review.\n\n"
        f"{_admin_link(brief)}",
        sorted(set(emails)),
    )


def _notify_author(
    brief: Brief,
    *,
    subject: str,
    text: str,
    recipient: AbstractUser | None = None,
) -> None:
    author = recipient or brief.created_by
    if author is None or not author.email or not author.is_active:
        return
    _send_later(subject, f"{text}\n\n{_admin_link(brief)}", [author.email])
