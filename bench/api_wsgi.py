"""WSGI entry point for bench/api_bench.py: the site plus a minimal view.

The minimal view goes through the same middleware as the API, so the ratio
measures the API's own cost (DRF, filters, queries, serialisation).
"""

import django
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

django.setup()


def minimal(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/minimal/", minimal),
    path("", include("archive.urls")),
]
settings.ROOT_URLCONF = __name__

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
