"""The rows of the recommendations page, read as tuples and written as HTML.

Profiling `/recommendations/` at 1,000 briefs (50 rows a page) showed most of
the request in the template's per-row loop (model instances, the prefetched
addressees, `get_absolute_url`/`reverse`, `truncatewords`, autoescaping) and in
building querysets. So the page's rows are read with `values_list` and their
addressees with one more query for the whole page, and the `<li>`s are joined
here, escaped as the template escaped them: the output is byte for byte what
templates/briefs/recommendation_list.html produced per row before, plus each
row's current status from the tracker (publishing/tracker.py, one more query
for the page).

The unfiltered first page's rows are one compiled query (publishing/compiled.py):
building the SQL of the gated, ordered join cost more CPU than running it.
"""

import datetime
from collections.abc import Iterable, Sequence

# The standard library's escape writes what Django's does (Django wraps it in a
# SafeString, lazily): the same bytes for a fraction of the calls.
from html import escape

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.timezone import now
from django.utils.translation import gettext as _

from briefs.models import PolicyArea
from kernel.compiled import CompiledQuery
from languages.names import name_in
from publishing.editions import text_in
from publishing.models import Edition, EditionRecommendation, rendering_language
from publishing.tracker import NOT_ASSESSED, badge, statuses_of

# The columns a row shows, in the order `render_rows` reads them.
ROW_FIELDS = (
    "pk",
    "order",
    "title",
    "body",
    "policy_area",
    "edition__slug",
    "edition__title",
    "edition__language",
)
# The page's order: newest brief first, then by title and the brief's own order.
ORDERING = ("-edition__public_date", "edition__title", "order")

_AREAS = dict(PolicyArea.choices)


def public_recommendations(at: datetime.datetime | None = None) -> QuerySet:
    """Recommendations of public editions, in the page's order (the one gate)."""
    return EditionRecommendation.objects.filter(
        edition__in=Edition.objects.public(at).order_by().values("pk")
    ).order_by(*ORDERING)


def _first_page_query(at: datetime.datetime) -> QuerySet:
    # The same rows as `public_recommendations(at)`, read from the public
    # editions' side: with the editions as the outer loop, SQLite walks the
    # `edition_public_title` index newest first and stops after a page,
    # instead of sorting every public recommendation (a temporary B-tree over
    # ~5,000 rows, ~10 ms) for each request.
    return (
        Edition.objects.public(at)
        .filter(recommendations__isnull=False)
        .order_by("-public_date", "title", "recommendations__order")
        .values_list(
            "recommendations__id",
            "recommendations__order",
            "recommendations__title",
            "recommendations__body",
            "recommendations__policy_area",
            "slug",
            "title",
            "language",
        )
    )


_FIRST_PAGE = CompiledQuery(_first_page_query, at=CompiledQuery.time_sentinel())


def first_page_rows(size: int) -> list[tuple]:
    """The unfiltered list's first `size` rows, as `ROW_FIELDS` tuples."""
    return _FIRST_PAGE(at=now(), limit=size)


# A page's recommendation ids, compiled at the page size; unused slots hold 0,
# which no row has. Distinct negative sentinels, so each slot is found.
PAGE_SIZE = 50
_ADDRESSEES = CompiledQuery(
    lambda ids: (
        EditionRecommendation.addressees.through.objects.filter(
            editionrecommendation_id__in=ids
        )
        # The prefetch the template used read them in the actor's default
        # order; keep it so the names come out as before.
        .order_by("actor__name", "actor_id")
        .values_list(
            "editionrecommendation_id",
            "actor__slug",
            "actor__name",
            "actor__name_sr",
            "actor__name_sr_cyrl",
        )
    ),
    ids=[-1_000_001 - i for i in range(PAGE_SIZE)],
)


def _addressees(ids: Sequence[int], language: str) -> dict[int, list[tuple[str, str]]]:
    """Each recommendation's addressees (slug, name for readers of
    `language`), in one query for the page."""
    by_id: dict[int, list[tuple[str, str]]] = {}
    for start in range(0, len(ids), PAGE_SIZE):
        chunk = list(ids[start : start + PAGE_SIZE])
        padded = chunk + [0] * (PAGE_SIZE - len(chunk))
        for rec_id, slug, name, name_sr, name_sr_cyrl in _ADDRESSEES(ids=padded):
            name = name_in(language, name, name_sr, name_sr_cyrl)
            by_id.setdefault(rec_id, []).append((slug, name))
    return by_id


_SLUG = "slug-placeholder"


def _url_pattern(name: str) -> str:
    """The escaped URL of `name` for any slug, as a `str.format` pattern."""
    url = escape(reverse(name, kwargs={"slug": _SLUG}))
    return url.replace("{", "{{").replace("}", "}}").replace(_SLUG, "{}")


def render_rows(rows: Iterable[tuple]) -> str:
    """The page's `<li>`s (already escaped), or the empty-list line."""
    rows = list(rows)
    if not rows:
        return "<li>{}</li>".format(escape(_("No recommendation matches.")))
    language = rendering_language()
    addressees = _addressees([row[0] for row in rows], language)
    # Each row's current status (one query for the page): a live fact beside
    # the text as its edition makes it.
    statuses = statuses_of([row[0] for row in rows])
    # Two reverses per page, not one per brief and addressee: only the slug
    # differs (and slugs need no escaping).
    brief_url = _url_pattern("briefs:detail")
    actor_url = _url_pattern("briefs:actor-detail")
    # The interface's words, translated once per page.
    areas = {area: escape(label) for area, label in _AREAS.items()}
    badges: dict[str, str] = {}
    addressed_to = escape(_("Addressed to"))
    as_of = escape(_("as of"))
    status_word = escape(_("Status:"))
    of_brief = _("Recommendation %(order)s of %(link)s")
    parts = []
    for pk, order, title, body, area, slug, brief_title, written in rows:
        # A Serbian brief's text in the page's script (publishing/editions.py).
        title, body, brief_title = (
            text_in(text, written, language) for text in (title, body, brief_title)
        )
        url = brief_url.format(slug)
        links = [
            f'<a href="{actor_url.format(actor_slug)}">{escape(name)}</a>'
            for actor_slug, name in addressees.get(pk, ())
        ]
        to = f" · {addressed_to} {', '.join(links)}" if links else ""
        body_text = escape(Truncator(body).words(60, truncate=" …"))
        status, day = statuses.get(pk, (NOT_ASSESSED, None))
        shown = badges.get(status) or badges.setdefault(status, badge(status))
        since = (
            f' <span class="meta">{as_of} <time datetime="{day.isoformat()}">'
            f"{date_format(day, 'DATE_FORMAT')}</time></span>"
            if day
            else ""
        )
        parts.append(
            f"\n      <li><h3>{escape(title)}</h3>\n"
            f"        <p>{body_text}</p>\n"
            '        <p class="tracker-status">'
            f"{status_word} {shown}{since}</p>\n"
            f'        <p class="meta">{areas.get(area) or escape(area)} · '
            + of_brief
            % {
                "order": order,
                "link": f'<a href="{url}#recommendation-{order}">'
                f"{escape(brief_title)}</a>",
            }
            + f"{to}</p>\n      </li>"
        )
    return "".join(parts)
