"""Whole-page cache and conditional GET for the public site.

One *content generation* token stands for "everything public as it is now". It
lives in the Django cache and is replaced (`bump_generation`) once after each
committed transaction that changed anything public (kernel/changes.py) and
when the next scheduled brief's release time passes. Bumping only after
commit means no request can cache the old content under the new token. Page
cache keys and ETags contain it, so a change anywhere retires every cached
page and every ETag at once: simple, and right for an archive that changes a
few times a day. A withdrawn brief can therefore not linger in a cached list,
feed or related block longer than PAGE_CACHE_RECHECK_SECONDS (1 s by default;
other processes re-read the token at most that often, the process that made
the change sees it at once).

Because the token lives in the cache, every process must share one cache for
it to work: the page cache is on only when `PAGE_CACHE_SECONDS` > 0, which the
settings do by default only when REDIS_URL is set. Without it every request is
rendered (and is still correct).
"""

import datetime
import hashlib
import time
import uuid
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags
from django.utils.translation import get_language

GENERATION_KEY = "site:generation"
PAGE_KEY_PREFIX = "site:page"
# Browsers and proxies may keep a page but must ask (cheaply, with the ETag).
CACHE_CONTROL = "public, max-age=0, must-revalidate"
# Headers copied into the cache with a page's body.
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Link")


# Callables that answer "when does the next scheduled item become public?"
# (None when nothing is scheduled). Apps register theirs in AppConfig.ready()
# (briefs: the next scheduled brief), so that this module imports no app.
_release_sources: list[Callable[[], datetime.datetime | None]] = []


def register_release_source(source: Callable[[], datetime.datetime | None]) -> None:
    """Have the generation turn when `source()`'s moment passes."""
    if source not in _release_sources:
        _release_sources.append(source)


def _next_release_timestamp() -> float | None:
    """When the next scheduled item becomes public, so the generation turns then."""
    upcoming = [moment for source in _release_sources if (moment := source())]
    return min(upcoming).timestamp() if upcoming else None


def bump_generation() -> str:
    """Retire every cached page and ETag; returns the new token."""
    token = uuid.uuid4().hex[:16]
    value = (token, _next_release_timestamp())
    cache.set(GENERATION_KEY, value, timeout=None)
    _seen["value"], _seen["at"] = value, time.monotonic()
    return token


def _valid(value: tuple[str, float | None] | None) -> str | None:
    """The token of a stored generation, unless a scheduled release has passed."""
    if value is None or (value[1] is not None and time.time() >= value[1]):
        return None
    return value[0]


# This process's copy of the generation and when it last read it: reading the
# shared cache costs about as much as a whole minimal request, so a process
# re-reads it at most every PAGE_CACHE_RECHECK_SECONDS (default 1). A change
# made by this process is seen at once (bump_generation updates the copy);
# one made by another process, within that many seconds.
_seen: dict[str, object] = {"value": None, "at": 0.0}


def current_generation() -> str:
    recheck = getattr(settings, "PAGE_CACHE_RECHECK_SECONDS", 1.0)
    now = time.monotonic()
    value = _seen["value"]
    if value is None or now - _seen["at"] >= recheck or _valid(value) is None:
        value = cache.get(GENERATION_KEY)
        _seen["value"], _seen["at"] = value, now
    return _valid(value) or bump_generation()


# Pages this process served lately, by key. Keys contain the generation, which
# every request reads from the shared cache, so a local copy is never stale; it
# saves fetching the page's bytes from the shared cache on each hit.
_local_pages: dict[str, tuple] = {}
LOCAL_PAGES_MAX = 200


def _page_key(request: HttpRequest, generation: str) -> str:
    """The page's key: generation, language and address.

    The language is decided by the address (its /sr/ or /sr-latn/ prefix;
    unprefixed pages are English, and a reader who prefers Serbian is
    redirected before any view runs), so the address alone would do; the
    language is in the key anyway, so that no rule change there can ever
    serve one language's page to another.
    """
    address = f"{get_language()}|{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"{PAGE_KEY_PREFIX}:{generation}:{digest}"


def _remember(key: str, entry: tuple) -> None:
    if len(_local_pages) >= LOCAL_PAGES_MAX:
        _local_pages.clear()  # simplest bound; the shared cache still has them
    _local_pages[key] = entry


def get_cached(key: str) -> tuple | None:
    """An entry from this process's copy, else from the shared cache."""
    cached = _local_pages.get(key)
    if cached is None:
        cached = cache.get(key)
        if cached is not None:
            _remember(key, cached)
    return cached


def set_cached(key: str, entry: tuple, seconds: int) -> None:
    """Keep an entry in the shared cache and in this process's copy.

    The key must contain the current generation, so the entry retires with it.
    """
    cache.set(key, entry, seconds)
    _remember(key, entry)


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
        generation = current_generation()
        # Per language too: the same ETag can never validate another
        # language's copy, whatever a cache does with Vary.
        etag = f'"{generation}-{get_language()}"'
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            not_modified = HttpResponseNotModified()
            not_modified["ETag"] = etag
            return not_modified
        key = _page_key(request, generation)
        cached = get_cached(key)
        if cached is not None:
            status, headers, content = cached
            response = HttpResponse(content, status=status)
            for name, value in headers.items():
                response[name] = value
            response["ETag"] = etag
            response["Cache-Control"] = CACHE_CONTROL
            return response
        response = view(request, *args, **kwargs)
        if response.status_code != 200 or response.streaming:
            return response
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        headers = {h: response[h] for h in _KEPT_HEADERS if response.has_header(h)}
        entry = (response.status_code, headers, response.content)
        set_cached(key, entry, seconds)
        response["ETag"] = etag
        response["Cache-Control"] = CACHE_CONTROL
        return response

    return wrapped
