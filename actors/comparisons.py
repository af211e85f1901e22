"""Bloc comparisons: groups of actors compared metric by metric, from indicators.

One computation for every surface: the /compare/ page, its CSV and JSON, and
the ```compare directive that briefs embed (frozen into their editions).

    parse_query(params)        a comparison asked for in a URL  -> Spec
    parse_directive(text)      a comparison written in a brief  -> Spec (names)
    resolve(spec)              names or slugs -> actors (one query)
    build_table(...)           the table: a pure function of groups, date,
                               metrics and the indicators given to it
    compute(spec)              resolve + read indicators (one query) + build

The rules (README, *Bloc comparisons*):
- For each actor and metric, the figure valid on `on` is the one of the latest
  year not after `on`'s year (undated figures come last); a known figure is
  preferred to an explicit unknown.
- A group total is given only for additive metrics (`actors.models.METRIC_INFO`)
  when every member's figure is known, in service (an order is not a fleet)
  and in the same unit; otherwise the total says why and names who is missing.
- Ranges add as ranges: 250–300 + 44 = 294–344, never a midpoint.

Tables are plain JSON-ready dicts: editions store them as they were computed.
"""

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy

from actors.models import (
    METRIC_INFO,
    Actor,
    Indicator,
    Metric,
    MetricInfo,
    _plain_number,
)
from kernel.compiled import CompiledQuery
from languages.addresses import view_address

# Limits: a comparison is a table a reader can take in, and each one is a
# bounded amount of work (two queries, a few hundred cells).
MAX_GROUPS = 6
MAX_ACTORS = 20
MAX_GROUP_NAME = 80
MAX_DIRECTIVE_CHARS = 2_000
MAX_DIRECTIVE_LINES = 30
# How many ```compare blocks one brief may embed; more render as a notice.
MAX_DIRECTIVES = 10
GROUP_KEYS = "abcdef"[:MAX_GROUPS]
NO_DATA = "no data"

_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")


