"""Site-wide pages that span both apps."""

import math

from django import forms
from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from actors.models import Actor, Agreement
from archive import search as search_engine
from archive.pagecache import public_page
from archive.throttling import SearchPageThrottle
from briefs.models import Brief, BriefKind, MentionState, Person, Topic
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


RESULTS_PER_PAGE = 20
MAX_PAGE = 50  # 1,000 results: nobody reads further; deep pages cost the most


class SearchForm(forms.Form):
    """The site search's query string; every field is validated, bad input is a 400."""

    q = forms.CharField(required=False, max_length=search_engine.MAX_QUERY_LENGTH)
    topic = forms.SlugField(required=False)
    actor = forms.SlugField(required=False)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200)
    kind = forms.ChoiceField(required=False, choices=[("", ""), *BriefKind.choices])
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()


def _facet_filters(data: dict) -> dict:
    filters: dict = {}
    if data.get("topic"):
        filters["topics__slug"] = data["topic"]
    if data.get("actor"):
        filters["actor_links__actor__slug"] = data["actor"]
        filters["actor_links__state"] = MentionState.CONFIRMED
    if data.get("year"):
        filters["publication_date__year"] = data["year"]
    if data.get("kind"):
        filters["kind"] = data["kind"]
    return filters


def search(request: HttpRequest) -> HttpResponse:
    """Site search: ranked briefs with snippets and facets, plus actors,
    agreements and people by name and alias."""
    form = SearchForm(request.GET)
    context: dict = {"form": form, "q": request.GET.get("q", "")[:500]}
    if not form.is_valid():
        context["errors"] = [e for errors in form.errors.values() for e in errors]
        return render(request, "search.html", context, status=400)
    data = form.cleaned_data
    try:
        query = search_engine.parse_query(data["q"])
    except search_engine.InvalidQuery as exc:
        context["errors"] = [str(exc)]
        return render(request, "search.html", context, status=400)
    context["q"] = data["q"]
    if query.is_empty:
        return render(request, "search.html", context)
    # Only searches that run count: the empty form and refused queries are cheap.
    throttle = SearchPageThrottle()
    if not throttle.allow_request(request, None):
        wait = math.ceil(throttle.wait() or 1)
        context["errors"] = [
            f"Too many searches from your address; try again in {wait} seconds."
        ]
        response = render(request, "search.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response

    filters = _facet_filters(data)
    briefs = Brief.objects.published()
    if filters:
        briefs = briefs.filter(**filters).distinct()
    page = data.get("page") or 1
    try:
        hits = search_engine.search_page(
            briefs.for_search_hits(),
            search_engine.BRIEFS,
            query,
            offset=(page - 1) * RESULTS_PER_PAGE,
            limit=RESULTS_PER_PAGE,
            restrict=bool(filters),
        )
    except search_engine.InvalidQuery as exc:  # ran past the time limit
        context["errors"] = [str(exc)]
        return render(request, "search.html", context, status=400)
    matches = search_engine.filter_matches(briefs, search_engine.BRIEFS, query)
    try:
        with search_engine.time_limit():
            facets = search_engine.brief_facets(matches)
    except search_engine.SearchTooBroad:
        # Counting every match of a very broad query is not worth a slow page:
        # show the ranked results without counts.
        facets = None
    total = facets.total if facets else None
    full_page = len(hits) == RESULTS_PER_PAGE
    selected = []
    for key in ("topic", "actor", "year", "kind"):
        if data.get(key):
            params = request.GET.copy()
            params.pop(key, None)
            params.pop("page", None)
            remove_url = f"{request.path}?{params.urlencode()}"
            selected.append({"name": key, "value": data[key], "remove_url": remove_url})
    context.update(
        hits=hits,
        total=total,
        page=page,
        has_next=page < MAX_PAGE
        and (page * RESULTS_PER_PAGE < total if total is not None else full_page),
        facets=facets,
        selected=selected,
        actors=list(Actor.objects.search(query)[:10]) if not filters else [],
        agreements=list(Agreement.objects.search(query)[:10]) if not filters else [],
        people=list(Person.objects.search(query)[:10]) if not filters else [],
    )
    return render(request, "search.html", context)


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
