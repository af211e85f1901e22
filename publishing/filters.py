"""Query-parameter filters for briefs, people, topics and recommendations.

One FilterSet per resource, shared by the API viewsets and the HTML list pages
(`.qs`). Querysets handed to them are already gated by `published()`.
"""

import django_filters
from django.db.models import QuerySet
from django_filters.rest_framework import FilterSet

from actors.filters import SearchFilter, SlugsFilter, YearFilter
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
    actor = SlugsFilter(
        queryset=Actor.objects.all(),
        method="filter_actor",
        label="Discusses actor (slug; repeat: all of them)",
    )
    agreement = SlugsFilter(
        queryset=Agreement.objects.all(),
        method="filter_agreement",
        label="Discusses agreement (slug; repeat: all of them)",
    )
    author = SlugsFilter(
        queryset=Person.objects.all(),
        method="filter_author",
        label="Written by (person slug; repeat: all of them)",
    )
    topic = SlugsFilter(
        field_name="topics",
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
    year = YearFilter(
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
    q = SearchFilter()

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
        if not value:
            # No DISTINCT when nothing is filtered: it would make every
            # unfiltered list (and its count) compare whole rows.
            return queryset
        for person in value:
            queryset = queryset.filter(
                contributions__person=person, contributions__role=Role.AUTHOR
            )
        return queryset.distinct()


class PersonFilter(FilterSet):
    q = SearchFilter()

    class Meta:
        model = Person
        fields = ["q"]


class TopicFilter(FilterSet):
    class Meta:
        model = Topic
        fields: list[str] = []


class RecommendationFilter(FilterSet):
    addressee = SlugsFilter(
        field_name="addressees",
        queryset=Actor.objects.all(),
        label="Addressed to (actor slug; repeat: any of them)",
    )
    brief = SlugsFilter(
        field_name="brief",
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
