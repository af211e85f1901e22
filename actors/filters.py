"""Query-parameter filters for actors and agreements, shared by the API and pages."""

import datetime

import django_filters
from django.db.models import QuerySet
from django_filters.rest_framework import FilterSet

from actors.models import (
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Membership,
)


def search_filter(queryset: QuerySet, name: str, value: str) -> QuerySet:
    """`q`: delegate to the model's own `.search()` (see archive/search.py)."""
    return queryset.search(value) if value else queryset


class ActorFilter(FilterSet):
    kind = django_filters.MultipleChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=ActorKind.choices
    )
    member_of = django_filters.ModelMultipleChoiceFilter(
        field_name="memberships__organization",
        to_field_name="slug",
        queryset=Actor.objects.all(),
        method="filter_member_of",
        label="Member of (organization slug; repeat for all of several)",
    )
    member_on = django_filters.DateFilter(
        method="filter_member_on",
        label="Member on this date (with member_of; today when omitted)",
    )
    q = django_filters.CharFilter(method=search_filter, label="Search")

    class Meta:
        model = Actor
        fields = ["kind", "member_of", "member_on", "q"]

    def filter_member_of(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # The date is applied here too so "member of NATO on D" is one condition
        # per organization, not "member of NATO at some time and of anything on D".
        on = self.form.cleaned_data.get("member_on")
        for organization in value:
            queryset = queryset.filter(
                memberships__in=Membership.objects.of(organization).active_on(on)
            )
        return queryset.distinct()

    def filter_member_on(
        self, queryset: QuerySet, name: str, value: datetime.date
    ) -> QuerySet:
        if self.form.cleaned_data.get("member_of"):
            return queryset  # already applied together with member_of
        return queryset.filter(
            memberships__in=Membership.objects.active_on(value)
        ).distinct()


class AgreementFilter(FilterSet):
    party = django_filters.ModelMultipleChoiceFilter(
        to_field_name="slug",
        queryset=Actor.objects.all(),
        method="filter_party",
        label="Party (actor slug; repeat: all must be parties)",
    )
    kind = django_filters.MultipleChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=AgreementKind.choices
    )
    status = django_filters.MultipleChoiceFilter(
        field_name="status", lookup_expr="exact", choices=AgreementStatus.choices
    )
    signed_after = django_filters.DateFilter(
        field_name="signed_on", lookup_expr="gte", label="Signed on or after"
    )
    signed_before = django_filters.DateFilter(
        field_name="signed_on", lookup_expr="lte", label="Signed on or before"
    )
    q = django_filters.CharFilter(method=search_filter, label="Search")

    class Meta:
        model = Agreement
        fields = ["party", "kind", "status", "signed_after", "signed_before", "q"]

    def filter_party(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.with_all_parties(value) if value else queryset
