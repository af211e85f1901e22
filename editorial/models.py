"""How briefs change: revisions, the workflow log, review comments, presence.

These models moved here from `briefs` and keep their tables (`db_table`), so
no data moved (editorial.0001 is state-only). `Brief` knows nothing of them;
they point at it.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefs.models import Assessment, Brief, Status
from kernel.limits import max_chars

# -- Limits on what staff type (README, *Limits and security*) ------------------
REVIEW_COMMENT_MAX_CHARS = 10_000
# The comment typed with a workflow move (the log adds its own words around
# it, so the log's column itself is not capped; editorial.workflow checks).
WORKFLOW_COMMENT_MAX_CHARS = 5_000


class Action(models.TextChoices):
    """The workflow's moves (editorial/workflow.py holds their rules).

    Here, next to the log that records them, so the log shows each move by
    its label rather than its code.
    """

    SUBMIT = "submit", _("Submit for review")
    RESUME = "resume", _("Back to draft")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    APPROVE = "approve", _("Approve")
    PUBLISH = "publish", _("Publish")
    UNSCHEDULE = "unschedule", _("Cancel scheduled release")
    WITHDRAW = "withdraw", _("Withdraw")
    START_CORRECTION = "start_correction", _("Start a correction")
    TRASH = "trash", _("Move to trash")
    UNTRASH = "untrash", _("Restore from trash")
    PURGE = "purge", _("Purge for good")


class RevisionKind(models.TextChoices):
    EDIT = "edit", "Edit"
    RESTORE = "restore", "Restore"
    PUBLICATION = "publication", "Correction published"
    # An edit that was not applied because the brief changed under it; kept so
    # that nothing anyone typed is lost (editorial/admin.py, BriefAdmin.save_model).
    CONFLICT = "conflict", "Conflicting edit, not applied"


class BriefRevision(models.Model):
    """The whole content of a brief at one moment (see editorial/revisions.py).

    Written on every save by every interface; never changed or deleted except
    when a superuser purges the brief itself.
    """

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="revisions")
    # The revision's number within its brief (1, 2, 3...), which is what
    # editors see; the global id stays in URLs and edit tokens. A correction
    # draft numbers on from its published brief's revisions, and keeps its
    # numbers when its history joins that brief's (editorial/workflow.py).
    number = models.PositiveIntegerField(editable=False)
    kind = models.CharField(
        max_length=12, choices=RevisionKind.choices, default=RevisionKind.EDIT
    )
    content = models.JSONField()
    comment = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "briefs_briefrevision"
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=RevisionKind.values),
                name="briefrevision_kind_valid",
            ),
            models.UniqueConstraint(
                fields=["brief", "number"], name="briefrevision_unique_number"
            ),
        ]
        indexes = [
            # Used by the edit token (latest applied revision) and the history list.
            models.Index(fields=["brief", "-id"], name="briefrevision_latest"),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of {self.brief}"


class BriefTransition(models.Model):
    """One entry of a brief's workflow log: who moved it, when, from, to and why."""

    brief = models.ForeignKey(
        Brief, on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    comment = models.TextField(blank=True)
    # The editorial checks' findings when they ran with this transition.
    checks = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "briefs_brieftransition"
        ordering = ["created_at", "id"]
        verbose_name = "workflow log entry"
        verbose_name_plural = "workflow log"
        indexes = [
            # Used by the log on the brief's admin page.
            models.Index(fields=["brief", "created_at"], name="brieftransition_brief"),
        ]

    def __str__(self) -> str:
        return f"{self.brief}: {self.from_status} → {self.to_status}"


class ReviewComment(models.Model):
    """A reviewer's remark on a brief, shown to its author on the admin page.

    It may be anchored to one `##` section of the body (`section` is the
    heading's toc id; blank: the brief as a whole). The author or an editor
    resolves it (editorial.workflow.resolve_review_comment); a resolved
    comment is kept, shown collapsed, and can be reopened. Each resolution
    and reopening is also written to the brief's admin history.
    """

    brief = models.ForeignKey(
        Brief, on_delete=models.CASCADE, related_name="review_comments"
    )
    body = models.TextField(
        validators=[max_chars(REVIEW_COMMENT_MAX_CHARS, _("A review comment"))]
    )
    section = models.CharField(max_length=200, blank=True)
    # The section's heading when the comment was written: the anchor still
    # reads well after the heading is renamed or removed.
    section_title = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        db_table = "briefs_reviewcomment"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Comment on {self.brief}"


class EditPresence(models.Model):
    """Who is editing a brief (has touched its change form), so others see it.

    Opening the form records nothing (a GET never writes). The form's small
    script (static/js/brief_presence.js) posts when the editor first types
    and again when they leave; a save or a re-rendered POST counts too. It
    is considered stale after `editorial.workflow.PRESENCE_TTL`.
    """

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "briefs_editpresence"
        constraints = [
            models.UniqueConstraint(
                fields=["brief", "user"], name="editpresence_unique_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} editing {self.brief}"


def hash_share_token(token: str) -> str:
    """What is stored of a share link's token: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


class ShareLinkQuerySet(models.QuerySet):
    def active(self) -> "ShareLinkQuerySet":
        """Links that open a preview now: not revoked and not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ShareLink(models.Model):
    """An expiring, revocable link to a brief's preview for people without accounts.

    Only a hash of the token is stored (editorial/sharing.py makes and checks
    it), so the table cannot be used to open previews. Revoked by hand or
    when the brief is published or trashed; kept afterwards, as the record
    of who shared what, when, for how long.
    """

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_reason = models.CharField(max_length=200, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="sharelink_expires_after_creation",
            ),
        ]
        indexes = [
            # Used by the brief's admin page (its links, newest first).
            models.Index(fields=["brief", "-created_at"], name="sharelink_brief"),
        ]

    def __str__(self) -> str:
        return f"Share link {self.pk} for {self.brief}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class AssessmentRevisionKind(models.TextChoices):
    EDIT = "edit", "Edit"
    RESTORE = "restore", "Restore"
    PUBLISH = "publish", "Published"
    UNPUBLISH = "unpublish", "Taken back to draft"
    # An edit made on a stale form: kept, not applied (editorial/assessments.py).
    CONFLICT = "conflict", "Conflicting edit, not applied"


# Kinds whose content is what the assessment said from then on (the others
# record a move or an edit that was not applied).
APPLIED_KINDS = (AssessmentRevisionKind.EDIT, AssessmentRevisionKind.RESTORE)


class AssessmentRevision(models.Model):
    """One entry of an assessment's history: its content then, who, when, why.

    Every save, restore, publication and unpublication writes one, so the
    history is the review log too. Never changed or deleted.
    """

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="revisions"
    )
    kind = models.CharField(max_length=12, choices=AssessmentRevisionKind.choices)
    content = models.JSONField()
    comment = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=AssessmentRevisionKind.values),
                name="assessmentrevision_kind_valid",
            ),
        ]
        indexes = [
            # Used by the edit token (latest applied revision) and the history.
            models.Index(
                fields=["assessment", "-id"], name="assessmentrevision_latest"
            ),
        ]

    def __str__(self) -> str:
        return f"Revision {self.pk} of assessment {self.assessment_id}"
