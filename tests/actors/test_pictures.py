"""The pictures' geometry (actors/pictures.py): lanes, ticks, layout, history."""

import datetime

import pytest

from actors.models import Agreement, AgreementStatus
from actors.pictures import (
    ROW,
    Graph,
    Link,
    LinkKind,
    Node,
    TimelineItem,
    agreement_history,
    assign_lanes,
    axis_ticks,
    last_day_in_effect,
    lay_out_network,
    lay_out_timeline,
    text_width,
)
from tests import factories

D = datetime.date
TODAY = D(2026, 11, 29)


def test_lanes_put_overlapping_extents_apart_and_reuse_free_lanes():
    lanes = assign_lanes([(0, 100), (50, 150), (120, 200), (160, 300)], gap=10)
    assert lanes == [0, 1, 0, 1]


def test_ticks_fall_on_round_years_or_quarters():
    decades = [day for day, step in axis_ticks(D(1945, 6, 1), D(2026, 12, 1), 9)]
    assert decades == [D(year, 1, 1) for year in range(1950, 2021, 10)]
    quarters = [day for day, step in axis_ticks(D(2025, 3, 10), D(2026, 12, 1), 9)]
    assert quarters[0] == D(2025, 4, 1) and quarters[-1] == D(2026, 10, 1)
    assert len(quarters) == 7


def _items(n: int) -> list[TimelineItem]:
    return [
        TimelineItem(
            f"A rather long label number {i} for overlap", D(2000 + i % 5, 1, 1)
        )
        for i in range(n)
    ] + [TimelineItem("Member of something", D(1999, 1, 1))]


def test_timeline_labels_in_a_lane_never_overlap():
    timeline = lay_out_timeline(_items(12), TODAY)
    by_lane: dict[float, list[tuple[float, float]]] = {}
    for bar in timeline.bars:
        w = text_width(bar.label)
        left = bar.label_x if bar.anchor == "start" else bar.label_x - w
        extent = (min(left, bar.x1), max(left + w, bar.x2))
        by_lane.setdefault(bar.y, []).append(extent)
    assert len(by_lane) > 1
    for extents in by_lane.values():
        extents.sort()
        for (_, end), (start, _) in zip(extents, extents[1:], strict=False):
            assert end <= start


def test_open_span_runs_to_today_and_undated_items_go_to_the_list():
    timeline = lay_out_timeline(
        [
            TimelineItem("Member of NATO", D(1999, 3, 12)),
            TimelineItem("Member of the UN", None),
        ],
        TODAY,
    )
    (bar,) = timeline.bars
    assert bar.item.ongoing and bar.x2 == timeline.today_x
    assert [i.label for i in timeline.undated] == ["Member of the UN"]


def test_same_items_give_the_same_timeline_whatever_their_order():
    items = _items(8)
    assert lay_out_timeline(items, TODAY) == lay_out_timeline(items[::-1], TODAY)


def _graph() -> Graph:
    nodes = {
        1: Node(1, "nato", "NATO", "organization"),
        2: Node(2, "hungary", "Hungary", "state"),
        3: Node(3, "serbia", "Serbia", "state"),
        4: Node(4, "orban", "Viktor Orbán", "person"),
        5: Node(5, "croatia", "Croatia", "state"),
    }
    links = [
        Link(2, 1, LinkKind.MEMBERSHIP, "", D(1999, 3, 12)),
        Link(5, 1, LinkKind.MEMBERSHIP, "", D(2009, 4, 1)),
        Link(2, 3, LinkKind.AGREEMENT, "Plan", D(2025, 4, 1), "plan"),
        Link(4, 2, LinkKind.OFFICE, "Prime Minister", D(2010, 5, 29)),
    ]
    return Graph(nodes=nodes, links=links, on=TODAY)


def test_network_layout_is_deterministic_and_rows_keep_labels_apart():
    first = lay_out_network(_graph(), [1])
    assert first == lay_out_network(_graph(), [1])
    columns: dict[float, list[float]] = {}
    for node in first.nodes:
        columns.setdefault(node.x, []).append(node.y)
    for ys in columns.values():
        ys.sort()
        assert all(b - a >= ROW for a, b in zip(ys, ys[1:], strict=False))
    # The minister sits in the column of the state he holds office in.
    x = {n.node.slug: n.x for n in first.nodes}
    assert x["orban"] == x["hungary"] != x["nato"]
    assert first.kinds == [LinkKind.MEMBERSHIP, LinkKind.AGREEMENT, LinkKind.OFFICE]


def test_neighbourhood_keeps_the_centre_and_the_links_among_its_neighbours():
    around = _graph().around({3}, limit=24)
    assert set(around.nodes) == {2, 3}
    assert [link.kind for link in around.links] == [LinkKind.AGREEMENT]
    assert _graph().around({3}, limit=1).truncated == 1


@pytest.mark.django_db
def test_agreement_history_and_the_day_its_map_shows():
    plan = factories.make_agreement(
        signed_on=D(2025, 4, 1),
        signed_at="Belgrade",
        expires_on=D(2025, 12, 31),
        status=AgreementStatus.EXPIRED,
    )
    labels = [i.label for i in agreement_history(plan, TODAY)]
    assert labels == ["Signed in Belgrade", "In effect", "Expired"]
    assert last_day_in_effect(plan, TODAY) == D(2025, 12, 31)
    assert plan in Agreement.objects.in_effect_on(D(2025, 12, 31))
    assert plan not in Agreement.objects.in_effect_on(D(2026, 1, 1))
    assert plan not in Agreement.objects.in_effect_on(D(2025, 3, 31))
    proposal = factories.make_agreement(
        proposed_on=D(2024, 1, 1), signed_on=None, status=AgreementStatus.PROPOSED
    )
    assert last_day_in_effect(proposal, TODAY) is None
    assert proposal not in Agreement.objects.in_effect_on(TODAY)
