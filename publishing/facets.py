"""Brief facets: the one builder behind the brief list's and the site search's counts.

Counted over a queryset of editions that is already public (it starts from
`Edition.objects.public()`) and narrowed by the reader's filters or query, so
nothing unpublished is ever counted. Kinds, languages and years are the
editions' own columns; topics, actors, agreements and authors are their link
tables, which hold the current editions' links only. Links are built by the
page that shows the facets: the brief list toggles a value on or off, the
search page sets it.

A fixed number of queries whatever the number of values: one GROUP BY over
(kind, language, year), whose sum is the total, and one per link facet.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import translation
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from briefs.models import BriefKind, Role
from languages.names import name_in
from publishing.filters import reading_language
from publishing.models import Edition, EditionActor, EditionCredit

# How many values each link facet counts (most used first); the rest stay
# reachable through filters. Pages show the first FACET_SHOWN and the others
# behind "Show all" (templates/includes/_facets.html, a <details>: no script).
FACET_SIZE = 30
FACET_SHOWN = 5
# The language facet's values (publishing.filters.READING_LANGUAGES).
READING_LANGUAGE_LABELS = {"en": gettext_lazy("English"), "sr": gettext_lazy("Serbian")}
ALL_FACETS = ("topic", "actor", "agreement", "author", "kind", "language", "year")
LABELS = {
    "topic": _("Topic"),
    "actor": _("Actor"),
    "agreement": _("Agreement"),
    "author": _("Author"),
    "kind": _("Kind"),
    "language": _("Language"),
    "year": _("Year"),
}


@dataclass
class FacetValue:
    key: str
    label: str
    count: int
    href: str = ""
    selected: bool = False


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)

    @property
    def top(self) -> list[FacetValue]:
        """The values shown at once: the most used (values come in that order)."""
        return self.values[:FACET_SHOWN]

    @property
    def more(self) -> list[FacetValue]:
        """The values behind "Show all"."""
        return self.values[FACET_SHOWN:]

    @property
    def more_selected(self) -> bool:
        """Whether a selected value is among `more` (then "Show all" starts open)."""
        return any(value.selected for value in self.more)


@dataclass
class BriefFacets:
    """The number of editions counted and their facets, in the order asked for."""

    total: int
    facets: list[Facet]

    def links(self, href: Callable[[str, str], tuple[str, bool]]) -> "BriefFacets":
        """Give every value its link: `href(name, key)` → (href, selected)."""
        for facet in self.facets:
            for value in facet.values:
                value.href, value.selected = href(facet.name, value.key)
        return self


def _linked(
    rows: QuerySet, key: str, label: str, size: int
) -> list[tuple[str, str, int]]:
    """(key, name, count) of the linked records, named for readers of the
    active language (their Serbian name fields: languages.models.SerbianName)."""
    record = label.rsplit("__", 1)[0]
    language = translation.get_language()
    # Link tables hold one row per (edition, value): COUNT(*) needs no DISTINCT.
    found = (
        rows.values_list(key, label, f"{record}__name_sr", f"{record}__name_sr_cyrl")
        .annotate(n=Count("*"))
        .order_by("-n", label)[:size]
    )
    return [
        (value, name_in(language, name, name_sr, name_sr_cyrl), n)
        for value, name, name_sr, name_sr_cyrl, n in found
    ]


def brief_facets(
    editions: QuerySet[Edition],
    *,
    names: Iterable[str] = ALL_FACETS,
    size: int = FACET_SIZE,
) -> BriefFacets:
    """Counts per value of each facet in `names` within `editions` (already public)."""
    names = list(names)
    ids = editions.order_by().values("pk")
    grouped = (
        Edition.objects.filter(pk__in=ids)
        .order_by()
        .annotate(year=ExtractYear("public_date"))
        .values_list("kind", "language", "year")
        .annotate(n=Count("*"))
    )
    kinds: Counter = Counter()
    languages: Counter = Counter()
    years: Counter = Counter()
    for kind, language, year, n in grouped:
        kinds[kind] += n
        # One Serbian, whichever script its editor wrote in: it is read in both.
        languages[reading_language(language)] += n
        years[year] += n
    rows: dict[str, list[tuple]] = {}
    kind_labels = dict(BriefKind.choices)
    rows["kind"] = [
        (k, kind_labels.get(k, k), n)
        for k, n in sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
    ]
    rows["language"] = [
        (k, READING_LANGUAGE_LABELS.get(k, k), n)
        for k, n in sorted(languages.items(), key=lambda item: (-item[1], item[0]))
    ]
    rows["year"] = [(y, str(y), n) for y, n in sorted(years.items(), reverse=True)]
    if "topic" in names:
        rows["topic"] = _linked(
            Edition.topics.through.objects.filter(edition__in=ids),
            "topic__slug",
            "topic__name",
            size,
        )
    if "actor" in names:
        rows["actor"] = _linked(
            EditionActor.objects.filter(edition__in=ids),
            "actor__slug",
            "actor__name",
            size,
        )
    if "agreement" in names:
        rows["agreement"] = _linked(
            Edition.agreements.through.objects.filter(edition__in=ids),
            "agreement__slug",
            "agreement__title",
            size,
        )
    if "author" in names:
        rows["author"] = _linked(
            EditionCredit.objects.filter(edition__in=ids, role=Role.AUTHOR),
            "person__slug",
            "person__name",
            size,
        )
    return BriefFacets(
        total=sum(kinds.values()),
        facets=[
            Facet(
                name,
                LABELS[name],
                [FacetValue(str(key), text, n) for key, text, n in rows[name]],
            )
            for name in names
        ],
    )
