"""Site-wide pages that span both apps."""

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from archive.pagecache import public_page
from briefs.models import Brief, Topic
from briefs.pages import CARD_FIELDS, ensure_brief_pages


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """Latest and featured briefs, topics with their public counts, a search box."""
    published = Brief.objects.published().only(*CARD_FIELDS, "featured")
    latest = list(published[:10])
    featured = list(published.filter(featured=True)[:3])
    ensure_brief_pages([*latest, *featured])
    public_ids = Brief.objects.published().values("pk")
    topics = (
        Topic.objects.annotate(
            brief_count=Count("briefs", filter=Q(briefs__in=public_ids), distinct=True)
        )
        .filter(brief_count__gt=0)
        .only("name", "slug")
        .order_by("name")
    )
    return render(
        request,
        "home.html",
        {
            "latest": latest,
            "featured": featured,
            "topics": topics,
            "meta": {
                "title": f"{settings.PUBLISHER['name']}: research archive",
                "description": "Policy briefs and analyses on security and "
                "integration in the Western Balkans.",
            },
        },
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = f"{settings.SITE_URL}{reverse('sitemap')}"
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
