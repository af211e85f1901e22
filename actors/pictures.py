"""Pictures of the reference layer as geometry: timelines and the alliance map.

Two halves. The readers (`actor_timeline`, `agreement_history`,
`alliance_graph`) gather rows with a fixed number of queries each, whatever an
actor holds. The layouts (`lay_out_timeline`, `lay_out_network`) are pure:
items in, coordinates out, no markup. The SVG itself is written by templates
(templates/actors/_timeline.html, _network.html), which publishing renders and
caches (publishing/pictures.py).

Determinism: the same rows give the same picture, byte for byte. Inputs are
sorted by stable keys (dates, names, ids) before anything is placed; lanes
are assigned first-fit in that order; the network is drawn on concentric
rings (hand-written, no force simulation, no random seed), and every
coordinate is rounded to one decimal. Label widths are estimated from the
number of characters (no font metrics), so the layout does not depend on the
fonts of the machine that renders it.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from actors.models import (
    Actor,
    ActorKind,
    Agreement,
    AgreementParty,
    Membership,
    Office,
)
from languages.addresses import view_address

# --- shared ------------------------------------------------------------------

FONT_SIZE = 13  # SVG user units; the pictures scale with their viewBox
CHAR_WIDTH = 0.58 * FONT_SIZE  # wide enough for Georgia/DejaVu at this size
LABEL_MAX_CHARS = 44  # longer labels are cut with "…" (the full text is in
# the picture's <title> elements and its text alternative)


def clip(text: str, limit: int = LABEL_MAX_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def r1(value: float) -> float:
    """One decimal: enough for a picture, and stable across platforms' maths."""
    rounded = round(value, 1)
    return 0.0 if rounded == 0 else rounded  # never "-0.0"


# --- timelines ---------------------------------------------------------------


class ItemKind:
    MEMBERSHIP = "membership"
    OFFICE = "office"
    AGREEMENT = "agreement"
    HISTORY = "history"


@dataclass(frozen=True)
class TimelineItem:
    """One thing on a timeline: a span (start..end) or an event (one day).

    A span whose `end` is None is ongoing and is drawn to today. `end` is
    the day it ended, as the record gives it (`Membership.until`, an
    agreement's last day in effect).
    """

    label: str
    start: datetime.date | None
    end: datetime.date | None = None
    kind: str = ItemKind.HISTORY
    point: bool = False
    url: str = ""

    @property
    def ongoing(self) -> bool:
        return not self.point and self.end is None

    def sort_key(self) -> tuple:
        return (
            self.start or datetime.date.min,
            self.point,
            self.end or datetime.date.max,
            self.label,
            self.url,
        )


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    iso: str


@dataclass(frozen=True)
class Bar:
    item: TimelineItem
    x1: float
    x2: float
    y: float  # the bar's top
    label: str  # clipped
    label_x: float
    label_y: float
    anchor: str  # "start" or "end"

    @property
    def length(self) -> float:
        return r1(self.x2 - self.x1)

    @property
    def mid_y(self) -> float:
        return r1(self.y + BAR_HEIGHT / 2)

    @property
    def diamond(self) -> str:
        """An event's marker: a diamond on its day."""
        x, y, r = self.x1, self.mid_y, BAR_HEIGHT - 2
        return f"{x},{r1(y - r)} {r1(x + r)},{y} {x},{r1(y + r)} {r1(x - r)},{y}"

    @property
    def arrow(self) -> str:
        """An ongoing span's end: an arrowhead pointing on past today."""
        x, y = self.x2, self.y
        return f"{x},{r1(y - 3)} {r1(x + 8)},{self.mid_y} {x},{r1(y + BAR_HEIGHT + 3)}"


@dataclass
class Timeline:
    items: list[TimelineItem]  # dated ones, in reading order
    undated: list[TimelineItem]
    today: datetime.date
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    today_x: float = 0.0
    width: int = 0
    height: int = 0
    axis_y: float = 0.0
    omitted: int = 0  # dated items not drawn (over TIMELINE_MAX_ITEMS)

    @property
    def tick_label_y(self) -> float:
        return r1(self.axis_y + 16)


