"""Staff sign-in: a cooling-off period after repeated wrong passwords.

After `LOGIN_FAILURES_PER_ACCOUNT` wrong passwords for one username, or
`LOGIN_FAILURES_PER_ADDRESS` from one client address (the address the API's
throttle counts: `kernel.throttling.client_address`, so X-Forwarded-For is
believed only from TRUSTED_PROXIES), every sign-in for that username or from
that address is refused, right password or not, until `LOGIN_LOCKOUT_SECONDS`
have passed since the last failure. A complete sign-in (the password, and
the second factor's code when one is asked: editorial/second_factor.py)
clears the account's count; a wrong code counts like a wrong password.
Refused attempts do not extend the lock.

Counts live in the default cache (Redis in production, so all processes share
them; `cache.incr` is atomic there). `LockoutBackend` enforces this for every
caller of `authenticate()`; the admin's `StaffLoginForm` checks first, so the
person signing in reads why. `unlock(username)` lifts an account's lock early.
"""

import hashlib
import time

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import ngettext

from kernel.throttling import client_address


def _account_key(username: str) -> str:
    digest = hashlib.sha256(username.casefold().encode()).hexdigest()[:32]
    return f"login-failures:account:{digest}"


def _counters(request: HttpRequest | None, username: str) -> list[tuple[str, int]]:
    counters = [(_account_key(username), settings.LOGIN_FAILURES_PER_ACCOUNT)]
    if request is not None:
        key = f"login-failures:address:{client_address(request)}"
        counters.append((key, settings.LOGIN_FAILURES_PER_ADDRESS))
    return counters


def seconds_locked(request: HttpRequest | None, username: str) -> int:
    """How long sign-ins for `username` from this request stay refused (0: not)."""
    now = time.time()
    wait = 0.0
    for key, limit in _counters(request, username):
        count = cache.get(key, 0)
        if count >= limit:
            last = cache.get(f"{key}:at", now)
            wait = max(wait, last + settings.LOGIN_LOCKOUT_SECONDS - now)
    return max(int(wait) + 1, 1) if wait > 0 else 0


def record_failure(request: HttpRequest | None, username: str) -> None:
    timeout = settings.LOGIN_LOCKOUT_SECONDS
    for key, _ in _counters(request, username):
        cache.add(key, 0, timeout)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout)
        cache.touch(key, timeout)
        cache.set(f"{key}:at", time.time(), timeout)


def unlock(username: str) -> None:
    """Clear an account's failures (the address counts expire on their own)."""
    key = _account_key(username)
    cache.delete_many([key, f"{key}:at"])


def locked_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "Too many failed sign-ins for this account or from this address. "
        "Sign-in is paused: try again in %(minutes)d minute.",
        "Too many failed sign-ins for this account or from this address. "
        "Sign-in is paused: try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


class LockoutBackend(ModelBackend):
    """Django's ModelBackend, refusing locked accounts and counting failures."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: object,
    ) -> object:
        if username is None:
            return super().authenticate(request, username, password, **kwargs)
        if seconds_locked(request, username):
            # Ends authentication here: no other backend is asked.
            raise PermissionDenied("sign-in locked")
        user = super().authenticate(request, username, password, **kwargs)
        if user is None:
            record_failure(request, username)
        # Success clears nothing yet: the admin's sign-in does, once complete,
        # so that a known password cannot reset the count of wrong codes.
        return user


class StaffLoginForm(AdminAuthenticationForm):
    """The admin's sign-in form, saying when an account or address is paused."""

    def clean(self) -> dict:
        username = self.cleaned_data.get("username")
        if username and (wait := seconds_locked(self.request, username)):
            raise ValidationError(locked_message(wait), code="locked")
        return super().clean()
