"""Site-wide records that belong to no content app: partner API keys.

The table keeps the name it had when the model lived in `archive`
(`archive_apikey`): the move to `kernel` changed no data.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ApiKeyQuerySet(models.QuerySet["ApiKey"]):
    def active(self) -> "ApiKeyQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """A partner's key to the API: a higher rate limit and per-key counts.

    Only a SHA-256 hash of the key is stored; the key itself is shown once, in
    the admin, when it is issued (see `kernel.authentication.issue_api_key`).
    The short public `prefix` finds the row without scanning hashes and lets
    staff and partners talk about a key without revealing it.
    """

    name = models.CharField(
        max_length=200, help_text="Who the key is for, e.g. the partner's name."
    )
    contact = models.CharField(
        max_length=200, blank=True, help_text="Whom to tell when the key changes."
    )
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField("SHA-256 of the key", max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    request_count = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        db_table = "archive_apikey"
        verbose_name = "API key"
        ordering = ["name", "created_at"]
        constraints = [
            # Used by authentication: every request with a key looks it up by
            # prefix and hash in one UPDATE.
            models.UniqueConstraint(fields=["prefix"], name="apikey_unique_prefix"),
            models.UniqueConstraint(fields=["key_hash"], name="apikey_unique_hash"),
            models.CheckConstraint(
                condition=Q(prefix__regex=r"^[0-9a-f]{8}$"),
                name="apikey_prefix_hex",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
