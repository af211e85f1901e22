"""Site-wide pages that span the apps: home, search, the permanent link.

Like every public page they read editions (publishing/models.py), never the
working briefs.
"""

import datetime
import math

from django import forms
from django.conf import settings
from django.db.models import Count, QuerySet
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from actors.models import Actor, Agreement
from archive import search as search_engine
from briefs.models import BriefKind, Topic
from kernel.pagecache import public_page
from kernel.throttling import SearchPageThrottle
from publishing.editions import snapshot_name, text_in
from publishing.facets import brief_facets
from publishing.filters import (
    READING_LANGUAGE_CHOICES,
    READING_LANGUAGES,
    reading_language,
)
from publishing.models import Edition, EditionActor, rendered, rendering_language


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """Latest and featured briefs, topics with their public counts, a search box."""
    public = Edition.objects.public()
    language = rendering_language()
    # The cards as rendered in the request's language.
    cards = public.rendered_in(language, "card_html").values_list(
        rendered("card_html"), flat=True
    )
    # Filtered, then counted over the same join: public editions only.
    topics = list(
        Topic.objects.filter(editions__in=public.order_by().values("pk"))
        .annotate(brief_count=Count("editions"))
        .only("name", "name_sr", "name_sr_cyrl", "slug")
        .order_by("name")
    )
    for topic in topics:  # named in the page's script; never saved
        topic.name = topic.name_in(language)
    return render(
        request,
        "home.html",
        {
            "latest": list(cards[:10]),
            "featured": list(cards.filter(featured=True)[:3]),
            "topics": topics,
            "meta": {
                "title": _("%(name)s: research archive")
                % {"name": settings.PUBLISHER["name"]},
                "description": _(
                    "Policy briefs and analyses on security and "
                    "integration in the Western Balkans."
                ),
            },
        },
    )


# The offices' names, translated (settings.CONTACT_OFFICES names them in English).
OFFICE_NAMES = {
    "Belgrade": gettext_lazy("Belgrade"),
    "Washington": gettext_lazy("Washington"),
}


def contact() -> dict:
    """The publisher's contact details from settings, for the about pages."""
    return {
        "email": settings.CONTACT_EMAIL,
        "offices": [
            {**office, "name": OFFICE_NAMES.get(office["city"], office["city"])}
            for office in settings.CONTACT_OFFICES
        ],
    }


@public_page
def about(request: HttpRequest) -> HttpResponse:
    """Who publishes the archive and how to reach them. No query."""
    return render(
        request,
        "pages/about.html",
        {
            "contact": contact(),
            "meta": {
                "title": _("About"),
                "description": _("About %(name)s and how to reach us.")
                % {"name": settings.PUBLISHER["name"]},
            },
        },
    )


# The date the accessibility statement was last reviewed against the site.
ACCESSIBILITY_REVIEWED = datetime.date(2026, 11, 29)


