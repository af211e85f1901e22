"""Partner API keys: issue, revoke, and authenticate requests that carry one.

A key looks like `1a2b3c4d.<43 url-safe characters>`: the first eight hex
characters are its public prefix. Clients send it as `Authorization: Api-Key
<key>` or `X-Api-Key: <key>`. A request without a key is anonymous (allowed,
at a lower rate); a request with a malformed, unknown or revoked key gets a 401
at once rather than silently falling back to the anonymous rate.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from kernel.models import ApiKey

KEYWORD = "Api-Key"
KEY_PATTERN = re.compile(r"([0-9a-f]{8})\.[A-Za-z0-9_-]{43}")


@dataclass(frozen=True)
class ApiClient:
    """`request.auth` for a request with a valid key (throttled per prefix)."""

    prefix: str


def hash_key(key: str) -> str:
    # A plain hash is enough: the key is 256 random bits, so there is nothing to
    # brute-force that a slow password hash would protect.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_api_key(
    *, name: str, contact: str = "", created_by: AbstractBaseUser | None = None
) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the key itself, which is never stored."""
    while True:
        prefix = secrets.token_hex(4)
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    key = f"{prefix}.{secrets.token_urlsafe(32)}"
    api_key = ApiKey(
        name=name,
        contact=contact,
        prefix=prefix,
        key_hash=hash_key(key),
        created_by=created_by,
    )
    api_key.full_clean()
    api_key.save()
    return api_key, key


@transaction.atomic
def revoke_api_key(*, api_key: ApiKey) -> None:
    """Revoke a key; requests with it get a 401 from the next request on."""
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at", "updated_at"])


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiClient] | None:
        key = self._key_from_headers(request)
        if key is None:
            return None
        match = KEY_PATTERN.fullmatch(key)
        if match is None:
            raise exceptions.AuthenticationFailed("Malformed API key.")
        # One statement finds the key, checks it is not revoked and counts the
        # request: no read-then-write race and one query per request.
        found = (
            ApiKey.objects.active()
            .filter(prefix=match[1], key_hash=hash_key(key))
            .update(request_count=F("request_count") + 1, last_used_at=timezone.now())
        )
        if not found:
            raise exceptions.AuthenticationFailed("Invalid or revoked API key.")
        # Partners are not users: the key raises the rate limit, nothing more.
        return AnonymousUser(), ApiClient(prefix=match[1])

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (with WWW-Authenticate), not 403.
        return KEYWORD

    @staticmethod
    def _key_from_headers(request: Request) -> str | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() == KEYWORD.lower():
            return value.strip()
        # Other schemes (Basic from a staging proxy, say) are not ours to judge.
        return request.META.get("HTTP_X_API_KEY")
