"""Query-parameter filters for briefs, people, topics and recommendations.

One FilterSet per resource, shared by the API viewsets and the HTML list pages
(`.qs`). Querysets handed to them are already gated by `published()`.
"""

import django_filters
from django.db.models import QuerySet
from django_filters.rest_framework import FilterSet

from actors.filters import search_filter
from actors.models import Actor, Agreement
from briefs.models import (
    Brief,
    BriefKind,
    Language,
    Person,
    PolicyArea,
    Recommendation,
    Role,
    Topic,
)


class BriefFilter(FilterSet):
    actor = django_filters.ModelMultipleChoiceFilter(
        to_field_name="slug",
        queryset=Actor.objects.all(),
        method="filter_actor",
        label="Discusses actor (slug; repeat: all of them)",
    )
    agreement = django_filters.ModelMultipleChoiceFilter(
        to_field_name="slug",
        queryset=Agreement.objects.all(),
        method="filter_agreement",
        label="Discusses agreement (slug; repeat: all of them)",
    )
    author = django_filters.ModelMultipleChoiceFilter(
        to_field_name="slug",
        queryset=Person.objects.all(),
        method="filter_author",
        label="Written by (person slug; repeat: all of them)",
    )
    topic = django_filters.ModelMultipleChoiceFilter(
        field_name="topics",
        to_field_name="slug",
        queryset=Topic.objects.all(),
        conjoined=True,
        label="Topic (slug; repeat: all of them)",
    )
    kind = django_filters.MultipleChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=BriefKind.choices
    )
    language = django_filters.MultipleChoiceFilter(
        field_name="language", lookup_expr="exact", choices=Language.choices
    )
    year = django_filters.NumberFilter(
        field_name="publication_date", lookup_expr="year", label="Year published"
    )
    published_after = django_filters.DateFilter(
        field_name="publication_date", lookup_expr="gte", label="Published on or after"
    )
    published_before = django_filters.DateFilter(
        field_name="publication_date",
        lookup_expr="lte",
        label="Published on or before",
    )
    q = django_filters.CharFilter(method=search_filter, label="Search")

    class Meta:
        model = Brief
        fields = [
            "actor",
            "agreement",
            "author",
            "topic",
            "kind",
            "language",
            "year",
            "published_after",
            "published_before",
            "q",
        ]

    def filter_actor(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # Only confirmed links count: a suggested mention is not yet a claim.
        for actor in value:
            queryset = queryset.for_actor(actor)
        return queryset

    def filter_agreement(self, queryset: QuerySet, name: str, value) -> QuerySet:
        for agreement in value:
            queryset = queryset.for_agreement(agreement)
        return queryset

    def filter_author(self, queryset: QuerySet, name: str, value) -> QuerySet:
        for person in value:
            queryset = queryset.filter(
                contributions__person=person, contributions__role=Role.AUTHOR
            )
        return queryset.distinct()


class PersonFilter(FilterSet):
    q = django_filters.CharFilter(method=search_filter, label="Search")

    class Meta:
        model = Person
        fields = ["q"]


class TopicFilter(FilterSet):
    class Meta:
        model = Topic
        fields: list[str] = []


class RecommendationFilter(FilterSet):
    addressee = django_filters.ModelMultipleChoiceFilter(
        field_name="addressees",
        to_field_name="slug",
        queryset=Actor.objects.all(),
        label="Addressed to (actor slug; repeat: any of them)",
    )
    brief = django_filters.ModelMultipleChoiceFilter(
        field_name="brief",
        to_field_name="slug",
        # A callable, so "now" is taken per request, not once at import.
        queryset=lambda request: Brief.objects.published(),
        label="Brief (slug)",
    )
    policy_area = django_filters.MultipleChoiceFilter(
        field_name="policy_area", lookup_expr="exact", choices=PolicyArea.choices
    )

    class Meta:
        model = Recommendation
        fields = ["addressee", "brief", "policy_area"]

    @property
    def qs(self) -> QuerySet:
        # Several addressees match a recommendation once, not once per addressee.
        return super().qs.distinct()
