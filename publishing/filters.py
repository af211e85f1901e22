"""Query-parameter filters for briefs, people, topics and recommendations.

One FilterSet per resource, shared by the API viewsets and the HTML list pages
(`.qs`). Briefs and recommendations are filtered as their public editions
show them; querysets handed in are already gated by `Edition.objects.public()`.
"""

import django_filters
from django.db.models import QuerySet
from django_filters.rest_framework import FilterSet

from actors.filters import SearchFilter, SlugsFilter, YearFilter
from actors.models import Actor, Agreement
from briefs.models import (
    BriefKind,
    ImplementationStatus,
    Language,
    Person,
    PolicyArea,
    Role,
    Topic,
)
from publishing.models import (
    Edition,
    EditionActor,
    EditionCredit,
    EditionRecommendation,
)
from publishing.tracker import filter_assessed_after, filter_status

# A brief is English or Serbian: Serbian is written once, in either script,
# and read in both, so one Serbian value matches both scripts. The scripts'
# own values (sr-Latn, sr-Cyrl: links made before) are still accepted, and
# mean Serbian too.
READING_LANGUAGES = {"en": ("en",), "sr": ("sr-Cyrl", "sr-Latn")}
READING_LANGUAGE_CHOICES = [
    ("en", "English"),
    ("sr", "Serbian"),
    (Language.SERBIAN_LATIN.value, "Serbian"),
    (Language.SERBIAN_CYRILLIC.value, "Serbian"),
]


def reading_language(content_language: str) -> str:
    """The language a brief is listed under: "en", or "sr" for either script."""
    return "sr" if content_language.startswith("sr") else "en"


class BriefFilter(FilterSet):
    """Filters over public editions (`Edition.objects.public()` is handed in).

    Actors, agreements, authors and topics are those the current edition
    links: the same rows every page and the API count.
    """

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
        choices=READING_LANGUAGE_CHOICES,
        method="filter_language",
        label="Language: en (English) or sr (Serbian, either script)",
    )
    year = YearFilter(
        field_name="public_date", lookup_expr="year", label="Year published"
    )
    published_after = django_filters.DateFilter(
        field_name="public_date", lookup_expr="gte", label="Published on or after"
    )
    published_before = django_filters.DateFilter(
        field_name="public_date", lookup_expr="lte", label="Published on or before"
    )
    q = SearchFilter()

    class Meta:
        model = Edition
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

    def filter_language(self, queryset: QuerySet, name: str, value) -> QuerySet:
        wanted = {reading_language(v) for v in value}
        languages = [code for key in wanted for code in READING_LANGUAGES[key]]
        return queryset.filter(language__in=languages)

    def filter_actor(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # One join per actor: "all of them". Link rows are unique per
        # (edition, actor), so no DISTINCT is needed.
        for actor in value:
            queryset = queryset.filter(
                pk__in=EditionActor.objects.filter(actor=actor).values("edition_id")
            )
        return queryset

    def filter_agreement(self, queryset: QuerySet, name: str, value) -> QuerySet:
        through = Edition.agreements.through
        for agreement in value:
            queryset = queryset.filter(
                pk__in=through.objects.filter(agreement=agreement).values("edition_id")
            )
        return queryset

    def filter_author(self, queryset: QuerySet, name: str, value) -> QuerySet:
        for person in value:
            queryset = queryset.filter(
                pk__in=EditionCredit.objects.filter(
                    person=person, role=Role.AUTHOR
                ).values("edition_id")
            )
        return queryset


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
    """Filters over the recommendations of public editions."""

    addressee = SlugsFilter(
        field_name="addressees",
        queryset=Actor.objects.all(),
        label="Addressed to (actor slug; repeat: any of them)",
    )
    brief = SlugsFilter(
        field_name="edition",
        to_field_name="slug",
        # A callable, so "now" is taken per request, not once at import.
        queryset=lambda request: Edition.objects.public(),
        label="Brief (slug)",
    )
    policy_area = django_filters.MultipleChoiceFilter(
        field_name="policy_area", lookup_expr="exact", choices=PolicyArea.choices
    )
    # The tracker (publishing/tracker.py): current status, latest assessment.
    status = django_filters.MultipleChoiceFilter(
        field_name="key",
        lookup_expr="exact",
        choices=ImplementationStatus.choices,
        method="filter_status",
        label="Current status (repeat: any of them)",
    )
    assessed_after = django_filters.DateFilter(
        field_name="key",
        lookup_expr="exact",
        method="filter_assessed_after",
        label="Has a published assessment dated after this day (YYYY-MM-DD)",
    )

    class Meta:
        model = EditionRecommendation
        fields = ["addressee", "brief", "policy_area", "status", "assessed_after"]

    def filter_status(self, queryset: QuerySet, name: str, value: list) -> QuerySet:
        return filter_status(queryset, value) if value else queryset

    def filter_assessed_after(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return filter_assessed_after(queryset, value) if value else queryset

    @property
    def qs(self) -> QuerySet:
        # Several addressees match a recommendation once, not once per addressee.
        return super().qs.distinct()
