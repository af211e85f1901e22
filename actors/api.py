"""Partner API for actors and agreements: /api/v1/actors/, /api/v1/agreements/.

Registered by the one router in archive/api.py. Nothing here counts or shows
briefs: `actors` never imports `briefs`; items link to the brief list filtered
by them instead (`briefs_url`), which goes through the published gate.
"""

from django.db.models import Count, F, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view

from actors.filters import ActorFilter, AgreementFilter
from actors.models import Actor, Agreement, AgreementParty, Membership, Office
from actors.serializers import (
    ActorSerializer,
    AgreementDetailSerializer,
    AgreementListSerializer,
)
from kernel.viewsets import ArchiveViewSet


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
        )


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
