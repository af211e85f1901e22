"""Partner API for briefs, people, topics and recommendations.

Everything here reads editions (publishing/models.py) through the one gate,
`Edition.objects.public()`: drafts, scheduled, withdrawn and trashed briefs
never appear, nor do their recommendations, nor people or topics known only
from them (public exactly when a public edition credits or names them).

Briefs are not serialised per request: each edition stores its API list item
and detail (`api_item`, `api_detail`, made by the serializers in
publishing/serializers.py when it is published), with absolute addresses
starting with `editions.API_ORIGIN`. A list reads the JSON of its page's
editions in one query (plus the count), puts the requesting origin in, and
wraps it in the usual envelope; no model instance is built. The serializers
stay the viewsets' `serializer_class` so that the OpenAPI schema documents the
shapes the stored JSON has.
"""

import json
import re
from typing import Any

from django.db.models import (
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Cast, Coalesce
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from briefs.models import Person, Topic
from kernel.rest import absolute_url
from kernel.viewsets import ArchiveViewSet
from publishing.citations import citation_payload, record_from_json
from publishing.editions import API_ORIGIN
from publishing.filters import (
    BriefFilter,
    PersonFilter,
    RecommendationFilter,
    TopicFilter,
)
from publishing.models import Edition, EditionRecommendation
from publishing.serializers import (
    BriefDetailSerializer,
    BriefListSerializer,
    PersonDetailSerializer,
    PersonListSerializer,
    RecommendationSerializer,
    TopicSerializer,
)
from publishing.views import moved_brief


def _origin(request: Request) -> str:
    """The requesting scheme and host, JSON-escaped: what replaces API_ORIGIN."""
    return json.dumps(request.build_absolute_uri("/")[:-1])[1:-1]


def _stored(field: str) -> Cast:
    """A stored JSON representation as its text: the origin is put in before
    it is parsed, one string replacement per page instead of a walk through
    every link of every item."""
    return Cast(field, output_field=TextField())


def _served(texts: list[str], request: Request) -> list[Any]:
    """Stored representations as the requesting origin serves them."""
    joined = "[" + ",".join(texts) + "]"
    return json.loads(joined.replace(API_ORIGIN, _origin(request)))


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
    serializer_class = BriefDetailSerializer
    list_serializer_class = BriefListSerializer
    filterset_class = BriefFilter
    # The public names of the sort keys, onto the edition's fields.
    ordering_fields = ["publication_date", "published_at", "title", "id"]
    ordering_sources = {"publication_date": "public_date", "id": "brief_id"}
    ordering = ["-publication_date", "-published_at", "-id"]

    def get_queryset(self) -> QuerySet[Edition]:
        # A method, not a class attribute: "now" is each request's own.
        return Edition.objects.public()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cached = self._cached_answer(request)
        if cached is not None:
            return cached
        editions = self.filter_queryset(self.get_queryset())
        texts = self.paginate_queryset(
            editions.values_list(_stored("api_item"), flat=True)
        )
        return self.get_paginated_response(_served(texts, request))

    def _current(self, *fields: Any) -> tuple:
        """The public edition at this address (`fields` of it), or a 404.

        A former address of a brief that is public now answers with a 301 to
        the same resource at its current address, as the site does.
        """
        slug = self.kwargs[self.lookup_field]
        row = self.get_queryset().filter(slug=slug).values_list(*fields).first()
        if row is not None:
            return row
        target = moved_brief(slug)
        if target is not None and self.get_queryset().filter(slug=target.slug).exists():
            name = "citation" if self.action == "citation" else "detail"
            raise _Moved(reverse(f"api:brief-{name}", kwargs={"slug": target.slug}))
        raise Http404

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cached = self._cached_answer(request)
        if cached is not None:
            return cached
        text, self._last_modified = self._current(_stored("api_detail"), "released_at")
        return Response(_served([text], request)[0])

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
        citation, self._last_modified = self._current("citation", "released_at")
        return Response(citation_payload(record_from_json(citation)))

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, _Moved):
            return HttpResponsePermanentRedirect(exc.location)
        return super().handle_exception(exc)


class _Moved(Exception):
    """A brief's former address was asked for: answer with a 301 to `location`."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def _public_edition_count(**outer: Any) -> Coalesce:
    """A correlated count of public editions, e.g. crediting a person.

    A subquery, not Count() over a join: the gate is `public()` itself, and
    the outer query's own joins (filters, ordering) cannot inflate it.
    """
    counted = (
        Edition.objects.public()
        .filter(**outer)
        .order_by()
        .values(
            n=Func("pk", function="COUNT", template="COUNT(DISTINCT %(expressions)s)")
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
        return (
            Person.objects.select_related("affiliation")
            .annotate(brief_count=_public_edition_count(credits__person=OuterRef("pk")))
            .filter(brief_count__gt=0)
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
        return Topic.objects.annotate(
            brief_count=_public_edition_count(topics=OuterRef("pk"))
        ).filter(brief_count__gt=0)


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
)


@extend_schema_view(
    list=extend_schema(
        summary="List recommendations",
        description="Recommendations of published briefs, as their current "
        "version makes them. `?addressee=nato` for those addressed to NATO.",
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

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cached = self._cached_answer(request)
        if cached is not None:
            return cached
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
    context = {"request": request}
    items = []
    for row in rows:
        published = as_published[row["edition_id"], row["order"]]
        slug = f"{row['edition__slug']}-{row['order']}"
        items.append(
            {
                "id": published["id"],
                "slug": slug,
                "api_url": absolute_url(context, "api:recommendation-detail", slug),
                "brief": {
                    "slug": row["edition__slug"],
                    "title": row["edition__title"],
                    "api_url": absolute_url(
                        context, "api:brief-detail", row["edition__slug"]
                    ),
                },
                "order": row["order"],
                "title": row["title"],
                "body": row["body"],
                "policy_area": row["policy_area"],
                "addressees": [
                    {
                        "slug": actor["slug"],
                        "name": actor["name"],
                        "api_url": absolute_url(
                            context, "api:actor-detail", actor["slug"]
                        ),
                    }
                    for actor in published["addressees"]
                ],
            }
        )
    return items
