"""Partner API for briefs, people, topics and recommendations.

Every brief and every count of briefs goes through `Brief.objects.published()`:
drafts, scheduled, withdrawn and trashed briefs never appear, nor do the
recommendations of such briefs, nor people known only from them. Only
confirmed actor links are shown.
"""

import re
from datetime import datetime
from typing import Any

from django.db.models import (
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from briefs.models import (
    Brief,
    BriefActor,
    BriefAgreement,
    Contribution,
    Correction,
    MentionState,
    Person,
    Recommendation,
    Topic,
)
from kernel.viewsets import ArchiveViewSet
from publishing.citations import citation_payload, record_from_json
from publishing.filters import (
    BriefFilter,
    PersonFilter,
    RecommendationFilter,
    TopicFilter,
)
from publishing.models import Edition
from publishing.serializers import (
    BriefDetailSerializer,
    BriefListSerializer,
    PersonDetailSerializer,
    PersonListSerializer,
    RecommendationSerializer,
    TopicSerializer,
)


def _summary_fields(relation: str = "", label: str = "name") -> list[str]:
    prefix = f"{relation}__" if relation else ""
    return [f"{prefix}{f}" for f in ("id", "slug", label, "updated_at")]


def _latest(*timestamps: datetime | None) -> datetime | None:
    known = [t for t in timestamps if t is not None]
    return max(known) if known else None


@extend_schema_view(
    list=extend_schema(
        summary="List published briefs",
        description="Newest first. Repeating `actor`, `agreement`, `author` or "
        "`topic` means all of them: `?actor=kfor&published_after=2024-01-01`.",
    ),
    retrieve=extend_schema(
        summary="One published brief",
        description="With its body as Markdown and as sanitised HTML.",
    ),
)
class BriefViewSet(ArchiveViewSet):
    serializer_class = BriefDetailSerializer
    list_serializer_class = BriefListSerializer
    filterset_class = BriefFilter
    ordering_fields = ["publication_date", "published_at", "title", "id"]
    ordering = ["-publication_date", "-published_at", "-id"]

    def get_queryset(self) -> QuerySet[Brief]:
        # Prefetch everything the serializer shows: the query count stays the
        # same whatever the page size or the number of links per brief.
        # Linked items load only what a summary shows (and `updated_at`, for
        # Last-Modified): building model instances is most of a page's cost.
        # Lists (`to_attr`) rather than related managers: no queryset clone
        # per brief and relation when serialising.
        queryset = Brief.objects.published().prefetch_related(
            Prefetch(
                "contributions",
                queryset=Contribution.objects.select_related("person")
                .only("brief_id", "role", *_summary_fields("person"))
                .order_by("order", "id"),
                to_attr="public_contributions",
            ),
            Prefetch(
                "actor_links",
                queryset=BriefActor.objects.filter(state=MentionState.CONFIRMED)
                .select_related("actor")
                .only("brief_id", *_summary_fields("actor"))
                .order_by(F("first_position").asc(nulls_last=True), "actor__name"),
                to_attr="public_actor_links",
            ),
            Prefetch(
                "agreement_links",
                queryset=BriefAgreement.objects.select_related("agreement")
                .only("brief_id", *_summary_fields("agreement", label="title"))
                .order_by("id"),
                to_attr="public_agreement_links",
            ),
            Prefetch(
                "topics",
                queryset=Topic.objects.only(*_summary_fields()),
                to_attr="public_topics",
            ),
        )
        if self.action == "list":
            # The list shows no body: do not read (or DISTINCT-compare) it.
            queryset = queryset.defer("body", "body_html", "toc")
        if self.action == "citation":
            # The citation record reads every contributor (not only the public
            # summary fields), the topics and the corrections.
            return Brief.objects.published().prefetch_related(
                Prefetch(
                    "contributions",
                    queryset=Contribution.objects.select_related("person"),
                ),
                "topics",
                Prefetch("corrections", queryset=Correction.objects.all()),
            )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "recommendations",
                    queryset=Recommendation.objects.order_by("order").prefetch_related(
                        "addressees"
                    ),
                )
            )
        return queryset

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
        brief = self.get_object()
        self._last_modified = brief.updated_at
        # The citation the edition stored (publishing/citations.py): the same
        # record as the page, the cite files, OAI and the export.
        edition = Edition.objects.public().only("citation").get(brief=brief)
        return Response(citation_payload(record_from_json(edition.citation)))

    def last_modified(self, brief: Brief) -> datetime | None:
        return _latest(
            brief.updated_at,
            *(c.person.updated_at for c in brief.public_contributions),
            *(link.actor.updated_at for link in brief.public_actor_links),
            *(link.agreement.updated_at for link in brief.public_agreement_links),
            *(topic.updated_at for topic in brief.public_topics),
            *(
                actor.updated_at
                for r in brief.recommendations.all()
                for actor in r.addressees.all()
            ),
        )


def _published_brief_count(**outer: Any) -> Coalesce:
    """A correlated count of published briefs, e.g. for a person or a topic.

    A subquery, not Count() over a join: the gate is `published()` itself, and
    the outer query's own joins (filters, ordering) cannot inflate it.
    """
    counted = (
        Brief.objects.published()
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
        # Someone known only from unpublished briefs is not public yet: listing
        # them would announce a brief before it is out.
        return (
            Person.objects.select_related("affiliation")
            .annotate(
                brief_count=_published_brief_count(contributions__person=OuterRef("pk"))
            )
            .filter(brief_count__gt=0)
        )


@extend_schema_view(
    list=extend_schema(summary="List topics"),
    retrieve=extend_schema(summary="One topic"),
)
class TopicViewSet(ArchiveViewSet):
    serializer_class = TopicSerializer
    filterset_class = TopicFilter
    ordering_fields = ["name", "brief_count", "id"]
    ordering = ["name", "id"]

    def get_queryset(self) -> QuerySet[Topic]:
        return Topic.objects.annotate(
            brief_count=_published_brief_count(topics=OuterRef("pk"))
        )


# A recommendation's slug is its brief's slug and its number: "some-brief-3".
RECOMMENDATION_SLUG = re.compile(r"(?P<brief>[-a-zA-Z0-9_]+)-(?P<order>[0-9]{1,4})")


@extend_schema_view(
    list=extend_schema(
        summary="List recommendations",
        description="Recommendations of published briefs. "
        "`?addressee=nato` for those addressed to NATO.",
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
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter
    ordering_fields = ["order", "policy_area", "id"]
    ordering = ["-brief__publication_date", "brief__slug", "order", "id"]
    lookup_value_regex = r"[-a-zA-Z0-9_]+-[0-9]{1,4}"

    def get_queryset(self) -> QuerySet[Recommendation]:
        return (
            Recommendation.objects.filter(brief__in=Brief.objects.published())
            .select_related("brief")
            .prefetch_related("addressees")
        )

    def get_object(self) -> Recommendation:
        match = RECOMMENDATION_SLUG.fullmatch(self.kwargs[self.lookup_field])
        if match is None:
            raise Http404
        try:
            return self.get_queryset().get(
                brief__slug=match["brief"], order=int(match["order"])
            )
        except Recommendation.DoesNotExist:
            raise Http404 from None

    def last_modified(self, r: Recommendation) -> datetime | None:
        return _latest(
            r.brief.updated_at, *(actor.updated_at for actor in r.addressees.all())
        )
