"""Partner API for actors and agreements: /api/v1/actors/, /api/v1/agreements/.

Registered by the one router in archive/api.py. Nothing here counts or shows
briefs: `actors` never imports `briefs`; items link to the brief list filtered
by them instead (`briefs_url`), which goes through the published gate.
"""

from typing import Any

from django.db.models import Count, F, Prefetch, QuerySet
from django.db.models.functions import Lower
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

from actors.filters import ActorFilter, AgreementFilter, IndicatorFilter
from actors.models import (
    Actor,
    Agreement,
    AgreementParty,
    Indicator,
    Membership,
    Office,
)
from actors.serializers import (
    ActorSerializer,
    AgreementDetailSerializer,
    AgreementListSerializer,
    IndicatorItemSerializer,
    IndicatorListItemSerializer,
    indicator_data,
)
from kernel.csvexport import csv_response
from kernel.viewsets import ArchiveViewSet

# Most rows one CSV download carries: every indicator of a large archive is
# a few thousand; past this, filter.
CSV_MAX_ROWS = 10_000


@extend_schema_view(
    list=extend_schema(
        summary="List actors",
        description="States, organizations, missions and people the briefs "
        "discuss. Filter by kind and by membership on a date.",
    ),
    retrieve=extend_schema(summary="One actor"),
)
class ActorViewSet(ArchiveViewSet):
    serializer_class = ActorSerializer
    filterset_class = ActorFilter
    ordering_fields = ["name", "kind", "agreement_count", "id"]
    ordering = ["name", "id"]
    # Names sort without regard to case, as on the pages ("eulex" among the E's).
    ordering_sources = {"name": Lower("name")}

    def get_queryset(self) -> QuerySet[Actor]:
        return Actor.objects.annotate(
            agreement_count=Count("agreement_parties", distinct=True)
        ).prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("organization").order_by(
                    "organization__name", "since", "id"
                ),
            ),
            Prefetch(
                "offices",
                queryset=Office.objects.select_related("of_actor").order_by(
                    F("since").desc(nulls_last=True), "id"
                ),
            ),
            Prefetch("indicators", queryset=indicator_order(Indicator.objects.all())),
        )


def indicator_order(queryset: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """Per actor, per metric, newest year first (undated last), then by id."""
    return queryset.order_by(
        "actor__name", "actor_id", "metric", F("year").desc(nulls_last=True), "id"
    )


class CSVRenderer(BaseRenderer):
    """Lets `Accept: text/csv` reach the CSV action (which answers a file
    itself); its errors are JSON, as everywhere in the API."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> bytes:
        return JSONRenderer().render(data)


CSV_HEADER = [
    "actor",
    "actor_name",
    "metric",
    "metric_label",
    "known",
    "value",
    "value_max",
    "unit",
    "display",
    "year",
    "status",
    "status_year",
    "source",
    "source_url",
    "note",
]


@extend_schema_view(
    list=extend_schema(
        summary="List indicators",
        description="Sourced, dated figures about actors (troops, tanks, "
        "aircraft …). A range stays a range (`value`–`value_max`); an unknown "
        "figure is `known: false`. Filter by `actor`, `metric` and `year`; "
        "the same list as CSV at `/api/v1/indicators/csv/`.",
        responses=IndicatorListItemSerializer(many=True),
    ),
    retrieve=extend_schema(
        summary="One indicator", responses=IndicatorListItemSerializer
    ),
)
class IndicatorViewSet(ArchiveViewSet):
    serializer_class = IndicatorItemSerializer
    filterset_class = IndicatorFilter
    ordering_fields = ["year", "metric", "id"]
    lookup_field = "pk"
    lookup_value_regex = "[0-9]{1,12}"

    def get_queryset(self) -> QuerySet[Indicator]:
        queryset = Indicator.objects.select_related("actor")
        if not self.request.query_params.get("ordering"):
            queryset = indicator_order(queryset)
        return queryset

    def finalize_response(
        self, request: Request, response: Any, *args: Any, **kwargs: Any
    ) -> Any:
        if self.action == "csv" and response.status_code == 200:
            # A file, not a DRF Response: no JSON rendering, no answer cache.
            return super(ArchiveViewSet, self).finalize_response(
                request, response, *args, **kwargs
            )
        return super().finalize_response(request, response, *args, **kwargs)

    def allowed_query_parameters(self) -> set[str]:
        if self.action == "csv":
            return set(IndicatorFilter.base_filters) | {"ordering"}
        return super().allowed_query_parameters()

    @extend_schema(
        summary="Indicators as CSV",
        description="The filtered list (same filters as the list, no pages) as "
        "UTF-8 CSV, one row per indicator; text that a spreadsheet would run "
        "as a formula is prefixed with an apostrophe. At most "
        f"{CSV_MAX_ROWS:,} rows.",
        responses={
            (200, "text/csv"): OpenApiResponse(
                response=OpenApiTypes.STR, description="CSV file"
            )
        },
        filters=True,
    )
    @action(
        detail=False,
        url_path="csv",
        pagination_class=None,
        renderer_classes=[JSONRenderer, CSVRenderer],
    )
    def csv(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        indicators = self.filter_queryset(self.get_queryset())[:CSV_MAX_ROWS]
        rows = []
        for indicator in indicators:
            data = indicator_data(indicator, {})
            rows.append(
                [
                    indicator.actor.slug,
                    indicator.actor.name,
                    data["metric"],
                    data["metric_label"],
                    "yes" if data["known"] else "no",
                    data["value"],
                    data["value_max"],
                    data["unit"],
                    data["display"],
                    data["year"],
                    data["status"],
                    data["status_year"],
                    data["source"]["title"],
                    data["source"]["url"],
                    data["note"],
                ]
            )
        return csv_response(CSV_HEADER, rows, filename="indicators.csv")


@extend_schema_view(
    list=extend_schema(
        summary="List agreements",
        description="Treaties, declarations and plans between actors. "
        "`party` repeated means all of them are parties: "
        "`?party=serbia&party=hungary`.",
    ),
    retrieve=extend_schema(summary="One agreement"),
)
class AgreementViewSet(ArchiveViewSet):
    serializer_class = AgreementDetailSerializer
    list_serializer_class = AgreementListSerializer
    filterset_class = AgreementFilter
    ordering_fields = ["signed_on", "title", "id"]
    ordering = ["-signed_on", "title", "id"]

    def get_queryset(self) -> QuerySet[Agreement]:
        queryset = Agreement.objects.prefetch_related(
            Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related(
                    "actor", "signatory"
                ).order_by("order", "id"),
            )
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("sources")
        return queryset
