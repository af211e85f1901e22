"""Public pages. Every one reads editions, through `Edition.objects.public()`.

Briefs are shown as their current public edition shows them: cards, list
rows, facets, counts, people and topics (public exactly when a public edition
credits or files under them) all come from editions and their link tables,
never from the working models, which editors keep changing.

Actor and agreement pages live here, not in `actors`, because they list the
briefs that discuss them and `actors` never imports `briefs`.

One module of about 1,000 lines, above the house's ~800: every public HTML page
and download of a brief is here, sharing the filtered-list base, the page
shells and the moved-address lookup; splitting brief, actor and download views
apart would scatter those for no reader.

Each page costs a fixed number of queries whatever the number of related rows
(tests/publishing/test_views.py asserts it). Every view is wrapped in
`public_page` (kernel/pagecache.py): the page cache and conditional GET.
"""

import datetime
import json
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Lower
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView, View

from actors.filters import TOO_BROAD, ActorFilter, AgreementFilter
from actors.models import (
    Actor,
    Agreement,
    AgreementParty,
)
from archive import search as search_engine
from briefs.models import (
    Brief,
    BriefKind,
    BriefSlugHistory,
    Language,
    Person,
    PolicyArea,
    Role,
    Topic,
)
from briefs.reading import reading_stats
from kernel.compiled import CompiledQuery
from kernel.pagecache import current_generation, public_page
from languages.alternates import Alternate, fill_page_links
from languages.codes import (
    CYRILLIC,
    LATIN,
    PUBLIC_LANGUAGES,
    is_serbian,
    public_language,
)
from languages.names import name_in
from publishing.citations import (
    EXPORT_FORMATS,
    format_apa,
    record_from_json,
)
from publishing.editions import preview_edition, snapshot_name, text_in
from publishing.facets import (
    FACET_SIZE,
    BriefFacets,
    Facet,
    FacetValue,
    brief_facets,
)
from publishing.filters import BriefFilter, RecommendationFilter
from publishing.models import (
    Edition,
    EditionActor,
    EditionCredit,
    EditionRecommendation,
    rendered,
    rendering_language,
)
from publishing.pages import (
    absolute_url,
    actor_brief_cards,
    actor_recommendation_items,
    ensure_actor_page,
    json_ld,
    public_actor,
)
from publishing.pdf import PDFUnavailable
from publishing.pdfs import ensure_edition_pdf
from publishing.pictures import (
    NetworkForm,
    actor_pictures,
    agreement_pictures,
    network_page,
)
from publishing.recommendation_rows import (
    PAGE_SIZE,
    ROW_FIELDS,
    first_page_rows,
    public_recommendations,
    render_rows,
)
from publishing.rendering import RELATED_CANDIDATES, portrait_context
from publishing.tracker import scorecard, status_counts, with_tracker
from publishing.translations import (
    LinkedEdition,
    brief_alternates,
    family_of,
    family_root,
    with_family,
)

# How many cards the brief list, a topic's and a person's page show per page.
LIST_PAGE_SIZE = 20


def public_cards(language: str | None = None) -> QuerySet[Edition]:
    """Public editions, newest first, with only their card in `language` loaded
    (default: the request's; `edition.card_html`).

    `Edition.Meta.ordering` is the public order (index edition_public_order).
    """
    return Edition.objects.public().only("id").rendered_in(language, "card_html")


def filter_error_response(request: HttpRequest, filterset, title: str) -> HttpResponse:
    """Bad filter values are the reader's mistake: 400 with the reasons, never 500."""
    return render(
        request,
        "filter_error.html",
        {"errors": filterset.form.errors, "page_title": title},
        status=400,
    )


class FilteredListView(ListView):
    """A ListView whose rows come from a FilterSet's `.qs`; invalid input is a 400."""

    filterset_class: type
    page_title = ""

    def base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.filterset = self.filterset_class(
            request.GET, queryset=self.base_queryset(), request=request
        )
        if not self.filterset.is_valid():
            return filter_error_response(request, self.filterset, self.page_title)
        if not self.filterset.form.cleaned_data.get("q"):
            return super().get(request, *args, **kwargs)
        # A list with `q` runs whole (ranking, count, facets, rendering) under
        # the search time limit, like the search page and the API; past it,
        # the reader gets a 400 saying so, not a 500 or a stalled worker.
        try:
            with search_engine.time_limit():
                response = super().get(request, *args, **kwargs)
                response.render()
        except search_engine.SearchTooBroad:
            return render(
                request,
                "filter_error.html",
                {"errors": {"q": [TOO_BROAD]}, "page_title": self.page_title},
                status=400,
            )
        return response

    def get_queryset(self) -> QuerySet:
        return self.filterset.qs

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context["filter_query"] = params.urlencode()
        context["filters_active"] = bool(params)
        return context

    def facet_params(self) -> dict[str, list[str]]:
        return {
            key: self.request.GET.getlist(key)
            for key in self.request.GET.keys()
            if key != "page"
        }


def toggle_link(
    params: dict[str, list[str]], name: str, value: str
) -> tuple[str, bool]:
    """The query string that toggles `name=value` on, or off when already selected."""
    values = list(params.get(name, []))
    selected = value in values
    if selected:
        values.remove(value)
    else:
        values.append(value)
    new = {**params, name: values}
    return "?" + urlencode([(k, v) for k, vs in new.items() for v in vs]), selected


# Stands for the first page's cards in the prepared unfiltered list.
_CARDS = "\x00cards\x00"
# This process's prepared unfiltered list, per language:
# {(generation, language): [before cards, after]}.
_list_shells: dict[tuple[str, str], list[str]] = {}


class _CardMarker:
    card_html = _CARDS


