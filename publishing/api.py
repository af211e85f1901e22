"""Partner API for briefs, people, topics and recommendations.

Everything here reads editions (publishing/models.py) through the one gate,
`Edition.objects.public()`: drafts, scheduled, withdrawn and trashed briefs
never appear, nor do their recommendations, nor people or topics known only
from them (public exactly when a public edition credits or names them).

Briefs are not serialised per request: each edition stores its API list item
and detail (`api_item`, `api_detail`, made by the serializers in
publishing/serializers.py when it is published), with absolute addresses
starting with `editions.API_ORIGIN`. A list reads the JSON text of its page's
editions in one query (plus the count), puts the requesting origin in, wraps
it in the usual envelope and serves the text as it is
(`kernel.rest.StoredJSONRenderer`); no model instance is built, nothing is
decoded. The serializers stay the viewsets' `serializer_class` so that the
OpenAPI schema documents the shapes the stored JSON has.

Recommendations are assembled from their link rows and their edition's
snapshot (ids, addressees as published). People and topics are the records'
own rows, serialised per request.
"""

import datetime
import json
import re
from typing import Any

from django.db.models import (
    Exists,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Cast, Coalesce
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from briefs.models import Person, Topic
from kernel import negotiation
from kernel.compiled import CompiledQuery
from kernel.rest import StoredJSON, StoredJSONRenderer, absolute_url, ordered
from kernel.viewsets import ArchiveViewSet
from languages.codes import PUBLIC_LANGUAGES, content_public_language
from publishing.citations import citation_payload, record_from_json
from publishing.editions import API_ORIGIN, snapshot_name, text_in
from publishing.filters import (
    BriefFilter,
    PersonFilter,
    RecommendationFilter,
    TopicFilter,
)
from publishing.models import (
    Edition,
    EditionCredit,
    EditionRecommendation,
    rendered,
)
from publishing.serializers import (
    BriefDetailDocSerializer,
    BriefListDocSerializer,
    PersonDetailSerializer,
    PersonListSerializer,
    RecommendationSerializer,
    TopicSerializer,
)
from publishing.tracker import NOT_ASSESSED, histories
from publishing.views import moved_edition


def _origin(request: Request) -> str:
    """The requesting scheme and host, JSON-escaped: what replaces API_ORIGIN."""
    return json.dumps(request.build_absolute_uri("/")[:-1])[1:-1]


def _stored(field: str) -> Cast:
    """A stored JSON representation as its text (on PostgreSQL too): the
    origin is put in with one string replacement per answer, not a walk
    through every link of every item, and the text is served as it is."""
    return Cast(field, output_field=TextField())


def _public_count_query(at: datetime.datetime) -> QuerySet:
    return (
        Edition.objects.public(at=at)
        .order_by()
        .values_list(Func(template="COUNT(*)", output_field=IntegerField()))
    )


def _translated(at: datetime.datetime) -> Exists:
    """Has the outer edition's brief a public translation? (Read with the row,
    so a brief in no family costs no query for its `translations`.)"""
    return Exists(
        Edition.objects.public(at=at).filter(translation_of_id=OuterRef("brief_id"))
    )


# After the stored text, what an item's `translations` need.
_FAMILY = ("brief_id", "translation_of_id")


def _default_page_query(language: str) -> Any:
    def build(at: datetime.datetime) -> QuerySet:
        # The count rides along on every row: one round trip for the whole page.
        total = Subquery(_public_count_query(at), output_field=IntegerField())
        return (
            ordered(
                Edition.objects.public(at=at),
                [*BriefViewSet.ordering],
                BriefViewSet.ordering_sources,
            )
            .rendered_in(language, "api_item")
            .values_list(
                total, _stored(rendered("api_item")), *_FAMILY, _translated(at)
            )
        )

    return build


def _current_query(field: str, language: str) -> Any:
    def build(slug: str, at: datetime.datetime) -> QuerySet:
        return (
            Edition.objects.public(at=at)
            .filter(slug=slug)
            .order_by()
            .rendered_in(language, field)
            .values_list(
                _stored(rendered(field)), "released_at", *_FAMILY, _translated(at)
            )
        )

    return build


# The unfiltered list in its default order and a brief by its address: each
# compiled once per process and language (publishing/compiled.py): the
# language's stored parts are read by a join on its rendering. Building
# their SQL cost more than the rest of an uncached answer; filtered and
# re-ordered lists are built by the ORM per request.
_SLUG = "\x00slug-sentinel"
_PUBLIC_COUNT = CompiledQuery(_public_count_query, at=CompiledQuery.time_sentinel())
_DEFAULT_PAGE = {
    language: CompiledQuery(
        _default_page_query(language), at=CompiledQuery.time_sentinel()
    )
    for language in PUBLIC_LANGUAGES
}
_CURRENT = {
    (field, language): CompiledQuery(
        _current_query(field, language), slug=_SLUG, at=CompiledQuery.time_sentinel()
    )
    for field in ("api_detail", "citation")
    for language in PUBLIC_LANGUAGES
}


class _PublicItems:
    """The stored list items of the public editions in the default order, as
    the paginator reads a queryset: `count()`, then a slice.

    The page asked for is read with the count, in one query; a second one
    only when that page is empty (past the end, or nothing public).
    """

    def __init__(
        self, at: datetime.datetime, window: tuple[int, int], language: str
    ) -> None:
        self.at = at
        self.offset, self.limit = window
        self.page_query = _DEFAULT_PAGE[language]
        self.rows: list[tuple] = []

    def count(self) -> int:
        self.rows = self.page_query(at=self.at, limit=self.limit, offset=self.offset)
        if self.rows:
            return self.rows[0][0]
        return _PUBLIC_COUNT(at=self.at)[0][0]

    def __getitem__(self, window: slice) -> list[tuple]:
        if window.start == self.offset and window.stop <= self.offset + self.limit:
            rows = self.rows
        else:
            rows = self.page_query(
                at=self.at, limit=window.stop - window.start, offset=window.start
            )
        # (text, brief_id, translation_of_id, translated) per item.
        return [row[1:] for row in rows[: window.stop - window.start]]


@extend_schema_view(
    list=extend_schema(
        summary="List published briefs",
        description="Newest first. Repeating `actor`, `agreement`, `author` or "
        "`topic` means all of them: `?actor=kfor&published_after=2024-01-01`.",
    ),
    retrieve=extend_schema(
        summary="One published brief",
        description="Its current version, with its body as Markdown and as "
        "sanitised HTML. A brief's former slug answers with a 301 to its "
        "current address.",
    ),
)
class BriefViewSet(ArchiveViewSet):
    # Documentation of the stored shapes (see the module docstring); the
    # viewset serves the editions' JSON and never runs them.
    serializer_class = BriefDetailDocSerializer
    list_serializer_class = BriefListDocSerializer
    renderer_classes = [StoredJSONRenderer]
    filterset_class = BriefFilter
    # The public names of the sort keys, onto the edition's fields.
    ordering_fields = ["publication_date", "published_at", "title", "id"]
    ordering_sources = {"publication_date": "public_date", "id": "brief_id"}
    ordering = ["-publication_date", "-published_at", "-id"]

    def get_queryset(self) -> QuerySet[Edition]:
        # A method, not a class attribute: "now" is each request's own.
        return Edition.objects.public()

    def answer_list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if set(request.query_params) - {
            self.paginator.page_query_param,
            self.paginator.page_size_query_param,
            negotiation.PARAMETER,
        }:
            editions = self.filter_queryset(self.get_queryset())
            items = editions.rendered_in(self.language, "api_item").values_list(
                _stored(rendered("api_item")), *_FAMILY, _translated(timezone.now())
            )
        else:
            window = self.paginator.requested_window(request)
            items = _PublicItems(timezone.now(), window, self.language)
        texts = with_translations(self.paginate_queryset(items), request)
        paginator = self.paginator
        head = json.dumps(
            {
                "count": paginator.page.paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
            },
            ensure_ascii=False,
        )
        body = f'{head[:-1]}, "results": [{", ".join(texts)}]}}'
        return Response(StoredJSON(body.replace(API_ORIGIN, _origin(request))))

    def _current(self, field: str) -> tuple[str, datetime.datetime]:
        """The public edition's stored `field` in the answer's language at this
        address, and its release.

        A former address of a brief that is public now answers with a 301 to
        the same resource at its current address, as the site does; anything
        else is a 404.
        """
        slug = self.kwargs[self.lookup_field]
        rows = _CURRENT[field, self.language](slug=slug, at=timezone.now())
        if rows:
            text, released_at, *family = rows[0]
            self._family = family
            if isinstance(released_at, str):
                released_at = parse_datetime(released_at)
            if timezone.is_naive(released_at):
                # SQLite through a bare cursor: a naive time in the
                # connection's zone, UTC (no TIME_ZONE in DATABASES).
                released_at = released_at.replace(tzinfo=datetime.UTC)
            return text, released_at
        target = moved_edition(slug)
        if target is not None and target.is_public:
            name = "citation" if self.action == "citation" else "detail"
            raise _Moved(reverse(f"api:brief-{name}", kwargs={"slug": target.slug}))
        raise Http404

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cached = self._cached_answer(request)
        if cached is not None:
            return cached
        text, self._last_modified = self._current("api_detail")
        (text,) = with_translations([(text, *self._family)], request)
        return Response(StoredJSON(text.replace(API_ORIGIN, _origin(request))))

    @extend_schema(
        summary="How to cite one published brief",
        description='The same citation as the brief page\'s "Cite this" box: '
        "APA, Chicago (author-date) and MLA as text, BibTeX (`@techreport`), "
        "RIS (`TYPE  - RPRT`) and CSL-JSON (`type: report`), with the permanent "
        "address, the PDF address, the DOI when there is one and the version.",
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"], url_path="citation")
    def citation(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cached = self._cached_answer(request)
        if cached is not None:
            return cached
        text, self._last_modified = self._current("citation")
        return Response(citation_payload(record_from_json(json.loads(text))))

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, _Moved):
            return HttpResponsePermanentRedirect(exc.location)
        return super().handle_exception(exc)


def with_translations(items: list[tuple], request: Request) -> list[str]:
    """The stored JSON texts of `items` with each brief's `translations`.

    `items` are (text, brief_id, translation_of_id, has a public translation).
    Which briefs of a family are public changes without their editions (a
    translation published, an original withdrawn), so the links are read now:
    one query for the page, and none when no item has a family. Each link's
    title is in the answer's language's script; its `url` is its page in its
    own language.
    """
    roots = {
        translation_of_id or brief_id
        for _text, brief_id, translation_of_id, translated in items
        if translation_of_id or translated
    }
    family: dict[int, list[tuple]] = {}
    if roots:
        for row in (
            Edition.objects.public()
            .filter(Q(brief_id__in=roots) | Q(translation_of_id__in=roots))
            .order_by("language", "brief_id")
            .values_list("brief_id", "translation_of_id", "slug", "title", "language")
        ):
            family.setdefault(row[1] or row[0], []).append(row)
    language = get_language()
    context = {"request": request}
    texts = []
    for text, brief_id, translation_of_id, _has in items:
        links = [
            {
                "slug": slug,
                "title": text_in(title, written_in, language),
                "language": written_in,
                "is_original": of is None,
                "url": request.build_absolute_uri(_page_in(slug, written_in)),
                "api_url": absolute_url(context, "api:brief-detail", slug),
            }
            for other, of, slug, title, written_in in family.get(
                translation_of_id or brief_id, []
            )
            if other != brief_id
        ]
        links.sort(key=lambda link: not link["is_original"])
        added = json.dumps(links, ensure_ascii=False)
        texts.append(f'{text.rstrip()[:-1]}, "translations": {added}}}')
    return texts


def _page_in(slug: str, content_language: str) -> str:
    """A brief's page in its own language (the script it was written in)."""
    with translation.override(content_public_language(content_language).code):
        return reverse("briefs:detail", kwargs={"slug": slug})


class _Moved(Exception):
    """A brief's former address was asked for: answer with a 301 to `location`."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def _public_links(links: QuerySet) -> QuerySet:
    """Link rows (credits, topics) of public editions: the one public gate."""
    return Edition.objects.public().links_of(links)


def _edition_count(links: QuerySet) -> Coalesce:
    """How many editions `links` (correlated with the outer item) name.

    A subquery, not Count() over a join: the outer query's own joins
    (filters, ordering) cannot inflate it. DISTINCT: a person may be credited
    twice on one edition (author and editor).
    """
    counted = links.order_by().values(
        n=Func(
            "edition_id", function="COUNT", template="COUNT(DISTINCT %(expressions)s)"
        )
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@extend_schema_view(
    list=extend_schema(
        summary="List people",
        description="Authors and other contributors of published briefs.",
    ),
    retrieve=extend_schema(summary="One person"),
)
class PersonViewSet(ArchiveViewSet):
    serializer_class = PersonDetailSerializer
    list_serializer_class = PersonListSerializer
    filterset_class = PersonFilter
    ordering_fields = ["name", "brief_count", "id"]
    ordering = ["name", "id"]

    def get_queryset(self) -> QuerySet[Person]:
        # Public exactly when a public edition credits them: someone known
        # only from unpublished briefs is not public yet (listing them would
        # announce a brief before it is out).
        credits = _public_links(EditionCredit.objects.filter(person=OuterRef("pk")))
        return (
            # portrait: the detail's photo (a join, no query of its own).
            Person.objects.select_related("affiliation", "portrait")
            .filter(Exists(credits))
            .annotate(brief_count=_edition_count(credits))
        )


@extend_schema_view(
    list=extend_schema(
        summary="List topics",
        description="Topics of published briefs; a topic no published brief "
        "has is not listed.",
    ),
    retrieve=extend_schema(summary="One topic"),
)
class TopicViewSet(ArchiveViewSet):
    serializer_class = TopicSerializer
    filterset_class = TopicFilter
    ordering_fields = ["name", "brief_count", "id"]
    ordering = ["name", "id"]

    def get_queryset(self) -> QuerySet[Topic]:
        # Like people: public exactly when a public edition names the topic.
        links = _public_links(
            Edition.topics.through.objects.filter(topic=OuterRef("pk"))
        )
        return Topic.objects.filter(Exists(links)).annotate(
            brief_count=_edition_count(links)
        )


# A recommendation's slug is its brief's slug and its number: "some-brief-3".
RECOMMENDATION_SLUG = re.compile(r"(?P<brief>[-a-zA-Z0-9_]+)-(?P<order>[0-9]{1,4})")

# What an item reads of a recommendation's row and of its edition.
_RECOMMENDATION_FIELDS = (
    "edition_id",
    "order",
    "title",
    "body",
    "policy_area",
    "edition__slug",
    "edition__title",
    "edition__released_at",
    "edition__brief_id",
    "edition__language",
    "key",
)


@extend_schema_view(
    list=extend_schema(
        summary="List recommendations",
        description="Recommendations of published briefs, as their current "
        "version makes them, each with its current `status` and its published "
        "`assessments` (newest first, with evidence). `?addressee=nato` for "
        "those addressed to NATO; `?status=in_progress` by current status; "
        "`?assessed_after=2026-01-31` for those with an assessment dated after "
        "that day.",
    ),
    retrieve=extend_schema(
        summary="One recommendation",
        parameters=[
            OpenApiParameter(
                "slug",
                str,
                OpenApiParameter.PATH,
                pattern=r"^[-a-zA-Z0-9_]+-[0-9]{1,4}$",
                description="The brief's slug, a hyphen and the number: "
                "`some-brief-3`.",
            )
        ],
    ),
)
class RecommendationViewSet(ArchiveViewSet):
    # Documentation of the items' shape; they are assembled from the rows
    # and the editions' snapshots below, without model instances.
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter
    ordering_fields = ["order", "policy_area", "id"]
    ordering = ["-edition__public_date", "edition__slug", "order", "id"]
    lookup_value_regex = r"[-a-zA-Z0-9_]+-[0-9]{1,4}"

    def get_queryset(self) -> QuerySet[EditionRecommendation]:
        return EditionRecommendation.objects.filter(
            edition__in=Edition.objects.public()
        )

    def answer_list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        rows = self.paginate_queryset(queryset.values(*_RECOMMENDATION_FIELDS))
        return self.get_paginated_response(_recommendation_items(rows, request))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cached = self._cached_answer(request)
        if cached is not None:
            return cached
        match = RECOMMENDATION_SLUG.fullmatch(self.kwargs[self.lookup_field])
        if match is None:
            raise Http404
        row = (
            self.get_queryset()
            .filter(edition__slug=match["brief"], order=int(match["order"]))
            .values(*_RECOMMENDATION_FIELDS)
            .first()
        )
        if row is None:
            raise Http404
        self._last_modified = row["edition__released_at"]
        return Response(_recommendation_items([row], request)[0])


# Moments in an item as DRF writes them everywhere else in the API.
_DATETIME = serializers.DateTimeField()


def _recommendation_items(
    rows: list[dict[str, Any]], request: Request
) -> list[dict[str, Any]]:
    """The items of `rows`, with the id and addressees their edition's
    snapshot gives (one query for all of them).

    From the snapshot rather than the actor rows: the edition shows the
    addressees as they were named when it was published, as the brief's
    own API item does; and `id` is the recommendation's own, stable across
    editions (a link row is new with every edition).
    """
    snapshots = dict(
        Edition.objects.filter(pk__in={row["edition_id"] for row in rows})
        .order_by()
        .values_list("pk", KeyTransform("recommendations", "content"))
    )
    as_published = {
        (edition_id, r["order"]): r
        for edition_id, recommendations in snapshots.items()
        for r in recommendations
    }
    # The tracker: each recommendation's published assessments (two queries
    # for the page; the rows are public editions', which is the gate).
    found = histories(
        {row["edition__brief_id"] for row in rows}, {str(row["key"]) for row in rows}
    )
    context = {"request": request}
    # In the answer's language: a Serbian brief's text in its script, the
    # addressees by their names in it.
    language = get_language()
    items = []
    for row in rows:
        published = as_published[row["edition_id"], row["order"]]
        written_in = row["edition__language"]
        history = found.get((row["edition__brief_id"], str(row["key"])), [])
        slug = f"{row['edition__slug']}-{row['order']}"
        items.append(
            {
                "id": published["id"],
                "slug": slug,
                "api_url": absolute_url(context, "api:recommendation-detail", slug),
                "brief": {
                    "slug": row["edition__slug"],
                    "title": text_in(row["edition__title"], written_in, language),
                    "api_url": absolute_url(
                        context, "api:brief-detail", row["edition__slug"]
                    ),
                },
                "order": row["order"],
                "title": text_in(row["title"], written_in, language),
                "body": text_in(row["body"], written_in, language),
                "policy_area": row["policy_area"],
                "addressees": [
                    {
                        "slug": actor["slug"],
                        "name": snapshot_name(actor, language),
                        "api_url": absolute_url(
                            context, "api:actor-detail", actor["slug"]
                        ),
                    }
                    for actor in published["addressees"]
                ],
                "status": history[0]["status"] if history else NOT_ASSESSED,
                "assessments": [
                    {
                        "status": a["status"],
                        "assessed_on": a["assessed_on"].isoformat(),
                        "justification": a["justification"],
                        "published_at": _DATETIME.to_representation(a["published_at"]),
                        "sources": [
                            {
                                "url": s["url"],
                                "title": s["title"],
                                "date": s["published_on"].isoformat(),
                            }
                            for s in a["sources"]
                        ],
                    }
                    for a in history
                ],
            }
        )
    return items
