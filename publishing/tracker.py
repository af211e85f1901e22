"""The recommendation tracker in public: statuses, histories, scorecards.

Editions are frozen; assessments (briefs.models.Assessment) are live facts
about the recommendations they make, like an actor's record. The public sees
an assessment exactly when it is published *and* a public edition makes its
recommendation (same brief, same key): `public_assessments()` is that gate,
and every reader here applies it, by starting from public editions'
recommendation rows or by filtering with it.

A recommendation's current status is its newest published assessment's
(by the date it is assessed as of, then publication), or "not yet assessed".

The brief page's stored article carries a marker per recommendation
(`<!--tracker:KEY-->`, templates/briefs/_brief_article.html) and one for the
summary; `with_tracker` replaces them per request with the statuses and
histories (two queries, whatever the number of recommendations and
assessments). A marker left unreplaced is an HTML comment: invisible on an
earlier version, in the preview and in the PDF, which show no tracker.
"""

import datetime
import re
from collections import Counter
from collections.abc import Iterable
from html import escape

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from actors.models import Actor
from briefs.models import (
    Assessment,
    AssessmentSource,
    ImplementationStatus,
)
from kernel.compiled import CompiledQuery
from publishing.models import Edition, EditionRecommendation

# Words used inside f-strings below, where makemessages (xgettext) cannot
# see them: listed here so that they reach the catalogue.
_IN_F_STRINGS = (
    gettext_noop("Status since publication:"),
    gettext_noop("Evidence:"),
    gettext_noop("as of"),
    gettext_noop("Assessments, newest first"),
    gettext_noop("Scorecard of this brief"),
)


NOT_ASSESSED = ImplementationStatus.NOT_ASSESSED
STATUS_LABELS: dict[str, str] = dict(ImplementationStatus.choices)
# The order a scorecard lists statuses in: the enumeration's.
STATUS_ORDER = list(ImplementationStatus.values)


def public_assessments(
    at: datetime.datetime | None = None, *, addressed_to: Actor | None = None
) -> QuerySet[Assessment]:
    """Published assessments of recommendations a public edition makes (the
    gate); with `addressed_to` (an actor), of those the edition addresses to it."""
    made = EditionRecommendation.objects.filter(
        edition__in=Edition.objects.public(at).order_by().values("pk"),
        edition__brief_id=OuterRef("brief_id"),
        key=OuterRef("recommendation_key"),
    )
    if addressed_to is not None:
        made = made.filter(addressees=addressed_to)
    return Assessment.objects.published().filter(Exists(made))


def _assessments_of_row() -> QuerySet[Assessment]:
    """Published assessments of the outer EditionRecommendation row.

    The row is a public edition's (callers start from those), so this is
    the gate applied from the recommendation's side.
    """
    return Assessment.objects.published().filter(
        brief_id=OuterRef("edition__brief_id"), recommendation_key=OuterRef("key")
    )


def current_status() -> Coalesce:
    """The current status of the outer EditionRecommendation row."""
    return Coalesce(
        Subquery(_assessments_of_row().newest_first().values("status")[:1]),
        Value(NOT_ASSESSED),
    )


def filter_status(
    queryset: QuerySet[EditionRecommendation], statuses: Iterable[str]
) -> QuerySet[EditionRecommendation]:
    return queryset.alias(current_status=current_status()).filter(
        current_status__in=list(statuses)
    )


def filter_assessed_after(
    queryset: QuerySet[EditionRecommendation], day: datetime.date
) -> QuerySet[EditionRecommendation]:
    """Recommendations with a published assessment dated after `day`."""
    return queryset.filter(Exists(_assessments_of_row().filter(assessed_on__gt=day)))


def status_counts(queryset: QuerySet[EditionRecommendation]) -> dict[str, int]:
    """How many of these recommendations have each current status (one query)."""
    rows = (
        EditionRecommendation.objects.filter(pk__in=queryset.order_by().values("pk"))
        .annotate(current_status=current_status())
        .order_by()
        .values_list("current_status")
        .annotate(n=Count("pk"))
    )
    return dict(rows)