@method_decorator(public_page, name="dispatch")
class BriefListView(FilteredListView):
    """The brief list with facet counts; its unfiltered first page is prepared.

    Kept from before editions, because it still earns its place: the
    unfiltered first page's total and seven facets are GROUP BYs over every
    public edition and its link tables (about 30,000 actor links at 1,000
    briefs), several milliseconds of database time per request, where the
    page's budget is about six times a bare view. They depend only on what is
    public, which the content generation (kernel/pagecache.py) stands for: it
    changes whenever anything public changes, including when a scheduled
    brief's release time passes. So that page is rendered once per generation
    per process, with a marker where the cards go, and each request runs one
    plain query, for the newest public editions' stored cards. Filtered and
    later pages are counted and rendered per request. Prepared lists need the
    generation in a cache shared by every process (`PREPARED_LISTS`, on by
    default with REDIS_URL).
    """

    template_name = "briefs/brief_list.html"
    paginate_by = LIST_PAGE_SIZE
    filterset_class = BriefFilter
    page_title = gettext_lazy("Briefs")
    preparing = False

    def base_queryset(self) -> QuerySet[Edition]:
        return public_cards()

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.GET or not settings.PREPARED_LISTS:
            return super().get(request, *args, **kwargs)
        key = (current_generation(), rendering_language())
        shell = _list_shells.get(key)
        if shell is None or settings.DEBUG:
            shell = self.prepare_shell(request, *args, **kwargs)
            if shell is None:  # not a plain page (cannot happen without filters)
                return super().get(request, *args, **kwargs)
            if any(other[0] != key[0] for other in _list_shells):
                _list_shells.clear()  # only the current generation is ever used
            _list_shells[key] = shell
        if len(shell) == 1:  # no public brief: nothing to fill in
            return HttpResponse(shell[0])
        cards = public_cards().values_list(rendered("card_html"), flat=True)[
            :LIST_PAGE_SIZE
        ]
        return HttpResponse(shell[0] + "".join(cards) + shell[1])

    def prepare_shell(self, request: HttpRequest, *args, **kwargs) -> list[str] | None:
        """The unfiltered first page rendered with a marker for its cards."""
        self.preparing = True
        response = super().get(request, *args, **kwargs)
        if response.status_code != 200:
            return None
        response.render()
        content = response.content.decode()
        if _CARDS not in content:
            return [content]
        before, after = content.split(_CARDS, 1)
        return [before, after.replace(_CARDS, "")]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        if self.preparing:
            # The cards are read per request (see get); one marker holds
            # their place.
            context["object_list"] = [_CardMarker()] if context["object_list"] else []
        params = self.facet_params()
        context["facets"] = (
            brief_facets(self.filterset.qs)
            .links(lambda name, key: toggle_link(params, name, key))
            .facets
        )
        context["kinds"] = BriefKind.choices
        context["languages"] = Language.choices
        context["form"] = self.filterset.form
        # The filter form's hidden fields keep facet selections it does not show.
        context["kept"] = [
            (name, value)
            for name in ("topic", "actor", "agreement", "author")
            for value in self.request.GET.getlist(name)
        ]
        context["meta"] = {
            "title": _("Briefs"),
            "description": _(
                "All published briefs, newest first, by topic, actor, "
                "agreement, author, kind, language and year."
            ),
        }
        return context


# Markers standing for the prepared parts in a page shell.
_HEAD, _CONTENT, _RELATED = "\x00head\x00", "\x00content\x00", "\x00related\x00"
_shells: dict[tuple[str, str], list[str]] = {}


def page_shell(template: str, context: dict, markers: list[str]) -> list[str]:
    """A page template rendered once per process, split at the markers.

    Everything on a brief or actor page outside its prepared parts (header,
    navigation, footer) is the same for every brief and every request, so it
    is rendered once and reused; a request only joins strings. With DEBUG on
    it is rendered every time, so template edits show at once. The template
    must therefore not depend on the request (it is rendered without one),
    only on the active language: one shell per template and language. The
    page's links to its counterparts in the other languages are markers
    (`language_shell`) that languages.alternates.fill_page_links replaces
    per request.
    """
    key = (template, rendering_language())
    if key in _shells and not settings.DEBUG:
        return _shells[key]
    rest = render_to_string(
        template,
        {**context, "publisher": settings.PUBLISHER, "language_shell": True},
    )
    parts = []
    for marker in markers:
        before, rest = rest.split(marker)
        parts.append(before)
    _shells[key] = [*parts, rest]
    return _shells[key]


def brief_page_shell() -> list[str]:
    return page_shell(
        "briefs/brief_detail.html",
        {
            "page": {"head": _HEAD, "article": _CONTENT},
            "related_html": _RELATED,
        },
        [_HEAD, _CONTENT, _RELATED],
    )


def actor_page_shell() -> list[str]:
    return page_shell(
        "actors/actor_detail.html",
        {"actor_page": {"head": _HEAD, "content": _CONTENT}},
        [_HEAD, _CONTENT],
    )


def related_html(items: list[str]) -> str:
    """The related block around prepared list items (already escaped HTML)."""
    if not items:
        return ""
    return (
        '<aside class="related" aria-labelledby="related-h">\n'
        f'  <h2 id="related-h">{escape(_("Related briefs"))}</h2>\n'
        '  <ul class="cards">' + "".join(items) + "</ul>\n</aside>"
    )


