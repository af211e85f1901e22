"""Query-parameter filters for actors and agreements, shared by the API and pages."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelMultipleChoiceField
from django_filters.rest_framework import FilterSet
from drf_spectacular.drainage import set_override
from rest_framework import exceptions

from actors.models import (
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Indicator,
    Membership,
    Metric,
)
from archive import search

# Each slug in a repeatable filter adds a join ("all of them"); more than this
# is not a question anyone asks, and hundreds would be a slow query on purpose.
MAX_SLUGS = 10
# Search text: the engine's one limit (archive/search/query.py).
MAX_QUERY_LENGTH = search.MAX_QUERY_LENGTH


def validate_search(value: str) -> None:
    """A query the search engine refuses (too many terms …) is a 400, not a 500."""
    from archive.search import InvalidQuery, parse_query

    if len(value) > MAX_QUERY_LENGTH:
        return  # the field's own max_length error says it
    try:
        parse_query(value)
    except InvalidQuery as exc:
        raise ValidationError(str(exc), code="invalid_search") from exc


def search_filter(queryset: QuerySet, name: str, value: str) -> QuerySet:
    """`q`: delegate to the model's own `.search()` (see archive/search/)."""
    return queryset.search(value) if value else queryset


# The 400 of a search that ran past the time limit (docs/api.md).
TOO_BROAD = _("This search is too broad: add words or a filter.")


class SearchFilter(django_filters.CharFilter):
    """`q`: bounded length; NUL bytes are refused by Django's CharField itself.

    In the API, the whole list answer runs under the search time limit
    (`time_limit`, entered by kernel.viewsets.ArchiveViewSet.list_limits).
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("method", search_filter)
        kwargs.setdefault("label", "Search")
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        kwargs.setdefault("validators", [validate_search])
        super().__init__(**kwargs)
        set_override(
            self,
            "field",
            {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_QUERY_LENGTH,
                "pattern": "^[^\\x00]*$",
                "description": f"Search text (at most {MAX_QUERY_LENGTH} characters).",
            },
        )

    @contextmanager
    def time_limit(self, name: str) -> Iterator[None]:
        """Every query in the block under the search page's limit; past it, a
        400 naming `name`. The ranking alone is not enough: counting every
        match of a broad query costs as much as ranking it."""
        try:
            with search.time_limit():
                yield
        except search.SearchTooBroad as exc:
            raise exceptions.ValidationError({name: [TOO_BROAD]}) from exc


class SlugsField(ModelMultipleChoiceField):
    """Slugs checked for shape and count before the database sees them.

    A value that cannot be a slug (a NUL byte, a 10 KB string) is a form error
    here, not a database error later: PostgreSQL rejects NUL in text outright.
    """

    def clean(self, value: Any) -> Any:
        if value and not isinstance(value, list | tuple):
            value = [value]
        if value and len(value) > MAX_SLUGS:
            raise ValidationError(
                _("Give at most %(limit)d values."),
                code="too_many",
                params={"limit": MAX_SLUGS},
            )
        for item in value or ():
            if len(item) > 200:
                raise ValidationError(_("Not a slug (too long)."), code="invalid_slug")
            validate_slug(item)
        return super().clean(value)


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """One or more items by slug (`?actor=serbia&actor=hungary`)."""

    field_class = SlugsField

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(**kwargs)
        # For the OpenAPI schema: a slug, not whatever the method accepts.
        set_override(
            self,
            "field",
            {
                "type": "string",
                "pattern": r"^[-a-zA-Z0-9_]+$",
                "maxLength": 200,
                "description": self.label or "Slug; repeat for several.",
            },
        )

    def get_filter_predicate(self, v: Any) -> dict[str, Any]:
        # django-filter compares the relation with `to_field_name` of the item
        # ("topics" = "security"), which fails against the primary key the
        # relation holds; the item itself is what the relation points at.
        name = self.field_name
        if self.lookup_expr != "exact":
            name = f"{name}__{self.lookup_expr}"
        return {name: v}


class YearField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        # Out-of-range years would fail inside the date arithmetic, not here.
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


class ActorFilter(FilterSet):
    kind = django_filters.MultipleChoiceFilter(
        field_name="kind", lookup_expr="exact", choices=ActorKind.choices
    )
    member_of = SlugsFilter(
        field_name="memberships__organization",
        queryset=Actor.objects.all(),
        method="filter_member_of",
        label="Member of (organization slug; repeat for all of several)",
    )
    member_on = django_filters.DateFilter(
        method="filter_member_on",
        label="Member on this date (with member_of; today when omitted)",
    )
    q = SearchFilter()

    class Meta:
        model = Actor
        fields = ["kind", "member_of", "member_on", "q"]

    def filter_member_of(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # The date is applied here too so "member of NATO on D" is one condition
        # per organization, not "member of NATO at some time and of anything on D".
        if not value:
            return queryset  # and no DISTINCT over an unfiltered list
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
    party = SlugsFilter(
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
    q = SearchFilter()

    class Meta:
        model = Agreement
        fields = ["party", "kind", "status", "signed_after", "signed_before", "q"]

    def filter_party(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.with_all_parties(value) if value else queryset


class IndicatorFilter(FilterSet):
    actor = SlugsFilter(
        field_name="actor",
        queryset=Actor.objects.all(),
        label="Actor slug; repeat for any of several",
    )
    metric = django_filters.MultipleChoiceFilter(
        field_name="metric",
        lookup_expr="exact",
        choices=Metric.choices,
        label="Metric; repeat for any of several",
    )
    year = YearFilter(field_name="year", lookup_expr="exact", label="Year")

    class Meta:
        model = Indicator
        fields = ["actor", "metric", "year"]
