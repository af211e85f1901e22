"""Whole-page cache and conditional GET for the public site.

One *content generation* token stands for "everything public as it is now". It
lives in the Django cache and is replaced (`bump_generation`) whenever any
content model is saved or deleted (see briefs/signals.py) and when the next
scheduled brief's release time passes. Page cache keys and ETags contain it, so
a change anywhere retires every cached page and every ETag at once: simple, and
right for an archive that changes a few times a day. A withdrawn brief can
therefore not linger in a cached list, feed or related block.

Because the token lives in the cache, every process must share one cache for it
to work: the page cache is on only when `PAGE_CACHE_SECONDS` > 0, which the
settings do by default only when REDIS_URL is set. Without it every request is
rendered (and is still correct).
"""

import hashlib
import time
import uuid
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags

from briefs.models import Brief, Status

GENERATION_KEY = "site:generation"
PAGE_KEY_PREFIX = "site:page"
# Headers copied into the cache with a page's body.
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Link")


def _next_release_timestamp() -> float | None:
    """When the next scheduled brief becomes public, so the generation turns then."""
    from django.utils import timezone

    upcoming = (
        Brief.objects.filter(
            status=Status.PUBLISHED,
            deleted_at__isnull=True,
            published_at__gt=timezone.now(),
        )
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return upcoming.timestamp() if upcoming else None


def bump_generation() -> str:
    """Retire every cached page and ETag; returns the new token."""
    token = uuid.uuid4().hex[:16]
    cache.set(GENERATION_KEY, (token, _next_release_timestamp()), timeout=None)
    return token


def bump_generation_now_and_on_commit() -> None:
    """Bump at once (so this process sees it) and again after commit.

    The second bump closes the race in which another request caches the old
    content under the first new token before this transaction commits.
    """
    bump_generation()
    transaction.on_commit(bump_generation, robust=True)


def _valid(value: tuple[str, float | None] | None) -> str | None:
    """The token of a stored generation, unless a scheduled release has passed."""
    if value is None or (value[1] is not None and time.time() >= value[1]):
        return None
    return value[0]


def current_generation() -> str:
    return _valid(cache.get(GENERATION_KEY)) or bump_generation()


# The generation this process saw last: a guess that lets a cache hit read the
# generation and the page in one round trip to the cache.
_last_seen: list[str] = [""]


def _page_key(request: HttpRequest, generation: str) -> str:
    address = f"{request.get_host()}{request.get_full_path()}".encode()
    return f"{PAGE_KEY_PREFIX}:{generation}:{hashlib.sha256(address).hexdigest()}"


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public page from the page cache, or 304, when content is unchanged.

    Only successful GET/HEAD responses are cached. A conditional request whose
    ETag matches the current generation is answered 304 before the view runs:
    no query, no rendering.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if not seconds or request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        conditional = request.headers.get("If-None-Match", "")
        guess = _last_seen[0]
        keys = [GENERATION_KEY]
        if guess and not conditional:
            keys.append(_page_key(request, guess))
        found = cache.get_many(keys)
        generation = _valid(found.get(GENERATION_KEY)) or bump_generation()
        _last_seen[0] = generation
        etag = f'"{generation}"'
        if etag in parse_etags(conditional):
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            return not_modified
        key = _page_key(request, generation)
        cached = found[key] if key in found else cache.get(key)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers.items():
                response[name] = value
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
            return response
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming:
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        headers = {h: response[h] for h in _KEPT_HEADERS if response.has_header(h)}
        cache.set(key, (response.status_code, headers, response.content), seconds)
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response

    return wrapped
