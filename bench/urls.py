"""The site's URLs plus `/bench/minimal/`, the baseline every figure is divided by,
and `/bench/in/<language>/<page>`, a page read in a language before the site
has its language prefixes (/sr/, /sr-latn/)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path, resolve
from django.utils import translation

from archive.urls import urlpatterns as site_patterns

BODY = b"<!doctype html><title>minimal</title><p>ok</p>"


def minimal(request: HttpRequest) -> HttpResponse:
    """A fixed response through the same middleware: the cost of Django itself."""
    return HttpResponse(BODY)


def in_language(request: HttpRequest, language: str, page: str) -> HttpResponse:
    """The site's page at /`page` with `language` active (one URL match more)."""
    match = resolve(f"/{page}")
    with translation.override(language):
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
    return response


urlpatterns = [
    path("bench/minimal/", minimal),
    path("bench/in/<str:language>/<path:page>", in_language),
    *site_patterns,
]