def scorecard(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, in the enumeration's order."""
    return [(s, STATUS_LABELS[s], counts.get(s, 0)) for s in STATUS_ORDER]


# Statuses are read for a page of recommendations at a time.
STATUS_CHUNK = 50
# Compiled once per process (kernel/compiled.py): building this query's SQL,
# two subqueries deep, cost the recommendations page more than running it.
_STATUSES = CompiledQuery(
    lambda ids: (
        EditionRecommendation.objects.filter(pk__in=ids)
        .annotate(
            current_status=current_status(),
            assessed_on=Subquery(
                _assessments_of_row().newest_first().values("assessed_on")[:1]
            ),
        )
        .order_by()
        .values_list("pk", "current_status", "assessed_on")
    ),
    convert=True,
    ids=[-5_000_001 - i for i in range(STATUS_CHUNK)],
)


def statuses_of(ids: list[int]) -> dict[int, tuple[str, datetime.date | None]]:
    """Current status and its date per EditionRecommendation id (one query
    per STATUS_CHUNK ids)."""
    found = {}
    for start in range(0, len(ids), STATUS_CHUNK):
        chunk = list(ids[start : start + STATUS_CHUNK])
        padded = chunk + [0] * (STATUS_CHUNK - len(chunk))
        for pk, status, day in _STATUSES(ids=padded):
            found[pk] = (status, day)
    return found


_HISTORY_FIELDS = (
    "pk",
    "brief_id",
    "recommendation_key",
    "status",
    "assessed_on",
    "justification",
    "published_at",
)
# One brief's assessments (a brief page's tracker), compiled once per process
# (kernel/compiled.py): building this small query cost a brief page more than
# the rest of its work.
_BRIEF_HISTORY = CompiledQuery(
    lambda brief: (
        Assessment.objects.published()
        .filter(brief_id=brief)
        .newest_first()
        .values_list(*_HISTORY_FIELDS)
    ),
    convert=True,
    brief=-4_000_001,
)


def histories(
    brief_ids: Iterable[int], keys: Iterable[str] | None = None
) -> dict[tuple[int, str], list[dict]]:
    """Published assessments of these briefs' recommendations, newest first,
    with their sources, as plain data: {(brief id, key): [assessment, …]}.

    Two queries whatever the number. Callers pass briefs and keys read from
    public editions (the gate is theirs); only those pairs' rows are used.
    """
    brief_ids = set(brief_ids)
    if len(brief_ids) == 1:
        rows = _BRIEF_HISTORY(brief=next(iter(brief_ids)))
        assessments = [dict(zip(_HISTORY_FIELDS, row, strict=True)) for row in rows]
        if keys is not None:
            wanted = {str(key) for key in keys}
            assessments = [
                a for a in assessments if str(a["recommendation_key"]) in wanted
            ]
    else:
        queryset = Assessment.objects.published().filter(brief_id__in=brief_ids)
        if keys is not None:
            queryset = queryset.filter(recommendation_key__in=set(keys))
        assessments = list(queryset.newest_first().values(*_HISTORY_FIELDS))
    sources: dict[int, list[dict]] = {}
    if assessments:
        for row in (
            AssessmentSource.objects.filter(
                assessment_id__in=[a["pk"] for a in assessments]
            )
            .order_by("order", "id")
            .values("assessment_id", "url", "title", "published_on")
        ):
            sources.setdefault(row.pop("assessment_id"), []).append(row)
    result: dict[tuple[int, str], list[dict]] = {}
    for a in assessments:
        a["sources"] = sources.get(a["pk"], [])
        result.setdefault((a["brief_id"], str(a["recommendation_key"])), []).append(a)
    return result


# -- HTML, escaped once here ----------------------------------------------------


def _date(day: datetime.date) -> str:
    return (
        f'<time datetime="{day.isoformat()}">{date_format(day, "DATE_FORMAT")}</time>'
    )


def badge(status: str) -> str:
    """A status as text in a badge: the words carry it, colour only adds to it."""
    css = status.replace("_", "-")
    return (
        f'<span class="status-badge status-{css}">'
        f"{escape(STATUS_LABELS.get(status, status))}</span>"
    )


def history_html(history: list[dict]) -> str:
    """A recommendation's status and dated history, with evidence links."""
    if not history:
        return (
            '<div class="tracker"><p class="tracker-status">'
            f"{escape(_('Status since publication:'))} {badge(NOT_ASSESSED)}</p></div>"
        )
    current = history[0]
    items = []
    for a in history:
        links = "; ".join(
            f'<a href="{escape(s["url"])}" rel="nofollow noopener">'
            f"{escape(s['title'])}</a> ({_date(s['published_on'])})"
            for s in a["sources"]
        )
        items.append(
            f"<li>{_date(a['assessed_on'])}: "
            f"<strong>{escape(STATUS_LABELS.get(a['status'], a['status']))}</strong>. "
            f"{escape(a['justification'])}"
            f'<br><span class="evidence">{escape(_("Evidence:"))} {links}</span></li>'
        )
    return (
        '<div class="tracker"><p class="tracker-status">'
        f"{escape(_('Status since publication:'))} {badge(current['status'])} "
        f'<span class="meta">{escape(_("as of"))} {_date(current["assessed_on"])}'
        "</span></p>"
        '<ol class="tracker-history" aria-label="'
        f'{escape(_("Assessments, newest first"))}">' + "".join(items) + "</ol></div>"
    )


def summary_html(statuses: list[str], slug: str) -> str:
    counts = Counter(statuses)
    parts = ", ".join(
        f"{counts[s]} {escape(STATUS_LABELS[s].lower())}"
        for s in STATUS_ORDER
        if counts[s]
    )
    url = escape(reverse("briefs:recommendation-list") + f"?brief={slug}")
    intro = _(
        "Follow-up since publication (assessed by the editors, updated as "
        "evidence appears):"
    )
    return (
        f'<p class="tracker-summary">{escape(intro)} {parts}. <a href="{url}">'
        f"{escape(_('Scorecard of this brief'))}</a>.</p>"
    )


_MARKER = re.compile(r"<!--tracker:([0-9a-f-]{36})-->")
_SUMMARY = "<!--tracker-summary-->"


def with_tracker(article_html: str, *, brief_id: int, slug: str) -> str:
    """The stored article of a public edition with its tracker filled in.

    Two queries (assessments, sources) for any number of recommendations;
    none for an article without markers.
    """
    keys = _MARKER.findall(article_html)
    if not keys:
        return article_html
    found = histories([brief_id], keys)
    statuses = []

    def block(match: re.Match) -> str:
        history = found.get((brief_id, match[1]), [])
        statuses.append(history[0]["status"] if history else NOT_ASSESSED)
        return history_html(history)

    article_html = _MARKER.sub(block, article_html)
    return article_html.replace(_SUMMARY, summary_html(statuses, slug), 1)