@method_decorator(public_page, name="dispatch")
class BriefDetailView(View):
    """The brief's current public edition, plus the related briefs public now.

    Two queries: the edition's stored parts and which related briefs are
    public; two more when it makes recommendations: their assessments and
    evidence (publishing/tracker.py). The page is the shell (page_shell)
    joined with those parts.
    """

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        rows = _CURRENT_PAGE[rendering_language()](
            slug=kwargs["slug"], at=timezone.now(), limit=1
        )
        if not rows:
            return self.missing(request, kwargs["slug"])
        (
            head_html,
            article_html,
            related,
            brief_id,
            language,
            translation_of_id,
            translated_from_number,
            translated,
        ) = rows[0]
        # The frozen text, with each recommendation's live status beside it.
        article_html = with_tracker(
            article_html, brief_id=brief_id, slug=kwargs["slug"]
        )
        items, family_rows = linked_items(
            load_json(related),
            root=family_root(brief_id, translation_of_id) if translated else None,
        )
        # Its translations and original, and whether it is behind the
        # original, as they are public now (publishing/translations.py).
        family = family_of(
            family_rows,
            brief_id=brief_id,
            translation_of_id=translation_of_id,
            translated_from_number=translated_from_number,
        )
        alternates = None
        if family.others:
            article_html = with_family(article_html, family)
            own = LinkedEdition(
                brief_id, kwargs["slug"], "", language, 0, None, translation_of_id
            )
            alternates = [
                Alternate(tag, url)
                for tag, url in brief_alternates(own=own, family=family)
            ]
        return edition_page(
            head_html, article_html, items, request=request, alternates=alternates
        )

    def missing(self, request: HttpRequest, slug: str) -> HttpResponse:
        """A withdrawn brief answers 410 with its notice; an old slug answers 301."""
        edition = (
            Edition.objects.withdrawn()
            .filter(slug=slug)
            .rendered_in(None, "citation")
            .first()
        )
        if edition is not None:
            return withdrawn_page(request, edition)
        target = moved_edition(slug)
        if target is not None:
            return HttpResponseRedirect(target.get_absolute_url(), status=301)
        raise Http404("No published brief at this address.")


def withdrawn_page(request: HttpRequest, edition: Edition) -> HttpResponse:
    """The tombstone: what the brief was, why it was withdrawn, how to cite it.

    From the withdrawn edition, so its title, authors, date and citation are
    exactly those its citation files and its OAI deleted record keep.
    """
    record = record_from_json(edition.citation)
    language = rendering_language()
    # Its title in the page's script, for the template and the head.
    edition.title = text_in(edition.title, edition.language, language)
    return render(
        request,
        "briefs/brief_withdrawn.html",
        {
            "edition": edition,
            "authors": [
                snapshot_name(c["person"], language)
                for c in edition.content["contributors"]
                if c["role"] == Role.AUTHOR
            ],  # fmt: skip
            "apa": format_apa(record, html=True),
            "downloads": [
                (
                    label,
                    reverse("briefs:cite", kwargs={"slug": edition.slug, "ext": ext}),
                )
                for label, ext in (
                    ("BibTeX", "bib"),
                    ("RIS", "ris"),
                    ("CSL-JSON", "json"),
                )
            ],
            "meta": {
                "title": _("Withdrawn: %(title)s") % {"title": edition.title},
                "description": _("This brief has been withdrawn."),
                "robots": "noindex",
            },
        },
        status=410,
    )


@public_page
def person_list(request: HttpRequest) -> HttpResponse:
    """The experts: every person a public edition credits, by name. Three queries.

    Each with their photo, affiliation, roles and areas: the topics of the
    public briefs they are credited on, and the roles those credits give them.
    """
    public = Edition.objects.public()
    language = rendering_language()
    people = list(
        public.credited_people()
        .select_related("affiliation", "portrait")
        .order_by(Lower("name"), "pk")
    )
    credits = (
        public.links_of(EditionCredit.objects.all())
        .values_list("person_id", "role", "edition__topics")
        .distinct()
    )
    roles: dict[int, set[str]] = {}
    areas: dict[int, set[int]] = {}
    for person_id, role, topic_id in credits:
        roles.setdefault(person_id, set()).add(role)
        if topic_id is not None:
            areas.setdefault(person_id, set()).add(topic_id)
    topics = {
        topic.pk: topic
        for topic in Topic.objects.filter(
            pk__in={pk for ids in areas.values() for pk in ids}
        ).only("name", "name_sr", "name_sr_cyrl", "slug")
    }
    for topic in topics.values():  # named in the page's script; never saved
        topic.name = topic.name_in(language)
    for person in people:
        person.name = person.name_in(language)
        if person.affiliation:
            person.affiliation.name = person.affiliation.name_in(language)
        # Beside the linked name, the photo repeats it: empty alt.
        person.portrait_view = portrait_context(
            person.portrait, sizes="6rem", beside_name=True
        )
        person.roles = [r.label for r in Role if r in roles.get(person.pk, ())]
        person.areas = sorted(
            (topics[pk] for pk in areas.get(person.pk, ()) if pk in topics),
            key=lambda topic: topic.name.casefold(),
        )
    return render(
        request,
        "briefs/person_list.html",
        {
            "people": people,
            "meta": {
                "title": _("Experts"),
                "description": _(
                    "The researchers and authors of %(name)s briefs and their areas."
                )
                % {"name": settings.PUBLISHER["name"]},
            },
        },
    )


@public_page
def topic_list(request: HttpRequest) -> HttpResponse:
    """Every public topic with its count of public briefs. One query."""
    language = rendering_language()
    # Filtered, then counted over the same join: public editions only.
    topics = list(
        Topic.objects.filter(
            editions__in=Edition.objects.public().order_by().values("pk")
        )
        .annotate(brief_count=Count("editions"))
        .order_by("pk")
    )
    for topic in topics:  # named in the page's script; never saved
        topic.name = topic.name_in(language)
    topics.sort(key=lambda topic: topic.name.casefold())
    return render(
        request,
        "briefs/topic_list.html",
        {
            "topics": topics,
            "meta": {
                "title": _("Topics"),
                "description": _("The topics %(name)s briefs are filed under.")
                % {"name": settings.PUBLISHER["name"]},
            },
        },
    )


