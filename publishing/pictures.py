"""The pictures on public pages: timelines and alliance maps, as inline SVG.

The one module that renders pictures. The geometry and the rows are
`actors.pictures` (pure layout, fixed queries); the markup is two templates,
templates/actors/_timeline.html and _network.html, so every name is escaped
by the template engine like any other text on the site (the SVG is inline,
parsed as XML by tests). No JavaScript, no style attributes: presentation
attributes and classes styled by static/css/site.css.

Cost: a picture depends on the reference records and on the day (an
open-ended span runs to today; a map shows the links of a day), so each is
rendered once per content generation, per day, per process, and reused
(`_cached`); every committed change to actors, memberships, offices or
agreements retires the generation (kernel/changes.py). Like the prepared
agreement pages this needs the generation shared by every process
(`PREPARED_LISTS`); without it each request renders its pictures, with the
same fixed number of queries. A GET never writes: the cache is a dict.
"""

import datetime
from collections.abc import Callable

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from actors.models import Actor, ActorKind, Agreement
from actors.pictures import (
    NEIGHBOURHOOD_MAX_NODES,
    NETWORK_MAX_NODES,
    Graph,
    Link,
    LinkKind,
    Timeline,
    actor_timeline,
    agreement_history,
    alliance_graph,
    hubs,
    last_day_in_effect,
    lay_out_network,
    lay_out_timeline,
)
from kernel.compiled import CompiledQuery
from kernel.pagecache import current_generation
from languages.addresses import view_address

# This process's pictures for one (generation, day): {key: html or graph}.
_store: dict[str, object] = {"for": None, "items": {}}
PICTURES_MAX = 300


def forget() -> None:
    """Drop every kept picture (tests roll the database back under them)."""
    _store["for"], _store["items"] = None, {}


def next_midnight() -> datetime.datetime:
    """When "today" next changes in the archive's time zone.

    Pages that show today (maps and timelines drawn to today, /compare/
    without `on`) are cached per content generation; registered as a release
    source (publishing/apps.py), this turns the generation at midnight, so no
    cache or ETag keeps yesterday's picture.
    """
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time()))


def _cached(key: tuple, build: Callable[[], object]) -> object:
    if not settings.PREPARED_LISTS or settings.DEBUG:
        return build()
    current = (current_generation(), timezone.localdate())
    items: dict = _store["items"]  # type: ignore[assignment]
    if _store["for"] != current or len(items) >= PICTURES_MAX:
        items.clear()  # only this generation's day is ever read
        _store["for"] = current
    # Per language too: captions, dates and names are the language's.
    key = (translation.get_language(), *key)
    if key not in items:
        items[key] = build()
    return items[key]


def graph_on(on: datetime.date) -> Graph:
    """The whole network on a day (three queries, or none when kept)."""
    return _cached(("graph", on), lambda: alliance_graph(on))  # type: ignore[return-value]


