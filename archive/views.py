"""Site-wide pages that span both apps."""

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from archive.pagecache import public_page
from briefs.models import Brief, Topic
from briefs.oai import withdrawn_briefs
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


def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """`/b/<id>/`: the permanent address of a brief, cited in every format.

    It redirects to the brief's current page, whatever its slug is now. The
    redirect is a 302, as doi.org and Handle resolvers do: the permanent
    address is the identifier, and its target may change with the next slug
    rename, so browsers and caches must not remember the target for good (a
    301 would let them). A withdrawn brief redirects too; its page explains
    the withdrawal (410). Drafts, scheduled and trashed briefs are 404.
    """
    brief = (
        Brief.objects.published().filter(pk=pk).first()
        or withdrawn_briefs().filter(pk=pk).first()
    )
    if brief is None:
        raise Http404("No brief has this permanent link.")
    return HttpResponseRedirect(brief.get_absolute_url())