@method_decorator(public_page, name="dispatch")
class PersonDetailView(DetailView):
    """A person's page: public exactly when a public edition credits them (else 404).

    Their own data (name, affiliation, ORCID, biography) as it is now; their
    briefs by role as the public editions credit them. Two queries.
    """

    template_name = "briefs/person_detail.html"

    def get_queryset(self) -> QuerySet[Person]:
        return (
            Edition.objects.public()
            .credited_people()
            .select_related("affiliation", "portrait")
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        person = self.object
        language = rendering_language()
        # Names in the page's script (the instances are never saved).
        person.name = person.name_in(language)
        if person.affiliation:
            person.affiliation.name = person.affiliation.name_in(language)
        # One row per credit, in the public order, with the card in the
        # page's language.
        credits = list(
            Edition.objects.public()
            .filter(credits__person=person)
            .only("id")
            .rendered_in(language, "card_html")
            .annotate(credit_role=F("credits__role"))
        )
        by_role = []
        for role in Role:
            editions = [e for e in credits if e.credit_role == role]
            if editions:
                by_role.append({"role": role, "label": role.label, "briefs": editions})
        context["by_role"] = by_role
        context["portrait"] = portrait_context(person.portrait)
        url = absolute_url(person.get_absolute_url())
        data = {
            "@context": "https://schema.org",
            "@type": "Person",
            "name": person.name,
            "url": url,
        }
        if person.orcid:
            data["sameAs"] = [person.orcid_url]
        if person.affiliation:
            data["affiliation"] = {
                "@type": "Organization",
                "name": person.affiliation.name,
            }
        context["json_ld"] = json_ld(data)
        context["meta"] = {
            "title": person.name,
            "description": (
                person.bio[:200]
                if person.bio
                else _("Briefs by %(name)s.") % {"name": person}
            ),
            "type": "profile",
        }
        return context


@method_decorator(public_page, name="dispatch")
class TopicDetailView(DetailView):
    """A topic's page: public exactly when a public edition has the topic (else 404)."""

    template_name = "briefs/topic_detail.html"
    paginate_by = LIST_PAGE_SIZE

    def get_queryset(self) -> QuerySet[Topic]:
        return Edition.objects.public().linked_topics()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        # Its name in the page's script (the instance is never saved).
        self.object.name = self.object.name_in(rendering_language())
        paginator = Paginator(
            public_cards().filter(topics=self.object), self.paginate_by
        )
        page = paginator.get_page(self.request.GET.get("page"))
        context["page_obj"] = page
        context["briefs"] = list(page.object_list)
        context["is_paginated"] = page.has_other_pages()
        context["paginator"] = paginator
        context["meta"] = {
            "title": self.object.name,
            "description": self.object.description[:200]
            or f"Briefs on {self.object.name}.",
        }
        return context


@method_decorator(public_page, name="dispatch")
class ActorListView(FilteredListView):
    template_name = "actors/actor_list.html"
    paginate_by = 100
    filterset_class = ActorFilter
    page_title = gettext_lazy("Actors")

    def base_queryset(self) -> QuerySet[Actor]:
        # The public editions that discuss each actor (confirmed links only:
        # editions link no other kind).
        public_count = (
            EditionActor.objects.filter(
                actor=OuterRef("pk"),
                edition__in=Edition.objects.public().order_by().values("pk"),
            )
            .order_by()
            .values("actor")
            .annotate(n=Count("*"))
            .values("n")
        )
        return (
            Actor.objects.annotate(
                brief_count=Coalesce(
                    Subquery(public_count, output_field=IntegerField()), Value(0)
                )
            )
            .only("name", "name_sr", "name_sr_cyrl", "slug", "kind")
            .order_by(Lower("name"), "id")
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        language = rendering_language()
        for actor in context["object_list"]:  # never saved
            actor.name = actor.name_in(language)
        context["meta"] = {
            "title": _("Actors"),
            "description": _(
                "States, organizations, missions and people that the briefs discuss."
            ),
        }
        return context


@method_decorator(public_page, name="dispatch")
class ActorDetailView(View):
    """The actor's prepared page, with its public briefs and recommendations.

    Three queries: the actor's prepared row (publishing/pages.py), the latest
    public editions that discuss it, and the latest recommendations of public
    editions addressed to it; plus its pictures (timeline and map), kept per
    content generation and day (publishing/pictures.py): six more queries
    when they are drawn, none after.
    """

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        actor = public_actor(kwargs["slug"])
        if actor is None:
            raise Http404("No actor at this address.")
        ensure_actor_page(actor)
        head, content, tail = actor_page_shell()
        before_pictures, before_briefs, before_recommendations, rest = (
            actor.rendered_parts
        )
        page = "".join(
            (
                head,
                actor.rendered_head,
                content,
                before_pictures,
                actor_pictures(actor.pk, actor.name, actor.slug),
                before_briefs,
                actor_brief_cards(actor.pk),
                before_recommendations,
                actor_recommendation_items(actor.pk),
                rest,
                tail,
            )
        )
        return HttpResponse(fill_page_links(page, request))


@public_page
def alliance_network(request: HttpRequest) -> HttpResponse:
    """The alliance map on a day (`?on=`, default today), whole or around `?actor=`.

    Four queries at most, none once this day's map is kept
    (publishing/pictures.py); a bad address is a 400 that says why.
    """
    form = NetworkForm(request.GET)
    context: dict = {"form": form, "meta": {"title": _("Alliance map")}}
    if not form.is_valid():
        return render(request, "actors/network.html", context, status=400)
    on, actor = form.cleaned_data["on"], form.cleaned_data["actor"]
    context.update(network_page(on, actor), on=on, actor=actor)
    context["meta"] = {
        "title": (
            _("Alliance map around %(name)s") % {"name": actor.name}
            if actor
            else _("Alliance map")
        ),
        "description": _(
            "Actors linked by memberships, agreements and offices on %(day)s."
        )
        % {"day": date_format(on)},
    }
    return render(request, "actors/network.html", context)


@method_decorator(public_page, name="dispatch")
class AgreementListView(FilteredListView):
    template_name = "actors/agreement_list.html"
    paginate_by = 50
    filterset_class = AgreementFilter
    page_title = gettext_lazy("Agreements")

    def base_queryset(self) -> QuerySet[Agreement]:
        return Agreement.objects.prefetch_related(
            Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related("actor").only(
                    "agreement_id", "order", "actor__name", "actor__slug"
                ),
            )
        ).order_by("-signed_on", "title")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["meta"] = {
            "title": _("Agreements"),
            "description": _(
                "Treaties, declarations and cooperation plans between "
                "the actors the briefs discuss."
            ),
        }
        return context


# This process's prepared agreement pages: {(language, slug): (generation,
# id, [before the brief cards, after])}.
_agreement_pages: dict[tuple[str, str], tuple[str, int, list[str]]] = {}
AGREEMENT_PAGES_MAX = 500


def _agreement_cards_query(language: str) -> Callable[..., QuerySet]:
    def build(agreement_id: int, at: datetime.datetime) -> QuerySet:
        return (
            Edition.objects.public(at=at)
            .filter(agreements=agreement_id)
            .rendered_in(language, "card_html")
            .values_list(rendered("card_html"))
        )

    return build


_AGREEMENT_CARDS = {
    language: CompiledQuery(
        _agreement_cards_query(language),
        agreement_id=-1_000_001,
        at=CompiledQuery.time_sentinel(),
    )
    for language in PUBLIC_LANGUAGES
}


@method_decorator(public_page, name="dispatch")
class AgreementDetailView(DetailView):
    """An agreement, its parties and sources, and the public briefs discussing it.

    Everything but the briefs comes from working records (agreement, parties,
    signatories, sources, sibling agreements): four queries and a whole
    template, about 4 ms, where the page's budget is about eight times a bare
    view. Every committed change to those records retires the content
    generation (kernel/changes.py), so, as for the brief list, that part is
    rendered once per generation (and day: its history and map run to
    today) per process with a marker where the cards go, and a request runs
    one compiled query for the public editions' cards
    (publishing/compiled.py). Needs the generation shared by every process
    (`PREPARED_LISTS`); otherwise the page is rendered per request, with its
    map's three queries (publishing/pictures.py).
    """

    template_name = "actors/agreement_detail.html"
    context_object_name = "agreement"
    preparing = False

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.PREPARED_LISTS or settings.DEBUG:
            return super().get(request, *args, **kwargs)
        language = rendering_language()
        # Per day too: its pictures run to today (publishing/pictures.py).
        generation = f"{current_generation()}:{timezone.localdate():%Y-%m-%d}"
        prepared = _agreement_pages.get((language, kwargs["slug"]))
        if prepared is None or prepared[0] != generation:
            prepared = self.prepare(request, generation, *args, **kwargs)
        _generation, agreement_id, (before, after) = prepared
        cards = _AGREEMENT_CARDS[language](agreement_id=agreement_id, at=timezone.now())
        if cards:
            middle = "".join(card for (card,) in cards)
        else:
            middle = "<p>{}</p>".format(
                _("No published brief discusses this agreement yet.")
            )
        return HttpResponse(before + middle + after)

    def prepare(
        self, request: HttpRequest, generation: str, *args, **kwargs
    ) -> tuple[str, int, list[str]]:
        """The page rendered with a marker for its cards (404 if no agreement)."""
        self.preparing = True
        response = super().get(request, *args, **kwargs)
        response.render()
        before, after = response.content.decode().split(_CARDS, 1)
        if len(_agreement_pages) >= AGREEMENT_PAGES_MAX or any(
            entry[0] != generation for entry in _agreement_pages.values()
        ):
            _agreement_pages.clear()  # only the current generation is ever used
        prepared = (generation, self.object.pk, [before, after])
        _agreement_pages[(rendering_language(), kwargs["slug"])] = prepared
        return prepared

    def get_queryset(self) -> QuerySet[Agreement]:
        return Agreement.objects.prefetch_related(
            Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related("actor", "signatory"),
            ),
            "sources",
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        agreement = self.object
        parties = list(agreement.parties.all())
        language = rendering_language()
        # Names in the page's script (the instances are never saved).
        agreement.title = agreement.name_in(language)
        for party in parties:
            party.actor.name = party.actor.name_in(language)
            if party.signatory is not None:
                party.signatory.name = party.signatory.name_in(language)
        context["parties"] = parties
        if self.preparing:  # the cards are read per request (see get)
            context["briefs"] = [_CardMarker()]
        else:
            context["briefs"] = list(public_cards().filter(agreements=agreement))
        party_ids = [party.actor_id for party in parties]
        others = Agreement.objects.none()
        if len(party_ids) >= 2:
            # Agreements to which every party of this one is a party too.
            others = (
                Agreement.objects.exclude(pk=agreement.pk)
                .annotate(
                    shared=Count("parties", filter=Q(parties__actor_id__in=party_ids))
                )
                .filter(shared=len(party_ids))
                .only("title", "name_sr", "name_sr_cyrl", "slug", "signed_on")
                .order_by("-signed_on", "title")
            )
        context["others"] = list(others)
        for other in context["others"]:  # never saved
            other.title = other.name_in(language)
        context["pictures"] = agreement_pictures(agreement, party_ids)
        context["meta"] = {
            "title": agreement.title,
            "description": agreement.summary[:200]
            or f"{agreement.get_kind_display()} between "
            + ", ".join(p.actor.name for p in parties),
        }
        data = {
            "@context": "https://schema.org",
            "@type": "Legislation",
            "name": agreement.title,
            "url": absolute_url(agreement.get_absolute_url()),
            "legislationType": agreement.get_kind_display(),
        }
        if agreement.signed_on:
            data["legislationDate"] = agreement.signed_on.isoformat()
        context["json_ld"] = json_ld(data)
        return context


# Stands for the rows in the prepared unfiltered recommendations page.
_ROWS = "\x00rows\x00"
# This process's prepared unfiltered page, per language:
# {(generation, language): [before rows, after]}.
_recommendation_shells: dict[tuple[str, str], list[str]] = {}


@method_decorator(public_page, name="dispatch")
class RecommendationListView(FilteredListView):
    """The recommendations of public editions, as those editions make them.

    Its unfiltered first page is prepared once per content generation per
    process, as the brief list's is (see BriefListView, PREPARED_LISTS): the
    total and the facets are GROUP BYs over every public recommendation and
    its addressees (about 5,000 and 15,000 rows at 1,000 briefs), which cost
    that page ~40 ms of CPU on SQLite per request against a budget of ten
    bare views. Each request then reads the first 50 rows (one compiled
    query) and their addressees (one query) and joins them into the shell.
    Rows on every page are tuples written by publishing/recommendation_rows.py.
    """

    template_name = "briefs/recommendation_list.html"
    filterset_class = RecommendationFilter
    page_title = gettext_lazy("Recommendations")
    preparing = False
    paginate_by = PAGE_SIZE

    def base_queryset(self) -> QuerySet[EditionRecommendation]:
        return public_recommendations()

    def get_queryset(self) -> QuerySet:
        return self.filterset.qs.values_list(*ROW_FIELDS)

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.GET or not settings.PREPARED_LISTS:
            return super().get(request, *args, **kwargs)
        key = (current_generation(), rendering_language())
        shell = _recommendation_shells.get(key)
        if shell is None or settings.DEBUG:
            self.preparing = True
            response = super().get(request, *args, **kwargs)
            if response.status_code != 200:  # cannot happen without filters
                return response
            response.render()
            before, after = response.content.decode().split(_ROWS, 1)
            shell = [before, after]
            if any(other[0] != key[0] for other in _recommendation_shells):
                _recommendation_shells.clear()  # only the current generation
            _recommendation_shells[key] = shell
        rows = render_rows(first_page_rows(self.paginate_by))
        return HttpResponse(shell[0] + rows + shell[1])

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        # The rows are read per request (see get); a marker holds their place.
        context["rows_html"] = mark_safe(
            _ROWS if self.preparing else render_rows(context["object_list"])
        )
        ids = self.filterset.qs.order_by().values("pk")
        params = self.facet_params()
        addressee_rows = (
            EditionRecommendation.addressees.through.objects.filter(
                editionrecommendation__in=ids
            )
            .values_list(
                "actor__slug", "actor__name", "actor__name_sr", "actor__name_sr_cyrl"
            )
            .annotate(n=Count("*"))
            .order_by("-n", "actor__name")[:FACET_SIZE]
        )
        language = rendering_language()
        # The scorecard: the filtered recommendations by current status.
        card = scorecard(status_counts(self.filterset.qs))
        context["scorecard"] = {
            "title": self.scorecard_title(),
            "rows": [
                (status, label, n, toggle_link(params, "status", status)[0])
                for status, label, n in card
            ],
            "total": sum(n for _, _, n in card),
        }
        areas = dict(PolicyArea.choices)
        area_rows = (
            EditionRecommendation.objects.filter(pk__in=ids)
            .values_list("policy_area")
            .annotate(n=Count("pk"))
            .order_by("-n")
        )
        facets = BriefFacets(
            total=0,
            facets=[
                Facet(
                    "addressee",
                    _("Addressed to"),
                    [
                        FacetValue(k, name_in(language, text, sr, cyrl), n)
                        for k, text, sr, cyrl, n in addressee_rows
                    ],
                ),
                Facet(
                    "policy_area",
                    _("Policy area"),
                    [FacetValue(k, areas.get(k, k), n) for k, n in area_rows],
                ),
                Facet(
                    "status",
                    _("Status"),
                    [FacetValue(k, label, n) for k, label, n in card if n],
                ),
            ],
        )
        context["facets"] = facets.links(
            lambda name, key: toggle_link(params, name, key)
        ).facets
        context["meta"] = {
            "title": _("Recommendations"),
            "description": _(
                "Every recommendation in the published briefs, by "
                "addressee, policy area and status."
            ),
        }
        return context

    def scorecard_title(self) -> str:
        """Whose scorecard: the addressees or briefs filtered on (already read)."""
        data = self.filterset.form.cleaned_data
        names = [actor.name for actor in data.get("addressee") or []]
        names += [edition.title for edition in data.get("brief") or []]
        if not names:
            return _("Scorecard")
        return _("Scorecard: %(names)s") % {"names": "; ".join(names)}


def render_brief_preview(
    request: HttpRequest,
    brief: Brief,
    *,
    script: str = "",
    unsaved: dict[str, str] | None = None,
) -> HttpResponse:
    """Any brief rendered as the edition publishing it now would make.

    Not routed publicly: only the admin's preview view calls this, after
    checking that the user may see the brief (editorial/admin.py). The edition
    is built for this response and never stored. A Serbian brief's preview
    offers both scripts (`script`: the one shown, codes.CYRILLIC or
    codes.LATIN); `unsaved` is the form's text it shows, which the switch
    posts again.
    """
    edition = preview_edition(brief)
    scripts = []
    if is_serbian(brief.language):
        shown = script or public_language(brief.language).script
        scripts = [
            (code, label, code == shown)
            for code, label in ((CYRILLIC, "Ћирилица"), (LATIN, "Latinica"))
        ]
    return TemplateResponse(
        request,
        "briefs/brief_preview.html",
        {
            "brief": brief,
            "edition": edition,
            "page": {"head": edition.head_html, "article": edition.article_html},
            "object": brief,
            "preview": True,
            "related_html": "",
            "scripts": scripts,
            "unsaved": unsaved,
            # The same count as the change form's (briefs.reading).
            "stats": reading_stats(brief.summary, brief.body),
        },
    )


# --- Citation downloads and the PDF -------------------------------------------
# Kept together at the end of the module: both serve a brief's edition in
# another format.


def moved_edition(old_slug: str) -> Edition | None:
    """The current edition of the brief `old_slug` used to name, if it may be told.

    Only a public or withdrawn one: an old link must not reveal the new
    address of a brief taken back to draft or moved to the trash.
    """
    moved = BriefSlugHistory.objects.filter(old_slug=old_slug).values("brief").first()
    if moved is None:
        return None
    return (
        (Edition.objects.public() | Edition.objects.withdrawn())
        .filter(brief_id=moved["brief"])
        .only("slug", "number", "is_current", "released_at", "withdrawn_at", "in_trash")
        .first()
    )


def _redirect_if_moved(slug: str, url_name: str, **kwargs: str) -> HttpResponse:
    """301 from an old slug's cite file or PDF to the same file at the new slug.

    Called only once no edition has `slug`, so a current address pays
    nothing for it; anything else stays a 404.
    """
    target = moved_edition(slug)
    if target is None or not target.is_public:
        raise Http404("No published brief at this address.")
    url = reverse(url_name, kwargs={"slug": target.slug, **kwargs})
    return HttpResponseRedirect(url, status=301)


def brief_citation(request: HttpRequest, slug: str, ext: str) -> HttpResponse:
    """`/briefs/<slug>/cite.bib|.ris|.json`: BibTeX, RIS or CSL-JSON.

    Served for withdrawn briefs too: their tombstone keeps the citation.
    """
    if ext not in EXPORT_FORMATS:
        raise Http404(f"No citation format .{ext}; use .bib, .ris or .json.")
    # The citation as the request's language gives it (rendered_in).
    edition = (
        Edition.objects.citable()
        .filter(slug=slug)
        .only("id")
        .rendered_in(None, "citation")
        .first()
    )
    if edition is None:
        return _redirect_if_moved(slug, "briefs:cite", ext=ext)
    return _edition_citation_response(edition, ext, slug)


def brief_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """`/briefs/<slug>.pdf`: the stored PDF of the current version.

    Rendered once per edition after it is published (publishing/pdfs.py) and
    served from storage afterwards.
    """
    edition = Edition.objects.public().filter(slug=slug).first()
    if edition is None:
        return _redirect_if_moved(slug, "briefs:pdf")
    return _pdf_response(edition, slug)


# The brief page's two queries, compiled once per process (publishing/compiled.py):
# building their SQL with the ORM cost more CPU than the rest of the page.
_SLUG = "\x00slug-sentinel"
# Pads the related candidates to the compiled length; no brief has this id.
_NO_BRIEF = -1


def _current_page_query(language: str) -> Callable[..., QuerySet]:
    def build(slug: str, at: datetime.datetime) -> QuerySet:
        # Whether the brief's family has a public translation (it may be one):
        # most briefs have none, and their page then asks for no family.
        translated = Edition.objects.public(at=at).filter(
            translation_of_id=Coalesce(
                OuterRef("translation_of_id"), OuterRef("brief_id")
            )
        )
        return (
            Edition.objects.public(at=at)
            .filter(slug=slug)
            .rendered_in(language, "head_html", "article_html")
            .annotate(translated=Exists(translated))
            .order_by()
            .values_list(
                rendered("head_html"),
                rendered("article_html"),
                "related",
                "brief_id",
                "language",
                "translation_of_id",
                "translated_from_number",
                "translated",
            )
        )

    return build


# What a brief page reads of the editions it links, after the brief's id and
# its related-list item: the family's links (publishing/translations.py).
_LINKED_FIELDS = (
    "slug",
    "title",
    "language",
    "number",
    "updated_on",
    "translation_of_id",
)


def _linked_items_query(language: str) -> Callable[..., QuerySet]:
    """The public editions a brief page links: related briefs and its family.

    `root` is the family's original (publishing/translations.py): the
    original itself and every translation of it.
    """

    def build(ids: list[int], root: int | None, at: datetime.datetime) -> QuerySet:
        wanted = Q(brief_id__in=ids)
        if root is not None:
            wanted |= Q(brief_id=root) | Q(translation_of_id=root)
        return (
            Edition.objects.public(at=at)
            .filter(wanted)
            .rendered_in(language, "related_item_html")
            .order_by()
            .values_list("brief_id", rendered("related_item_html"), *_LINKED_FIELDS)
        )

    return build


# One compiled query per language: the language is part of the SQL.
_CURRENT_PAGE = {
    language: CompiledQuery(
        _current_page_query(language), slug=_SLUG, at=CompiledQuery.time_sentinel()
    )
    for language in PUBLIC_LANGUAGES
}
_LINKED_ITEMS = {
    language: CompiledQuery(
        _linked_items_query(language),
        ids=[-1_000_001 - n for n in range(RELATED_CANDIDATES)],
        root=-3_000_001,
        at=CompiledQuery.time_sentinel(),
    )
    for language in PUBLIC_LANGUAGES
}
_RELATED_ITEMS = {
    language: CompiledQuery(
        lambda ids, at, language=language: _linked_items_query(language)(ids, None, at),
        ids=[-1_000_001 - n for n in range(RELATED_CANDIDATES)],
        at=CompiledQuery.time_sentinel(),
    )
    for language in PUBLIC_LANGUAGES
}


def load_json(value: object) -> object:
    """A JSON column read through a cursor: text on SQLite and PostgreSQL alike."""
    return json.loads(value) if isinstance(value, str) else value


def edition_page(
    head_html: str,
    article_html: str,
    related: list[str],
    *,
    request: HttpRequest,
    alternates: list[Alternate] | None = None,
) -> HttpResponse:
    """A brief page: the page shell around an edition's stored parts.

    `alternates` are the page's counterparts in the other languages
    (languages.alternates.alternates; by default the same address in each).
    """
    head, article, related_mark, tail = brief_page_shell()
    page = "".join(
            (
                head,
                head_html,
                article,
                article_html,
                related_mark,
                related_html(related),
                tail,
            )
        )  # fmt: skip
    return HttpResponse(fill_page_links(page, request, alternates))


def linked_items(
    related: list[list[int]], *, root: int | None, limit: int = 5
) -> tuple[list[str], list[LinkedEdition]]:
    """List items of the public briefs among an edition's related candidates,
    and the public editions of its family (its original and translations)
    when it has one (`root`, the original's id; None: no public translation).

    One query; which are public is asked now, so a withdrawn or trashed
    brief leaves every related block and every language link at once.
    Without a family the query is a plain lookup by id: on SQLite the
    family's OR made it ten times dearer.
    """
    ranked = [pk for pk, _ in related]
    language = rendering_language()
    now = timezone.now()
    if len(ranked) <= RELATED_CANDIDATES:
        padded = ranked + [_NO_BRIEF] * (RELATED_CANDIDATES - len(ranked))
        if root is None:
            rows = _RELATED_ITEMS[language](ids=padded, at=now)
        else:
            rows = _LINKED_ITEMS[language](ids=padded, root=root, at=now)
    else:  # not written by publishing (rendering.py caps the list); still served
        rows = _linked_items_query(language)(ranked, root, now)
    items = {}
    family = []
    for brief_id, item_html, *fields in rows:
        items[brief_id] = item_html
        family.append(LinkedEdition.from_row(brief_id, *fields))
    related_html = [items[pk] for pk in ranked if pk in items][:limit]
    return related_html, family


def _public_old_edition(slug: str, number: int, *parts: str) -> Edition:
    """An earlier edition of a brief that is public now, or 404.

    With `parts`, those of its rendered parts are the request language's.
    """
    current = Edition.objects.public().filter(slug=slug).only("brief_id", "number")
    current = current.first()
    if current is None or number >= current.number:
        raise Http404("No earlier version at this address.")
    editions = Edition.objects.filter(brief_id=current.brief_id, number=number)
    if parts:
        editions = editions.rendered_in(None, *parts)
    return get_object_or_404(editions)


@public_page
def edition_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """An earlier version of a public brief, marked superseded, at a stable address.

    The current version's address is /briefs/<slug>/; /v<N>/ of the current
    number redirects there.
    """
    current = Edition.objects.public().filter(slug=slug).only("number").first()
    if current is not None and number == current.number:
        return HttpResponseRedirect(reverse("briefs:detail", kwargs={"slug": slug}))
    edition = _public_old_edition(slug, number, "head_html", "article_html")
    return edition_page(edition.head_html, edition.article_html, [], request=request)


def _edition_citation_response(
    edition: Edition, ext: str, filename: str
) -> HttpResponse:
    if ext not in EXPORT_FORMATS:
        raise Http404(f"No citation format .{ext}; use .bib, .ris or .json.")
    formatter, content_type = EXPORT_FORMATS[ext]
    # In the reader's language, as the edition rendered it for them
    # (`rendered_in`): a Serbian brief cited in /sr/'s Cyrillic or
    # /sr-latn/'s Latin; an English brief the same in every language.
    record = record_from_json(edition.citation)
    response = HttpResponse(
        formatter(record), content_type=f"{content_type}; charset=utf-8"
    )
    response["Content-Language"] = record.language
    # A download with a sensible name; reference managers also recognise the
    # media type and offer to import it.
    response["Content-Disposition"] = f'attachment; filename="{filename}.{ext}"'
    # Public metadata: let browser-based citation tools fetch it cross-origin.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _pdf_response(edition: Edition, filename: str) -> HttpResponse:
    try:
        name = ensure_edition_pdf(edition)
    except PDFUnavailable:
        return HttpResponse(
            "The PDF cannot be made on this server right now.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    return FileResponse(
        default_storage.open(name, "rb"),
        content_type="application/pdf",
        filename=f"{filename}.pdf",
    )


def edition_citation(
    request: HttpRequest, slug: str, number: int, ext: str
) -> HttpResponse:
    """`/briefs/<slug>/v<N>/cite.bib|.ris|.json`: an earlier version's citation."""
    edition = _public_old_edition(slug, number, "citation")
    return _edition_citation_response(edition, ext, f"{slug}-v{number}")


def edition_pdf(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """`/briefs/<slug>/v<N>.pdf`: an earlier version's PDF."""
    edition = _public_old_edition(slug, number)
    return _pdf_response(edition, f"{slug}-v{number}")
