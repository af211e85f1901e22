"""The site's URLs plus `/bench/minimal/`, the baseline every figure is divided by."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from archive.urls import urlpatterns as site_patterns

BODY = b"<!doctype html><title>minimal</title><p>ok</p>"


def minimal(request: HttpRequest) -> HttpResponse:
    """A fixed response through the same middleware: the cost of Django itself."""
    return HttpResponse(BODY)


urlpatterns = [path("bench/minimal/", minimal), *site_patterns]