def long_date(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


_LINK_WORDS = {
    LinkKind.MEMBERSHIP: gettext_lazy("Member of"),
    LinkKind.AGREEMENT: gettext_lazy("Agreement"),
    LinkKind.OFFICE: gettext_lazy("Office"),
}


def _table_rows(graph: Graph) -> list[dict]:
    """The map as rows: who is linked to whom, by what, since when."""
    rows = []
    for link in graph.links:
        rows.append(
            {
                "source": graph.nodes[link.source],
                "target": graph.nodes[link.target],
                "kind": str(_LINK_WORDS[link.kind]),
                "label": link.label,
                "url": _agreement_url(link),
                "since": link.since,
            }
        )
    rows.sort(key=lambda r: (r["source"].name, r["target"].name, r["kind"], r["label"]))
    return rows


def _agreement_url(link: Link) -> str:
    return view_address("briefs:agreement-detail", link.slug) if link.slug else ""


def _counted(graph: Graph) -> str:
    counts = {
        kind: sum(1 for link in graph.links if link.kind == kind)
        for kind in _LINK_WORDS
    }
    words = {
        LinkKind.MEMBERSHIP: lambda n: ngettext(
            "%(count)d membership", "%(count)d memberships", n
        ),
        LinkKind.AGREEMENT: lambda n: ngettext(
            "%(count)d agreement link", "%(count)d agreement links", n
        ),
        LinkKind.OFFICE: lambda n: ngettext("%(count)d office", "%(count)d offices", n),
    }
    parts = [words[kind](n) % {"count": n} for kind, n in counts.items() if n]
    return ", ".join(parts or [_("no links")])


def render_network(
    graph: Graph,
    centre: list[int],
    *,
    prefix: str,
    title: str,
    caption: str,
    open_table: bool = False,
) -> SafeString:
    picture = lay_out_network(graph, centre)
    desc = ngettext(
        "%(actors)d actor on %(day)s: %(links)s. "
        "Each actor links to its page; the table lists every link.",
        "%(actors)d actors on %(day)s: %(links)s. "
        "Each actor links to its page; the table lists every link.",
        len(graph.nodes),
    ) % {
        "actors": len(graph.nodes),
        "day": long_date(graph.on),
        "links": _counted(graph),
    }
    if graph.truncated:
        desc += " " + ngettext(
            "%(count)d less connected actor is left out.",
            "%(count)d less connected actors are left out.",
            graph.truncated,
        ) % {"count": graph.truncated}
    return mark_safe(  # rendered by the template engine, which escaped every name
        render_to_string(
            "actors/_network.html",
            {
                "picture": picture,
                "graph": graph,
                "rows": _table_rows(graph),
                "prefix": prefix,
                "title": title,
                "desc": desc,
                "caption": caption,
                "open_table": open_table,
            },
        )
    )


def render_timeline(
    timeline: Timeline, *, prefix: str, title: str, what: str
) -> SafeString:
    if timeline.items:
        desc = ngettext(
            "%(what)s from %(start)s to today, on one time axis: %(count)d dated "
            "item. The list that follows gives each with its dates.",
            "%(what)s from %(start)s to today, on one time axis: %(count)d dated "
            "items. The list that follows gives each with its dates.",
            len(timeline.items),
        ) % {
            "what": what,
            "start": long_date(timeline.items[0].start),
            "count": len(timeline.items),
        }
    else:
        desc = _("No dated %(what)s recorded.") % {"what": what.lower()}
    return mark_safe(
        render_to_string(
            "actors/_timeline.html",
            {"timeline": timeline, "prefix": prefix, "title": title, "desc": desc},
        )
    )


def actor_pictures(actor_id: int, name: str, slug: str) -> str:
    """The actor page's timeline and neighbourhood map (per generation and day)."""

    def build() -> str:
        today = timezone.localdate()
        timeline = lay_out_timeline(actor_timeline(actor_id), today)
        graph = graph_on(today).around({actor_id}, NEIGHBOURHOOD_MAX_NODES)
        return render_to_string(
            "actors/_actor_pictures.html",
            {
                "name": name,
                "slug": slug,
                "today": today,
                "timeline": render_timeline(
                    timeline,
                    prefix="actor-timeline",
                    title=_("Timeline of %(name)s") % {"name": name},
                    what=_("Memberships, offices and agreements"),
                )
                if timeline.items or timeline.undated
                else "",
                "network": render_network(
                    graph,
                    [actor_id],
                    prefix="actor-map",
                    title=_("Alliance map around %(name)s") % {"name": name},
                    caption=_("Who %(name)s was linked to on %(day)s")
                    % {"name": name, "day": long_date(today)},
                )
                if graph.links
                else "",
            },
        )

    return _cached(("actor", actor_id), build)  # type: ignore[return-value]


def agreement_pictures(agreement: Agreement, party_ids: list[int]) -> str:
    """The agreement page's history and the map of its parties."""

    def build() -> str:
        today = timezone.localdate()
        timeline = lay_out_timeline(agreement_history(agreement, today), today)
        on = last_day_in_effect(agreement, today)
        network = ""
        if on is not None:
            graph = graph_on(on).around(set(party_ids), NEIGHBOURHOOD_MAX_NODES)
            if graph.links:
                if on == today:
                    caption = _("The parties and their links today")
                else:
                    caption = _("The parties and their links on %(day)s") % {
                        "day": long_date(on)
                    }
                network = render_network(
                    graph,
                    party_ids,
                    prefix="agreement-map",
                    title=_("Alliance map of the parties to %(title)s")
                    % {"title": agreement.title},
                    caption=caption,
                )
        return render_to_string(
            "actors/_agreement_pictures.html",
            {
                "agreement": agreement,
                "on": on,
                "today": today,
                "timeline": render_timeline(
                    timeline,
                    prefix="agreement-timeline",
                    title=_("History of %(title)s") % {"title": agreement.title},
                    what=_("Its history"),
                )
                if timeline.items or timeline.undated
                else "",
                "network": network,
            },
        )

    return _cached(("agreement", agreement.pk), build)  # type: ignore[return-value]


def network_page(on: datetime.date, actor: Actor | None) -> dict:
    """The whole network on a day, or one actor's neighbourhood in it."""

    def build() -> dict:
        graph = graph_on(on)
        if actor is not None:
            shown = graph.around({actor.pk}, NEIGHBOURHOOD_MAX_NODES)
            centre = [actor.pk]
            title = _("Alliance map around %(name)s") % {"name": actor.name}
        else:
            shown = graph.subgraph(set(graph.nodes), NETWORK_MAX_NODES)
            centre = [pk for pk in hubs(graph) if pk in shown.nodes] or [
                pk
                for pk, node in shown.nodes.items()
                if node.kind in (ActorKind.ORGANIZATION, ActorKind.MISSION)
            ]
            title = _("Alliance map")
        network = ""
        if shown.links:
            network = render_network(
                shown,
                centre,
                prefix="network-map",
                title=title,
                caption=_("Links on %(day)s") % {"day": long_date(on)},
                open_table=True,
            )
        return {"network": network}

    return _cached(("network", on, actor.pk if actor else None), build)  # type: ignore[return-value]


# The network page's `?actor=`: its SQL built once per process (kernel/compiled.py).
_ACTOR_BY_SLUG = CompiledQuery(
    lambda slug: (
        Actor.objects.filter(slug=slug).order_by().values_list("id", "slug", "name")
    ),
    slug=" sentinel slug ",
)


class NetworkForm(forms.Form):
    """The network page's address: `?on=YYYY-MM-DD` and `?actor=<slug>`, both optional.

    Anything else in the address, a date not written YYYY-MM-DD or outside
    EARLIEST..LATEST, or an unknown actor is the reader's mistake: the page
    answers 400 and says which (never 500).
    """

    EARLIEST = datetime.date(1800, 1, 1)
    LATEST = datetime.date(2199, 12, 31)

    on = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        label=gettext_lazy("Day"),
        error_messages={
            "invalid": gettext_lazy("Write the day as YYYY-MM-DD, e.g. 2025-04-01.")
        },
    )
    actor = forms.SlugField(required=False, max_length=200)

    def clean(self) -> dict:
        unknown = sorted(set(self.data) - set(self.fields))
        if unknown:
            raise ValidationError(
                _("Unknown in the address: %(names)s."),
                params={"names": ", ".join(unknown)},
            )
        # A QueryDict answers a repeated key with its last value: say so instead.
        repeated = sorted(k for k in self.fields if len(self.data.getlist(k)) > 1)
        if repeated:
            raise ValidationError(
                _("Give each of these once: %(names)s."),
                params={"names": ", ".join(repeated)},
            )
        return super().clean()

    def clean_on(self) -> datetime.date:
        on = self.cleaned_data["on"] or timezone.localdate()
        if not self.EARLIEST <= on <= self.LATEST:
            raise ValidationError(
                _("Choose a day between %(first)s and %(last)s."),
                params={"first": self.EARLIEST, "last": self.LATEST},
            )
        return on

    def clean_actor(self) -> Actor | None:
        slug = self.cleaned_data["actor"]
        if not slug:
            return None
        rows = _ACTOR_BY_SLUG(slug=slug)
        if not rows:
            raise ValidationError(_("No actor has this address."))
        pk, slug, name = rows[0]
        return Actor(id=pk, slug=slug, name=name)