TIMELINE_WIDTH = 760
TIMELINE_MARGIN = 12
LANE_HEIGHT = 34
BAR_HEIGHT = 8
LABEL_GAP = 10  # between two things sharing a lane
# At most this many items are drawn (the earliest first); the list has all.
TIMELINE_MAX_ITEMS = 40
_TICK_STEPS_MONTHS = (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200)
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def axis_ticks(first: datetime.date, last: datetime.date, max_ticks: int) -> list:
    """Round dates between `first` and `last`: whole years, or months if short.

    The step is the smallest of 1, 2, 3, 6 months, 1, 2, 5, 10, 20, 50 or 100
    years that gives at most `max_ticks`; ticks fall on multiples of it
    (1950, 1960 … or January, April …).
    """
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next(
        (s for s in _TICK_STEPS_MONTHS if months / s <= max_ticks),
        _TICK_STEPS_MONTHS[-1],
    )
    # The first month start on or after `first`, rounded up to the step.
    index = first.year * 12 + first.month - 1 + (first.day > 1)
    index += -index % step
    ticks = []
    day = datetime.date(index // 12, index % 12 + 1, 1)
    while day <= last:
        ticks.append(day)
        day = _add_months(day, step)
    return [(day, step) for day in ticks]


def _tick_label(day: datetime.date, step: int) -> str:
    if step % 12 == 0:
        return str(day.year)
    return f"{_MONTHS[day.month - 1]} {day.year}"


def assign_lanes(extents: list[tuple[float, float]], gap: float) -> list[int]:
    """First-fit lanes for horizontal extents, in the order given.

    Each extent goes to the lowest lane whose last extent ends at least `gap`
    before it starts, so no two labels or bars in a lane overlap; the same
    extents in the same order always get the same lanes.
    """
    ends: list[float] = []
    lanes = []
    for start, end in extents:
        for lane, lane_end in enumerate(ends):
            if lane_end + gap <= start:
                ends[lane] = end
                lanes.append(lane)
                break
        else:
            ends.append(end)
            lanes.append(len(ends) - 1)
    return lanes


def lay_out_timeline(
    items: list[TimelineItem], today: datetime.date, *, width: int = TIMELINE_WIDTH
) -> Timeline:
    """Place items on one time axis from the earliest date to today (or later)."""
    dated = sorted((i for i in items if i.start), key=TimelineItem.sort_key)
    undated = sorted((i for i in items if not i.start), key=TimelineItem.sort_key)
    timeline = Timeline(items=dated, undated=undated, today=today, width=width)
    drawn = dated[:TIMELINE_MAX_ITEMS]
    timeline.omitted = len(dated) - len(drawn)
    if not drawn:
        return timeline
    first = min(i.start for i in drawn)
    last = max([today, *(i.end for i in drawn if i.end), *(i.start for i in drawn)])
    # A little room either side, so nothing sits on the frame.
    pad = max(15, (last - first).days // 40)
    first -= datetime.timedelta(days=pad)
    last += datetime.timedelta(days=pad)
    left, right = TIMELINE_MARGIN, width - TIMELINE_MARGIN
    span_days = (last - first).days

    def x_of(day: datetime.date) -> float:
        return left + (day - first).days * (right - left) / span_days

    placed = []
    for item in drawn:
        x1 = x_of(item.start)
        x2 = x1 if item.point else x_of(item.end or today)
        label = clip(item.label)
        w = text_width(label)
        if x1 + w <= right:
            anchor, label_x, extent = "start", x1, (x1, max(x1 + w, x2))
        else:  # no room to the right: the label ends where the item starts
            anchor, label_x, extent = "end", x1, (x1 - w, x2)
        placed.append((item, x1, x2, label, anchor, label_x, extent))
    lanes = assign_lanes([p[6] for p in placed], LABEL_GAP)
    top = 18  # room for the today marker's label
    for (item, x1, x2, label, anchor, label_x, _), lane in zip(
        placed, lanes, strict=True
    ):
        y = top + lane * LANE_HEIGHT
        timeline.bars.append(
            Bar(
                item=item,
                x1=r1(x1),
                x2=r1(max(x2, x1)),
                y=r1(y + 16),
                label=label,
                label_x=r1(label_x),
                label_y=r1(y + 12),
                anchor=anchor,
            )
        )
    lane_count = max(lanes) + 1
    timeline.axis_y = r1(top + lane_count * LANE_HEIGHT + 4)
    max_ticks = max(2, int((right - left) // 80))
    timeline.ticks = [
        Tick(x=r1(x_of(day)), label=_tick_label(day, step), iso=day.isoformat())
        for day, step in axis_ticks(first, last, max_ticks)
    ]
    timeline.today_x = r1(x_of(today))
    timeline.height = int(timeline.axis_y + 30)
    return timeline


def actor_timeline(actor_id: int) -> list[TimelineItem]:
    """An actor's memberships, offices and agreements as timeline items.

    Three queries whatever the actor holds. Both sides of each record: a
    state's memberships and an organization's members, a person's offices
    and the holders of a state's offices, the agreements an actor is party to
    and those a person signed.
    """
    items = []
    memberships = (
        Membership.objects.filter(Q(member_id=actor_id) | Q(organization_id=actor_id))
        .select_related("member", "organization")
        .only(
            "since",
            "until",
            "member_id",
            "member__name",
            "member__slug",
            "organization__name",
            "organization__slug",
        )
    )
    for m in memberships:
        if m.member_id == actor_id:
            label, other = f"Member of {m.organization.name}", m.organization
        else:
            label, other = f"{m.member.name}, member", m.member
        items.append(
            TimelineItem(
                label=label,
                start=m.since,
                end=m.until,
                kind=ItemKind.MEMBERSHIP,
                url=other.get_absolute_url(),
            )
        )
    offices = (
        Office.objects.filter(Q(holder_id=actor_id) | Q(of_actor_id=actor_id))
        .select_related("holder", "of_actor")
        .only(
            "title",
            "since",
            "until",
            "holder_id",
            "holder__name",
            "holder__slug",
            "of_actor__name",
            "of_actor__slug",
        )
    )
    for o in offices:
        if o.holder_id == actor_id:
            label, other = f"{o.title} of {o.of_actor.name}", o.of_actor
        else:
            label, other = f"{o.holder.name}, {o.title}", o.holder
        items.append(
            TimelineItem(
                label=label,
                start=o.since,
                end=o.until,
                kind=ItemKind.OFFICE,
                url=other.get_absolute_url(),
            )
        )
    parties = (
        AgreementParty.objects.filter(Q(actor_id=actor_id) | Q(signatory_id=actor_id))
        .select_related("agreement", "actor")
        .only(
            "actor_id",
            "signatory_id",
            "actor__name",
            "agreement__title",
            "agreement__slug",
            "agreement__signed_on",
            "agreement__in_force_on",
            "agreement__proposed_on",
        )
    )
    for p in parties:
        agreement = p.agreement
        if p.actor_id == actor_id:
            label = f"Signed: {agreement.title}"
        else:
            label = f"Signed for {p.actor.name}: {agreement.title}"
        items.append(
            TimelineItem(
                label=label,
                start=agreement.signed_on
                or agreement.in_force_on
                or agreement.proposed_on,
                kind=ItemKind.AGREEMENT,
                point=True,
                url=agreement.get_absolute_url(),
            )
        )
    return items


def agreement_history(agreement: Agreement, today: datetime.date) -> list[TimelineItem]:
    """An agreement's recorded history: proposed, signed, in effect, expired."""
    items = []
    if agreement.proposed_on:
        items.append(TimelineItem("Proposed", agreement.proposed_on, point=True))
    if agreement.signed_on:
        place = f" in {agreement.signed_at}" if agreement.signed_at else ""
        items.append(TimelineItem(f"Signed{place}", agreement.signed_on, point=True))
    start = agreement.in_force_on or agreement.signed_on
    if agreement.in_force_on:
        items.append(TimelineItem("In force", agreement.in_force_on, point=True))
    if start and (agreement.expires_on or agreement.status in _BINDING):
        # The span it was in effect: to its last day, or ongoing to today.
        items.append(TimelineItem("In effect", start, agreement.expires_on))
    if agreement.expires_on:
        verb = "Expired" if agreement.expires_on < today else "Expires"
        items.append(TimelineItem(verb, agreement.expires_on, point=True))
    return items


_BINDING = ("signed", "in_force")


def last_day_in_effect(
    agreement: Agreement, today: datetime.date
) -> datetime.date | None:
    """The day an agreement page's map shows: today if it holds, else its last day.

    None if it never held on a recorded day (a proposal, a withdrawal).
    """
    start = agreement.in_force_on or agreement.signed_on
    if agreement.expires_on and agreement.expires_on < today:
        return agreement.expires_on
    if start and start > today:
        return start
    if agreement.expires_on or agreement.status in _BINDING:
        return today
    return None


# --- the alliance map -----------------------------------------------------------


class LinkKind:
    MEMBERSHIP = "membership"
    AGREEMENT = "agreement"
    OFFICE = "office"


# Drawn in this order (under one another), and listed in the legend.
LINK_KINDS = (LinkKind.MEMBERSHIP, LinkKind.AGREEMENT, LinkKind.OFFICE)


def actor_url(slug: str) -> str:
    """An actor page's address in the active language (once per node)."""
    return view_address("briefs:actor-detail", slug)


@dataclass(frozen=True)
class Node:
    id: int
    slug: str
    name: str
    kind: str

    @property
    def url(self) -> str:
        return actor_url(self.slug)

    @property
    def kind_label(self) -> str:
        return ActorKind(self.kind).label if self.kind in ActorKind.values else ""

    @property
    def shape(self) -> str:
        """Shapes tell kinds apart without colour: square, diamond, circle."""
        if self.kind in (
            ActorKind.ORGANIZATION,
            ActorKind.MISSION,
            ActorKind.INSTITUTION,
        ):
            return "square"
        if self.kind == ActorKind.PERSON:
            return "diamond"
        return "circle"


@dataclass(frozen=True)
class Link:
    """`source` is linked to `target` by `kind` (member of, party with, office)."""

    source: int
    target: int
    kind: str
    label: str  # the agreement's title or the office's title; "" for membership
    since: datetime.date | None
    slug: str = ""  # the agreement's slug

    def sort_key(self) -> tuple:
        return (self.source, self.target, self.kind, self.label, self.slug)


@dataclass
class Graph:
    nodes: dict[int, Node]
    links: list[Link]
    on: datetime.date
    truncated: int = 0  # actors left out over the node limit

    def neighbours(self, ids: set[int]) -> set[int]:
        found = set()
        for link in self.links:
            if link.source in ids:
                found.add(link.target)
            if link.target in ids:
                found.add(link.source)
        return found - ids

    def degree(self) -> dict[int, int]:
        counts: dict[int, int] = defaultdict(int)
        for link in self.links:
            counts[link.source] += 1
            counts[link.target] += 1
        return counts

    def subgraph(
        self, ids: set[int], limit: int, keep: frozenset[int] = frozenset()
    ) -> "Graph":
        """The actors `ids` (at most `limit`, busiest first) and links among them."""
        degree = self.degree()
        ranked = sorted(
            ids,
            key=lambda pk: (pk not in keep, -degree[pk], self.nodes[pk].name, pk),
        )
        chosen = set(ranked[:limit])
        return Graph(
            nodes={pk: self.nodes[pk] for pk in sorted(chosen)},
            links=[
                link
                for link in self.links
                if link.source in chosen and link.target in chosen
            ],
            on=self.on,
            truncated=len(ids) - len(chosen),
        )

    def around(self, ids: set[int], limit: int) -> "Graph":
        """`ids` and their neighbours, with every link among them."""
        present = {pk for pk in ids if pk in self.nodes}
        return self.subgraph(
            present | self.neighbours(present), limit, keep=frozenset(present)
        )


# What one reading of the network may load, and draw: the whole network page
# shows the busiest NETWORK_MAX_NODES actors, an actor's or an agreement's
# neighbourhood NEIGHBOURHOOD_MAX_NODES; their tables list the same links.
NETWORK_MAX_ROWS = 2000
NETWORK_MAX_NODES = 60
NEIGHBOURHOOD_MAX_NODES = 24
# A many-party agreement links every pair of its parties; past this many
# parties only the first ones (in their order) are linked pairwise.
AGREEMENT_MAX_PARTIES = 12


def alliance_graph(on: datetime.date) -> Graph:
    """Every actor linked on `on` by a membership, an agreement or an office.

    Three queries, each of at most NETWORK_MAX_ROWS rows in a stable order:
    memberships and offices held that day (`since` ≤ day < `until`) and the
    parties of agreements in effect (`AgreementQuerySet.in_effect_on`).
    """
    nodes: dict[int, Node] = {}
    links: list[Link] = []
    actor_fields = ("id", "slug", "name", "kind")

    def node(actor: Actor) -> int:
        if actor.pk not in nodes:
            nodes[actor.pk] = Node(*(getattr(actor, f) for f in actor_fields))
        return actor.pk

    def actor_only(*relations: str) -> list[str]:
        return [f"{r}__{f}" for r in relations for f in actor_fields]

    started = Q(since__isnull=True) | Q(since__lte=on)
    not_ended = Q(until__isnull=True) | Q(until__gt=on)
    for m in (
        Membership.objects.filter(started & not_ended)
        .select_related("member", "organization")
        .only("since", *actor_only("member", "organization"))
        .order_by("organization_id", "member_id", "since", "id")[:NETWORK_MAX_ROWS]
    ):
        links.append(
            Link(node(m.member), node(m.organization), LinkKind.MEMBERSHIP, "", m.since)
        )
    for o in (
        Office.objects.filter(started & not_ended)
        .select_related("holder", "of_actor")
        .only("title", "since", *actor_only("holder", "of_actor"))
        .order_by("of_actor_id", "holder_id", "since", "id")[:NETWORK_MAX_ROWS]
    ):
        links.append(
            Link(node(o.holder), node(o.of_actor), LinkKind.OFFICE, o.title, o.since)
        )
    by_agreement: dict[int, list] = defaultdict(list)
    for p in (
        AgreementParty.objects.filter(agreement__in=Agreement.objects.in_effect_on(on))
        .select_related("actor", "agreement")
        .only(
            "agreement_id",
            "order",
            "agreement__title",
            "agreement__slug",
            "agreement__signed_on",
            "agreement__in_force_on",
            *actor_only("actor"),
        )
        .order_by("agreement_id", "order", "id")[:NETWORK_MAX_ROWS]
    ):
        by_agreement[p.agreement_id].append(p)
    for parties in by_agreement.values():
        parties = parties[:AGREEMENT_MAX_PARTIES]
        agreement = parties[0].agreement
        since = agreement.in_force_on or agreement.signed_on
        for i, first in enumerate(parties):
            for second in parties[i + 1 :]:
                links.append(
                    Link(
                        node(first.actor),
                        node(second.actor),
                        LinkKind.AGREEMENT,
                        agreement.title,
                        since,
                        agreement.slug,
                    )
                )
    links.sort(key=Link.sort_key)
    return Graph(nodes=dict(sorted(nodes.items())), links=links, on=on)


@dataclass(frozen=True)
class PlacedNode:
    node: Node
    x: float
    y: float
    label: str
    label_x: float
    label_y: float
    anchor: str  # "start", "middle" (above the node) or "end"

    @property
    def corner(self) -> tuple[float, float]:
        """A square node's top left corner."""
        return r1(self.x - NODE_RADIUS + 1), r1(self.y - NODE_RADIUS + 1)

    @property
    def diamond(self) -> str:
        x, y, r = self.x, self.y, NODE_RADIUS + 1
        return f"{x},{r1(y - r)} {r1(x + r)},{y} {x},{r1(y + r)} {r1(x - r)},{y}"

    @property
    def centred(self) -> bool:
        """Vertically centred on its anchor (beside the node), not above it."""
        return self.anchor != "middle"


@dataclass(frozen=True)
class PlacedLink:
    kind: str
    path: str  # SVG path data: a straight line, or a curve within a column


@dataclass
class NetworkPicture:
    nodes: list[PlacedNode]
    links: list[PlacedLink]
    width: int
    height: int
    kinds: list[str]  # the link kinds present, for the legend


NODE_RADIUS = 8
ROW = 26  # between two actors in a column: more than a label's height
COLUMN_GAP = 170  # between the centre column and each side column
LABEL_GAP = NODE_RADIUS + 6
NETWORK_LABEL_CHARS = 28
MARGIN = 10


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def lay_out_network(graph: Graph, centre: list[int]) -> NetworkPicture:
    """Three columns: the `centre` actors in the middle, everyone else beside them.

    The centre is an actor (its neighbourhood), an agreement's parties, or the
    organizations of the whole network, in name order. The others are sorted
    by the mean position of the centre actors they are linked to (actors
    linked only to side actors, such as a minister to a state, follow that
    actor) and dealt alternately to the left and right columns, labels
    outward, so labels never overlap (rows are ROW apart) and the picture is
    tall rather than wide, which suits a phone. Nothing random, nothing
    iterative: the same graph gives the same coordinates.
    """
    if not graph.nodes:
        return NetworkPicture([], [], 0, 0, [])
    middle = sorted(
        (pk for pk in centre if pk in graph.nodes),
        key=lambda pk: (graph.nodes[pk].name, pk),
    )
    adjacency: dict[int, set[int]] = defaultdict(set)
    for link in graph.links:
        adjacency[link.source].add(link.target)
        adjacency[link.target].add(link.source)
    rank = {pk: index for index, pk in enumerate(middle)}
    others = [pk for pk in graph.nodes if pk not in rank]

    def by_name(pk: int) -> tuple:
        return (graph.nodes[pk].name, pk)

    # Where each side actor belongs: beside the centre actors it is linked to.
    key = {pk: _mean([rank[n] for n in adjacency[pk] if n in rank]) for pk in others}
    followers: dict[int, list[int]] = defaultdict(list)
    leaders = []
    for pk in sorted(others, key=by_name):
        if key[pk] is not None:
            leaders.append(pk)
            continue
        attached = sorted(
            (n for n in adjacency[pk] if key.get(n) is not None), key=by_name
        )
        if attached:
            followers[attached[0]].append(pk)
        else:
            leaders.append(pk)  # linked to nothing placed: at the end
    leaders.sort(key=lambda pk: (key[pk] is None, key[pk] or 0.0, *by_name(pk)))
    sides: tuple[list[int], list[int]] = ([], [])
    side_of: dict[int, int] = {}
    turn = 0
    for pk in leaders:
        # Linked to no centre actor: beside a linked actor already dealt.
        dealt = [side_of[n] for n in sorted(adjacency[pk]) if n in side_of]
        if key[pk] is None and dealt:
            index = dealt[0]
        else:
            index, turn = turn, 1 - turn
        for member in (pk, *followers[pk]):
            sides[index].append(member)
            side_of[member] = index
    left, right = sides

    # A centre actor's label sits above it: two rows each.
    rows = max(len(left), len(right), 2 * len(middle), 1)
    height_inner = rows * ROW

    def spread(count: int, index: int) -> float:
        return MARGIN + FONT_SIZE + 6 + (index + 0.5) * height_inner / count

    labels = {pk: clip(graph.nodes[pk].name, NETWORK_LABEL_CHARS) for pk in graph.nodes}
    left_room = max((text_width(labels[pk]) for pk in left), default=0.0)
    right_room = max((text_width(labels[pk]) for pk in right), default=0.0)
    middle_room = max((text_width(labels[pk]) for pk in middle), default=0.0)
    x_left = MARGIN + left_room + LABEL_GAP if left else MARGIN
    x_middle = (
        x_left + COLUMN_GAP if left else MARGIN + max(middle_room / 2, NODE_RADIUS)
    )
    x_right = x_middle + COLUMN_GAP
    width = x_right + LABEL_GAP + right_room if right else x_middle + middle_room / 2
    width = math.ceil(max(width, x_middle + middle_room / 2) + MARGIN)
    height = math.ceil(height_inner + FONT_SIZE + 6 + 2 * MARGIN)

    placed: dict[int, PlacedNode] = {}
    column: dict[int, int] = {}
    for index, pk in enumerate(middle):
        x, y = r1(x_middle), r1(spread(len(middle), index))
        placed[pk] = PlacedNode(
            graph.nodes[pk], x, y, labels[pk], x, r1(y - LABEL_GAP), "middle"
        )
        column[pk] = 0
    for side, x, sign, anchor in (
        (left, x_left, -1, "end"),
        (right, x_right, 1, "start"),
    ):
        for index, pk in enumerate(side):
            y = r1(spread(len(side), index))
            placed[pk] = PlacedNode(
                graph.nodes[pk],
                r1(x),
                y,
                labels[pk],
                r1(x + sign * LABEL_GAP),
                y,
                anchor,
            )
            column[pk] = sign

    drawn: set[tuple[int, int, str]] = set()
    links = []
    for kind in LINK_KINDS:
        for link in graph.links:
            pair = (min(link.source, link.target), max(link.source, link.target), kind)
            if link.kind != kind or pair in drawn:
                continue  # one line per pair and kind; the table lists each
            drawn.add(pair)
            a, b = placed[pair[0]], placed[pair[1]]
            if column[pair[0]] != column[pair[1]]:
                path = f"M{a.x} {a.y}L{b.x} {b.y}"
            else:
                # Within a column, a curve that bows away from the nodes between
                # (towards the middle; to the right in the middle column).
                bow = -column[pair[0]] or 1
                reach = 30 + 0.25 * abs(b.y - a.y)
                cx, cy = r1(a.x + bow * reach), r1((a.y + b.y) / 2)
                path = f"M{a.x} {a.y}Q{cx} {cy} {b.x} {b.y}"
            links.append(PlacedLink(kind, path))
    kinds = [k for k in LINK_KINDS if any(link.kind == k for link in graph.links)]
    nodes = sorted(placed.values(), key=lambda p: (p.node.name, p.node.id))
    return NetworkPicture(nodes, links, width, height, kinds)


def hubs(graph: Graph) -> list[int]:
    """The whole network's centre: the organizations others are members of."""
    return sorted(
        {link.target for link in graph.links if link.kind == LinkKind.MEMBERSHIP}
        - {link.source for link in graph.links if link.kind == LinkKind.MEMBERSHIP}
    )