class ComparisonError(ValueError):
    """A comparison that cannot be made; `errors` maps each part to a message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


@dataclass(frozen=True)
class GroupSpec:
    key: str
    name: str
    members: tuple[str, ...]  # slugs (from a URL) or names (from a directive)


@dataclass(frozen=True)
class Spec:
    groups: tuple[GroupSpec, ...]
    on: datetime.date | None = None
    metrics: tuple[str, ...] = ()  # empty: every metric with a figure

    def query(self, *, resolved: "Resolved | None" = None) -> list[tuple[str, str]]:
        """The canonical query string's pairs: groups a, b, c … in order, each
        with its name when one was given, then `on`, then `metrics`."""
        pairs = []
        for index, group in enumerate(self.groups):
            key = GROUP_KEYS[index]
            slugs = (
                [a.slug for a in resolved.groups[index][2]]
                if resolved
                else list(group.members)
            )
            pairs.append((key, ",".join(slugs)))
            if group.name:
                pairs.append((f"{key}_name", group.name))
        if self.on:
            pairs.append(("on", self.on.isoformat()))
        if self.metrics:
            pairs.append(("metrics", ",".join(self.metrics)))
        return pairs


@dataclass
class Resolved:
    """A spec whose members are actors: [(key, name, [actors])]."""

    spec: Spec
    groups: list[tuple[str, str, list[Actor]]] = field(default_factory=list)


# --- Reading a comparison from a URL ------------------------------------------------


def allowed_parameters() -> set[str]:
    keys = set(GROUP_KEYS)
    return keys | {f"{k}_name" for k in keys} | {"on", "metrics", "format"}


def _split(values: Iterable[str]) -> list[str]:
    return [
        part.strip() for value in values for part in value.split(",") if part.strip()
    ]


def _parse_date(value: str) -> datetime.date:
    # strptime, not fromisoformat: the page says YYYY-MM-DD and means only
    # that (fromisoformat also takes week dates such as 2025-W01-1).
    try:
        return datetime.datetime.strptime(value.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(
            gettext("Give a date as YYYY-MM-DD, e.g. 2025-06-01.")
        ) from None


def _parse_metrics(names: list[str]) -> tuple[str, ...]:
    by_name = {m.value: m.value for m in Metric}
    by_name.update({m.label.casefold(): m.value for m in Metric})
    chosen, unknown = [], []
    for name in names:
        metric = by_name.get(name) or by_name.get(name.casefold())
        if metric is None:
            unknown.append(name[:40])
        elif metric not in chosen:
            chosen.append(metric)
    if unknown:
        raise ValueError(
            gettext("Unknown metric: %(unknown)s. Known: %(known)s.")
            % {
                "unknown": ", ".join(unknown[:5]),
                "known": ", ".join(m.value for m in Metric),
            }
        )
    # Metric order, whatever order they were asked in: one table, one URL.
    order = list(Metric.values)
    return tuple(sorted(chosen, key=order.index))


def parse_query(params: Any) -> Spec:
    """A Spec from query parameters (a QueryDict); ComparisonError names each
    bad parameter. Empty values are "not given" (an HTML form sends them all)."""
    errors: dict[str, str] = {}
    unknown = sorted(set(params) - allowed_parameters())
    for name in unknown[:5]:
        errors[name[:40]] = gettext(
            "Unknown parameter. Use a, b, c … (actor slugs separated by "
            "commas), a_name, b_name …, on (YYYY-MM-DD), metrics and format."
        )
    groups = []
    total = 0
    for key in GROUP_KEYS:
        members = _split(params.getlist(key, []))
        name = " ".join(" ".join(params.getlist(f"{key}_name", [])).split())
        if not members:
            if name:
                errors[key] = gettext("The group “%(name)s” has no actors.") % {
                    "name": name
                }
            continue
        bad = [m for m in members if not _SLUG.fullmatch(m)]
        if bad:
            errors[key] = gettext("Not an actor slug: %(slugs)s") % {
                "slugs": ", ".join(b[:40] for b in bad[:3])
            }
            continue
        if len(name) > MAX_GROUP_NAME:
            errors[f"{key}_name"] = gettext("At most %(limit)d characters.") % {
                "limit": MAX_GROUP_NAME
            }
            continue
        unique = tuple(dict.fromkeys(m.lower() for m in members))
        total += len(unique)
        groups.append(GroupSpec(key, name, unique))
    if total > MAX_ACTORS:
        errors["a"] = gettext("Compare at most %(limit)d actors in all.") % {
            "limit": MAX_ACTORS
        }
    on = None
    if params.get("on", "").strip():
        try:
            on = _parse_date(params["on"])
        except ValueError as exc:
            errors["on"] = str(exc)
    metrics: tuple[str, ...] = ()
    try:
        metrics = _parse_metrics(_split(params.getlist("metrics", [])))
    except ValueError as exc:
        errors["metrics"] = str(exc)
    if not errors and len(groups) < 2:
        errors["b"] = gettext("Give at least two groups: a=… and b=…")
    if errors:
        raise ComparisonError(errors)
    return Spec(groups=tuple(groups), on=on, metrics=metrics)


# --- Reading a comparison from a brief ------------------------------------------------

DIRECTIVE_HELP = gettext_lazy(
    "Write one line per group (a: Serbia, Hungary), optionally a name per group "
    "(a_name: Serbia and Hungary), metrics: …, and on: YYYY-MM-DD."
)


def parse_directive(text: str) -> Spec:
    """A Spec from the lines of a ```compare block; members are actor names
    (or slugs or aliases), resolved by `resolve`. Bounded: MAX_DIRECTIVE_CHARS."""
    if len(text) > MAX_DIRECTIVE_CHARS:
        raise ComparisonError(
            {
                "directive": gettext("Longer than %(limit)s characters.")
                % {"limit": number_format(MAX_DIRECTIVE_CHARS, force_grouping=True)}
            }
        )
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if len(lines) > MAX_DIRECTIVE_LINES:
        raise ComparisonError(
            {
                "directive": gettext("More than %(limit)d lines.")
                % {"limit": MAX_DIRECTIVE_LINES}
            }
        )
    values: dict[str, list[str]] = {}
    for number, line in enumerate(lines, 1):
        key, colon, value = line.partition(":")
        key = key.strip().lower().replace(" ", "_")
        if not colon or key not in allowed_parameters() - {"format"}:
            raise ComparisonError(
                {
                    "directive": gettext("Line %(number)d is not understood: %(line)s.")
                    % {"number": number, "line": repr(line[:60])}
                }
                | {"help": str(DIRECTIVE_HELP)}
            )
        values.setdefault(key, []).append(value.strip())
    errors: dict[str, str] = {}
    groups = []
    total = 0
    for key in GROUP_KEYS:
        members = _split(values.get(key, []))
        name = " ".join(" ".join(values.get(f"{key}_name", [])).split())
        if not members:
            if name:
                errors[key] = gettext("The group “%(name)s” has no actors.") % {
                    "name": name
                }
            continue
        if len(name) > MAX_GROUP_NAME:
            errors[f"{key}_name"] = gettext("At most %(limit)d characters.") % {
                "limit": MAX_GROUP_NAME
            }
        unique = tuple(dict.fromkeys(m[:200] for m in members))
        total += len(unique)
        groups.append(GroupSpec(key, name, unique))
    if total > MAX_ACTORS:
        errors["directive"] = gettext("Compare at most %(limit)d actors in all.") % {
            "limit": MAX_ACTORS
        }
    on = None
    if values.get("on"):
        try:
            on = _parse_date(values["on"][-1])
        except ValueError as exc:
            errors["on"] = str(exc)
    metrics: tuple[str, ...] = ()
    try:
        metrics = _parse_metrics(_split(values.get("metrics", [])))
    except ValueError as exc:
        errors["metrics"] = str(exc)
    if not errors and len(groups) < 2:
        errors["directive"] = gettext("Give at least two groups (lines a: … and b: …).")
    if errors:
        raise ComparisonError(errors)
    return Spec(groups=tuple(groups), on=on, metrics=metrics)


# --- Actors ---------------------------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


# What a table shows of an actor; its prepared page (long text) stays unread.
_ACTOR_FIELDS = ("id", "slug", "name")


class ActorRef:
    """What a table shows of an actor (`_ACTOR_FIELDS`), without building a
    model instance: one object per actor, so members are told apart as they are."""

    __slots__ = _ACTOR_FIELDS

    def __init__(self, id: int, slug: str, name: str) -> None:
        self.id, self.slug, self.name = id, slug, name

    @property
    def pk(self) -> int:
        return self.id


def resolve(spec: Spec, *, by_name: bool = False) -> Resolved:
    """The spec's actors, in the order given (one query).

    From a URL members are slugs; from a directive (`by_name`) they are names,
    slugs or aliases, compared case-insensitively. Unknown members are a
    ComparisonError naming them.
    """
    wanted = {m for group in spec.groups for m in group.members}
    if by_name:
        # iexact is ASCII-only on SQLite ("србија" is not "Србија" there), so
        # the usual capitalisations are asked for exactly as well; the match
        # itself is made below, case-folded.
        variants = {
            form
            for member in wanted
            for form in (
                member,
                member.lower(),
                member.upper(),
                member.title(),
                member.capitalize(),
            )
        }
        condition = Q(name__in=variants) | Q(aliases__alias__in=variants)
        for member in wanted:
            condition |= (
                Q(name__iexact=member)
                | Q(slug__iexact=member)
                | Q(aliases__alias__iexact=member)
            )
        actors = list(
            Actor.objects.filter(condition)
            .distinct()
            .only(*_ACTOR_FIELDS)
            .prefetch_related("aliases")
        )
        found: dict[str, Actor] = {}
        # Names first, then slugs, then aliases: "Serbia" is the state even
        # if some other actor had "Serbia" as an alias.
        for actor in actors:
            for alias in actor.aliases.all():
                found.setdefault(_fold(alias.alias), actor)
        for actor in actors:
            found[actor.slug.lower()] = actor
        for actor in actors:
            found[_fold(actor.name)] = actor
        lookup = {m: found.get(_fold(m)) for m in wanted}
    else:
        # Compiled once per process (kernel/compiled.py); padded with a
        # value no slug can have.
        slugs = sorted(wanted)[:MAX_ACTORS]
        rows = _ACTORS_BY_SLUG(slugs=slugs + [" "] * (MAX_ACTORS - len(slugs)))
        actors = [ActorRef(pk, slug, name) for pk, slug, name in rows]
        by_slug = {a.slug: a for a in actors}
        lookup = {m: by_slug.get(m) for m in wanted}
    errors = {}
    resolved = Resolved(spec=spec)
    for group in spec.groups:
        missing = [m for m in group.members if lookup[m] is None]
        if missing:
            errors[group.key] = gettext("Unknown actor: %(names)s") % {
                "names": ", ".join(m[:60] for m in missing[:5])
            }
            continue
        members = list(dict.fromkeys(lookup[m] for m in group.members))
        resolved.groups.append((group.key, group.name, members))
    if errors:
        raise ComparisonError(errors)
    return resolved


_INDICATOR_COLUMNS = (
    "id",
    "actor_id",
    "metric",
    "value",
    "value_max",
    "unit",
    "year",
    "status",
    "status_year",
    "source",
    "source_url",
    "note",
)
_ACTORS_BY_SLUG = CompiledQuery(
    lambda slugs: (
        Actor.objects.filter(slug__in=slugs).order_by().values_list(*_ACTOR_FIELDS)
    ),
    slugs=[f" sentinel {i}" for i in range(MAX_ACTORS)],
)
_INDICATORS = CompiledQuery(
    lambda actor_ids: (
        Indicator.objects.filter(actor_id__in=actor_ids)
        .order_by("id")
        .values_list(*_INDICATOR_COLUMNS)
    ),
    actor_ids=[-1_000_001 - i for i in range(MAX_ACTORS)],
)


def _decimal(value: Any) -> Decimal | None:
    # Raw rows: SQLite answers numbers, PostgreSQL Decimals.
    return None if value is None else Decimal(str(value))


class IndicatorRow:
    """An indicator as the table reads it: the columns of `_INDICATOR_COLUMNS`
    and the model's own rules (`source_link`, `counts_in_total`,
    `status_text`), without building a model instance per figure."""

    __slots__ = _INDICATOR_COLUMNS
    source_link = Indicator.source_link
    counts_in_total = Indicator.counts_in_total
    status_text = Indicator.status_text

    def __init__(
        self,
        id: int,
        actor_id: int,
        metric: str,
        value: Any,
        value_max: Any,
        unit: str,
        year: int | None,
        status: str,
        status_year: int | None,
        source: str,
        source_url: str,
        note: str,
    ) -> None:
        self.id, self.actor_id, self.metric = id, actor_id, metric
        self.value, self.value_max = _decimal(value), _decimal(value_max)
        self.unit, self.year, self.status = unit, year, status
        self.status_year, self.source, self.source_url = status_year, source, source_url
        self.note = note


def indicators_for(actors: Iterable[Actor]) -> list[IndicatorRow]:
    """Every indicator of these actors (one query, compiled once per process;
    at most MAX_ACTORS actors): the table picks from them."""
    ids = [a.pk for a in actors][:MAX_ACTORS]
    if not ids:
        return []
    rows = _INDICATORS(actor_ids=ids + [-1] * (MAX_ACTORS - len(ids)))
    return [IndicatorRow(*row) for row in rows]


# --- The table ----------------------------------------------------------------------


def _number(value: Decimal) -> str:
    """3700 -> "3,700"; 3.50 -> "3.5": as a reader writes figures."""
    return f"{Decimal(_plain_number(value)):,f}"


def value_text(low: Decimal | None, high: Decimal | None) -> str:
    if low is None:
        return NO_DATA
    return _number(low) + (f"–{_number(high)}" if high is not None else "")


def _valid_on(indicator: Indicator, year: int) -> bool:
    return indicator.year is None or indicator.year <= year


def pick(indicators: list[Indicator], info: MetricInfo) -> Indicator | None:
    """The figure to show: latest year first (undated last), a known one
    before an explicit unknown, the last entered among equals."""

    def known(indicator: Indicator) -> bool:
        if info.qualitative:
            return bool(indicator.note.strip()) or indicator.value is not None
        return indicator.value is not None

    if not indicators:
        return None
    return max(
        indicators,
        key=lambda i: (known(i), i.year is not None, i.year or 0, i.id or 0),
    )


class _Sources:
    """Numbered sources, each listed once: every figure links to its number."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._numbers: dict[tuple[str, str], int] = {}

    def number(self, indicator: Indicator) -> int:
        key = (indicator.source, indicator.source_link)
        if key not in self._numbers:
            self._numbers[key] = len(self.items) + 1
            self.items.append(
                {
                    "n": len(self.items) + 1,
                    "title": indicator.source,
                    "url": indicator.source_link,
                }
            )
        return self._numbers[key]


def _cell(
    actor: Actor, indicator: Indicator | None, info: MetricInfo, sources: _Sources
) -> dict[str, Any]:
    cell: dict[str, Any] = {
        "actor": actor.slug,
        "actor_name": actor.name,
        "known": False,
        "value": None,
        "value_max": None,
        "text": NO_DATA,
        "unit": "",
        "year": None,
        "status": "",
        "status_text": "",
        "note": "",
        "source": None,
    }
    if indicator is None:
        return cell
    cell.update(
        unit=indicator.unit,
        year=indicator.year,
        status=indicator.status,
        status_text=indicator.status_text,
        note=indicator.note,
        source=sources.number(indicator),
    )
    if indicator.value is not None:
        cell.update(
            known=True,
            value=_plain_number(indicator.value),
            value_max=(
                _plain_number(indicator.value_max)
                if indicator.value_max is not None
                else None
            ),
            text=value_text(indicator.value, indicator.value_max),
        )
    elif info.qualitative and indicator.note.strip():
        # The words are the entry; the note is not repeated beside them.
        cell.update(known=True, text=indicator.note.strip(), note="")
    return cell


def _total(
    members: list[Actor],
    cells: list[dict[str, Any]],
    picked: list[Indicator | None],
    info: MetricInfo,
) -> dict[str, Any]:
    total: dict[str, Any] = {
        "available": False,
        "value": None,
        "value_max": None,
        "text": "",
        "unit": "",
        "years": [],
        "missing": [],
        "reason": "",
    }
    if info.qualitative:
        total["reason"] = gettext("Not a number.")
        total["text"] = "—"
        return total
    if not info.additive:
        total["reason"] = gettext("Not additive: figures of this kind do not add up.")
        total["text"] = gettext("not added up")
        return total
    missing = [cell["actor_name"] for cell in cells if not cell["known"]]
    if missing:
        total["missing"] = missing
        total["reason"] = gettext("No total: no data for %(actors)s.") % {
            "actors": ", ".join(missing)
        }
        total["text"] = gettext("no total")
        return total
    not_in_service = [
        f"{actor.name} ({indicator.status_text})"
        for actor, indicator in zip(members, picked, strict=True)
        if indicator is not None and not indicator.counts_in_total
    ]
    if not_in_service:
        total["reason"] = gettext(
            "No total: not in service, %(actors)s; an order is not added to what "
            "is in service."
        ) % {"actors": ", ".join(not_in_service)}
        total["text"] = gettext("no total")
        return total
    units = sorted({cell["unit"] for cell in cells})
    if len(units) > 1:
        total["reason"] = gettext("No total: the units differ (%(units)s).") % {
            "units": ", ".join(units)
        }
        total["text"] = gettext("no total")
        return total
    low = sum((i.value for i in picked if i), Decimal(0))
    ranged = any(i.value_max is not None for i in picked if i)
    high = (
        sum(
            (
                (i.value_max if i.value_max is not None else i.value)
                for i in picked
                if i
            ),
            Decimal(0),
        )
        if ranged
        else None
    )
    total.update(
        available=True,
        value=_plain_number(low),
        value_max=_plain_number(high) if high is not None else None,
        text=value_text(low, high),
        unit=units[0] if units else "",
        years=sorted({cell["year"] for cell in cells if cell["year"] is not None}),
    )
    return total


def _actor_url(slug: str) -> str:
    """An actor page's address (Actor.get_absolute_url), in the active language."""
    return view_address("briefs:actor-detail", slug)


def build_table(
    groups: list[tuple[str, str, list[Actor]]],
    *,
    on: datetime.date,
    metrics: Iterable[str] = (),
    indicators: Iterable[Indicator],
) -> dict[str, Any]:
    """The comparison table: a pure function of its arguments (no query).

    `groups`: (key, name, actors); `metrics`: which rows, in Metric order
    (empty: every metric any of the actors has a figure for). Returns a dict
    of plain JSON values (see docs/api.md, *Comparisons*).
    """
    by_actor_metric: dict[tuple[int, str], list[Indicator]] = {}
    for indicator in indicators:
        if _valid_on(indicator, on.year):
            by_actor_metric.setdefault(
                (indicator.actor_id, indicator.metric), []
            ).append(indicator)
    wanted = list(metrics) or [
        m
        for m in Metric.values
        if any((a.pk, m) in by_actor_metric for _, _, actors in groups for a in actors)
    ]
    sources = _Sources()
    group_rows = [
        {
            "key": key,
            "name": name or " – ".join(a.name for a in actors),
            "named": bool(name),
            "actors": [
                {"slug": a.slug, "name": a.name, "url": _actor_url(a.slug)}
                for a in actors
            ],
        }
        for key, name, actors in groups
    ]
    rows = []
    for metric in wanted:
        info = METRIC_INFO.get(metric, MetricInfo(additive=False))
        row_groups = []
        for key, _name, actors in groups:
            picked = [
                pick(by_actor_metric.get((a.pk, metric), []), info) for a in actors
            ]
            cells = [
                _cell(a, i, info, sources) for a, i in zip(actors, picked, strict=True)
            ]
            row_groups.append(
                {
                    "key": key,
                    "cells": cells,
                    "total": _total(actors, cells, picked, info),
                }
            )
        rows.append(
            {
                "metric": metric,
                "label": str(Metric(metric).label),
                "additive": info.additive,
                "qualitative": info.qualitative,
                "groups": row_groups,
            }
        )
    return {
        "on": on.isoformat(),
        "groups": group_rows,
        "rows": rows,
        "sources": sources.items,
        "gaps": sum(
            1
            for row in rows
            for group in row["groups"]
            for cell in group["cells"]
            if not cell["known"]
        ),
    }


def compute(
    spec: Spec, *, by_name: bool = False, today: datetime.date | None = None
) -> tuple[Resolved, dict[str, Any]]:
    """Resolve the spec's actors and build its table (two queries)."""
    resolved = resolve(spec, by_name=by_name)
    actors = [a for _, _, members in resolved.groups for a in members]
    on = spec.on or today or timezone.localdate()
    table = build_table(
        resolved.groups,
        on=on,
        metrics=spec.metrics,
        indicators=indicators_for(actors),
    )
    table["query"] = spec.query(resolved=resolved)
    table["url"] = compare_url(table["query"])
    return resolved, table


def compare_path() -> str:
    """/compare/'s address in the active language."""
    return view_address("actors:compare")


def compare_url(pairs: list[tuple[str, str]]) -> str:
    return f"{compare_path()}?{urlencode(pairs, safe=',')}"


def embed(text: str, *, today: datetime.date) -> dict[str, Any]:
    """What an edition stores for one ```compare block: its table, or the
    error to show in its place. Never raises for bad text."""
    try:
        spec = parse_directive(text)
        _, table = compute(spec, by_name=True, today=today)
    except ComparisonError as exc:
        return {"error": str(exc), "errors": exc.errors}
    return {"table": table}