@public_page
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: target, testing, limitations, contact. No query."""
    return render(
        request,
        "pages/accessibility.html",
        {
            "contact": contact(),
            "reviewed": ACCESSIBILITY_REVIEWED,
            "meta": {
                "title": _("Accessibility statement"),
                "description": _(
                    "How accessible this site is, how we test it and how to "
                    "report a problem."
                ),
            },
        },
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = f"{settings.SITE_URL}{reverse('sitemap')}"
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /language/"]
    lines += [f"Sitemap: {sitemap}", ""]
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
    # English or Serbian (either script: Serbian is read in both); the
    # scripts' own values, from older links, mean Serbian.
    language = forms.ChoiceField(
        required=False, choices=[("", ""), *READING_LANGUAGE_CHOICES]
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()


def _facet_filters(editions: QuerySet[Edition], data: dict) -> QuerySet[Edition]:
    """The search form's facet filters, over the editions' own links."""
    if data.get("topic"):
        editions = editions.filter(
            pk__in=Edition.topics.through.objects.filter(
                topic__slug=data["topic"]
            ).values("edition_id")
        )
    if data.get("actor"):
        editions = editions.filter(
            pk__in=EditionActor.objects.filter(actor__slug=data["actor"]).values(
                "edition_id"
            )
        )
    if data.get("year"):
        editions = editions.filter(public_date__year=data["year"])
    if data.get("kind"):
        editions = editions.filter(kind=data["kind"])
    if data.get("language"):
        languages = READING_LANGUAGES[reading_language(data["language"])]
        editions = editions.filter(language__in=languages)
    return editions


def search_hits(editions: QuerySet[Edition]) -> QuerySet[Edition]:
    """What a hit shows, from the edition: title, kind, date, authors, a snippet.

    The snippet is cut from the summary and body the edition published
    (`archive.search.add_snippets` reads `summary` and `body`), taken out of
    its snapshot by the database, so the stored HTML is never loaded.
    """
    return editions.only(
        "id", "slug", "number", "is_current", "title", "kind", "language", "public_date"
    ).annotate(
        summary=KeyTextTransform("summary", KeyTransform("brief", "content")),
        body=KeyTextTransform("body", KeyTransform("brief", "content")),
        contributors=KeyTransform("contributors", "content"),
    )


def search(request: HttpRequest) -> HttpResponse:
    """Site search: ranked briefs with snippets and facets, plus actors,
    agreements and people by name and alias.

    The count, the facets and the listed hits all come from one queryset,
    `matches` (public editions, the facet filters, the query), so the page
    never lists a brief it did not count.
    """
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
            ngettext(
                "Too many searches from your address; try again in %(wait)d second.",
                "Too many searches from your address; try again in %(wait)d seconds.",
                wait,
            )
            % {"wait": wait}
        ]
        response = render(request, "search.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response

    public = Edition.objects.public()
    filtered = _facet_filters(public, data)
    filters = filtered is not public
    matches = search_engine.filter_matches(filtered, search_engine.BRIEFS, query)
    page = data.get("page") or 1
    try:
        hits = search_engine.search_page(
            search_hits(matches),
            search_engine.BRIEFS,
            query,
            offset=(page - 1) * RESULTS_PER_PAGE,
            limit=RESULTS_PER_PAGE,
            restrict=filters,
        )
    except search_engine.InvalidQuery as exc:  # ran past the time limit
        context["errors"] = [str(exc)]
        return render(request, "search.html", context, status=400)
    try:
        with search_engine.time_limit():
            facets = brief_facets(
                matches, names=("kind", "language", "year", "topic", "actor"), size=20
            )
    except search_engine.SearchTooBroad:
        # Counting every match of a very broad query is not worth a slow page:
        # show the ranked results without counts.
        facets = None
    total = facets.total if facets else None
    full_page = len(hits) == RESULTS_PER_PAGE
    if facets:
        facets.links(lambda name, key: _set_link(request, name, key))
    selected = []
    in_script(hits)
    for key in ("topic", "actor", "year", "kind", "language"):
        if data.get(key):
            params = request.GET.copy()
            params.pop(key, None)
            params.pop("page", None)
            remove_url = f"{request.path}?{params.urlencode()}"
            selected.append({"name": key, "value": data[key], "remove_url": remove_url})
    # People are public only through public editions; actors and agreements
    # are reference records, public on their own.
    people = Edition.objects.public().credited_people().search(query)
    context.update(
        hits=hits,
        total=total,
        page=page,
        has_next=page < MAX_PAGE
        and (page * RESULTS_PER_PAGE < total if total is not None else full_page),
        facets=facets.facets if facets else None,
        selected=selected,
        actors=named(Actor.objects.search(query)[:10]) if not filters else [],
        agreements=named(Agreement.objects.search(query)[:10]) if not filters else [],
        people=named(people[:10]) if not filters else [],
    )
    return render(request, "search.html", context)


def in_script(hits: list) -> None:
    """Each hit's title and authors for the reader: a Serbian brief's title in
    the page's script, people by their names in it (the snippet is already,
    publishing.search.snippet_script). Never saved."""
    language = get_language()
    for hit in hits:
        edition = hit.object
        edition.title = text_in(edition.title, edition.language, language)
        edition.contributors = [
            {
                **c,
                "person": {**c["person"], "name": snapshot_name(c["person"], language)},
            }
            for c in edition.contributors or []
        ]


def named(records: QuerySet) -> list:
    """Actors, agreements or people, named in the page's script (never saved)."""
    language = get_language()
    found = list(records)
    for record in found:
        setattr(record, record.english_name_field, record.name_in(language))
    return found


def _set_link(request: HttpRequest, name: str, key: str) -> tuple[str, bool]:
    """The search with facet `name` set to `key`, from its first page."""
    params = request.GET.copy()
    params[name] = key
    params.pop("page", None)
    return f"?{params.urlencode()}", request.GET.get(name) == key


# The largest id a brief can have (a signed 64-bit integer on both databases).
MAX_ID = 2**63 - 1


def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """`/b/<id>/`: the permanent address of a brief, cited in every format.

    It redirects to the brief's current page, whatever its slug is now. The
    redirect is a 302, as doi.org and Handle resolvers do: the permanent
    address is the identifier, and its target may change with the next slug
    rename, so browsers and caches must not remember the target for good (a
    301 would let them). A withdrawn brief redirects to its address too,
    where its tombstone explains the withdrawal (410). Drafts, scheduled and
    trashed briefs are 404.
    """
    if pk > MAX_ID:  # beyond any database integer: no brief, not a 500
        raise Http404("No brief has this permanent link.")
    edition = (
        (Edition.objects.public() | Edition.objects.withdrawn())
        .filter(brief_id=pk)
        .only("slug", "number", "is_current")
        .first()
    )
    if edition is None:
        raise Http404("No brief has this permanent link.")
    return HttpResponseRedirect(edition.get_absolute_url())
