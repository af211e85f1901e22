"""Comparison arithmetic: a pure function of groups, date, metrics and figures.

Table-driven: ranges add as ranges, unknowns stop a total and name the member,
non-additive metrics are never added, orders are not counted as in service,
units must agree, and the figure valid on a date is the latest year not after it.
"""

import datetime
from decimal import Decimal

import pytest
from django.http import QueryDict

from actors.comparisons import (
    MAX_ACTORS,
    ComparisonError,
    build_table,
    parse_directive,
    parse_query,
)
from actors.models import Actor, Indicator, IndicatorStatus, Metric

ON = datetime.date(2025, 6, 1)
SERBIA = Actor(id=1, slug="serbia", name="Serbia")
HUNGARY = Actor(id=2, slug="hungary", name="Hungary")
ALBANIA = Actor(id=3, slug="albania", name="Albania")
KOSOVO = Actor(id=4, slug="kosovo", name="Kosovo")


def figure(actor, metric, value=None, value_max=None, **kw):
    kw.setdefault("year", 2025)
    kw.setdefault("unit", "tanks")
    kw.setdefault("source", "Source")
    return Indicator(
        id=kw.pop("id", None)
        or abs(hash((actor.pk, metric, value, kw["year"]))) % 10**6,
        actor_id=actor.pk,
        metric=metric,
        value=None if value is None else Decimal(value),
        value_max=None if value_max is None else Decimal(value_max),
        **kw,
    )


def total_of(indicators, metric=Metric.MAIN_BATTLE_TANKS, members=(SERBIA, HUNGARY)):
    table = build_table(
        [("a", "", list(members)), ("b", "", [ALBANIA])],
        on=ON,
        metrics=[metric],
        indicators=indicators,
    )
    return table["rows"][0]["groups"][0]["total"]


TANKS = Metric.MAIN_BATTLE_TANKS


@pytest.mark.parametrize(
    ("indicators", "text", "value", "value_max"),
    [
        # Two plain figures add up.
        ([figure(SERBIA, TANKS, 250), figure(HUNGARY, TANKS, 44)], "294", "294", None),
        # A range plus a figure is a range: low + low, high + figure.
        (
            [figure(SERBIA, TANKS, 250, 300), figure(HUNGARY, TANKS, 44)],
            "294–344",
            "294",
            "344",
        ),
        # Two ranges.
        (
            [figure(SERBIA, TANKS, 250, 300), figure(HUNGARY, TANKS, 40, 50)],
            "290–350",
            "290",
            "350",
        ),
        # Zero is a known figure.
        ([figure(SERBIA, TANKS, 0), figure(HUNGARY, TANKS, 44)], "44", "44", None),
        # Thousands are written as a reader writes them.
        (
            [figure(SERBIA, TANKS, 3700), figure(HUNGARY, TANKS, "1100.50")],
            "4,800.5",
            "4800.5",
            None,
        ),
    ],
)
def test_group_totals_add_known_figures_and_ranges_as_ranges(
    indicators, text, value, value_max
):
    total = total_of(indicators)
    assert total["available"]
    assert (total["text"], total["value"], total["value_max"]) == (
        text,
        value,
        value_max,
    )
    assert total["unit"] == "tanks"
    assert total["years"] == [2025]


@pytest.mark.parametrize(
    ("indicators", "metric", "reason"),
    [
        # An explicit unknown: the total names the member.
        (
            [figure(SERBIA, TANKS, None), figure(HUNGARY, TANKS, 44)],
            TANKS,
            "No total: no data for Serbia.",
        ),
        # No figure at all: the same.
        ([figure(HUNGARY, TANKS, 44)], TANKS, "No total: no data for Serbia."),
        # Not additive: never added, even when every figure is known.
        (
            [
                figure(SERBIA, Metric.GDP_PER_CAPITA, 9000, unit="USD"),
                figure(HUNGARY, Metric.GDP_PER_CAPITA, 20000, unit="USD"),
            ],
            Metric.GDP_PER_CAPITA,
            "Not additive: figures of this kind do not add up.",
        ),
        # An order is not a fleet in service.
        (
            [
                figure(
                    SERBIA,
                    Metric.COMBAT_AIRCRAFT,
                    12,
                    unit="aircraft",
                    status=IndicatorStatus.ORDERED,
                    status_year=2024,
                ),
                figure(HUNGARY, Metric.COMBAT_AIRCRAFT, 14, unit="aircraft"),
            ],
            Metric.COMBAT_AIRCRAFT,
            "No total: not in service, Serbia (ordered 2024); an order is not "
            "added to what is in service.",
        ),
        # Different units do not add.
        (
            [figure(SERBIA, TANKS, 250), figure(HUNGARY, TANKS, 44, unit="vehicles")],
            TANKS,
            "No total: the units differ (tanks, vehicles).",
        ),
    ],
)
def test_a_total_is_withheld_with_its_reason(indicators, metric, reason):
    total = total_of(indicators, metric)
    assert not total["available"]
    assert total["value"] is None
    assert total["reason"] == reason


def test_unknown_cells_say_no_data_and_keep_their_source():
    table = build_table(
        [("a", "Pair", [SERBIA, HUNGARY]), ("b", "", [ALBANIA, KOSOVO])],
        on=ON,
        metrics=[TANKS],
        indicators=[figure(SERBIA, TANKS, None, source="Seed table")],
    )
    cells = [c for g in table["rows"][0]["groups"] for c in g["cells"]]
    assert [c["text"] for c in cells] == ["no data"] * 4
    assert cells[0]["source"] == 1
    assert cells[1]["source"] is None
    assert table["sources"] == [{"n": 1, "title": "Seed table", "url": ""}]
    assert table["gaps"] == 4
    assert table["groups"][0]["name"] == "Pair"
    assert table["groups"][1]["name"] == "Albania – Kosovo"
    assert table["rows"][0]["groups"][1]["total"]["missing"] == ["Albania", "Kosovo"]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (datetime.date(2023, 12, 31), "200"),  # only the 2023 figure is valid
        (datetime.date(2024, 1, 1), "220"),
        (datetime.date(2026, 6, 1), "250"),
    ],
)
def test_the_figure_valid_on_a_date_is_the_latest_year_not_after_it(on, expected):
    indicators = [
        figure(SERBIA, TANKS, 200, year=2023, id=1),
        figure(SERBIA, TANKS, 220, year=2024, id=2),
        figure(SERBIA, TANKS, 250, year=2026, id=3),
    ]
    table = build_table(
        [("a", "", [SERBIA]), ("b", "", [ALBANIA])],
        on=on,
        metrics=[TANKS],
        indicators=indicators,
    )
    assert table["rows"][0]["groups"][0]["cells"][0]["value"] == expected


def test_a_known_figure_is_preferred_to_a_later_unknown_and_is_dated():
    indicators = [
        figure(SERBIA, TANKS, 220, year=2024, id=1),
        figure(SERBIA, TANKS, None, year=2025, id=2),
    ]
    table = build_table(
        [("a", "", [SERBIA]), ("b", "", [ALBANIA])],
        on=ON,
        metrics=[TANKS],
        indicators=indicators,
    )
    cell = table["rows"][0]["groups"][0]["cells"][0]
    assert (cell["text"], cell["year"]) == ("220", 2024)


def test_qualitative_rows_show_their_words_and_are_never_totalled():
    table = build_table(
        [("a", "", [SERBIA]), ("b", "", [ALBANIA])],
        on=ON,
        metrics=[Metric.DEFENSE_INDUSTRY],
        indicators=[figure(SERBIA, Metric.DEFENSE_INDUSTRY, None, note="Drones.")],
    )
    group = table["rows"][0]["groups"][0]
    assert group["cells"][0]["text"] == "Drones."
    assert group["cells"][0]["known"]
    assert not group["total"]["available"]


def test_default_metrics_are_those_with_a_figure_in_metric_order():
    table = build_table(
        [("a", "", [SERBIA]), ("b", "", [ALBANIA])],
        on=ON,
        indicators=[
            figure(SERBIA, Metric.COMBAT_AIRCRAFT, 12),
            figure(ALBANIA, TANKS, 40),
        ],
    )
    assert [r["metric"] for r in table["rows"]] == [TANKS, Metric.COMBAT_AIRCRAFT]


# --- Reading comparisons --------------------------------------------------------------


def test_query_is_read_in_canonical_order():
    spec = parse_query(
        QueryDict(
            "metrics=combat_aircraft,main_battle_tanks&b=albania,croatia"
            "&a_name=Pair&a=serbia,hungary,serbia&on=2025-06-01"
        )
    )
    assert spec.query() == [
        ("a", "serbia,hungary"),
        ("a_name", "Pair"),
        ("b", "albania,croatia"),
        ("on", "2025-06-01"),
        ("metrics", "main_battle_tanks,combat_aircraft"),
    ]


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("a=serbia", "b"),  # one group
        ("a=serbia&b=albania&on=2025-13-01", "on"),
        ("a=serbia&b=albania&on=yesterday", "on"),
        ("a=serbia&b=albania&metrics=gdp_growth", "metrics"),
        ("a=serbia&b=albania&colour=red", "colour"),
        ("a=serbia&b=al%00bania", "b"),
        ("a=serbia&b=albania&c_name=Lonely", "c"),
        ("a=" + ",".join(f"x{i}" for i in range(MAX_ACTORS + 1)) + "&b=y", "a"),
        ("a=serbia&b=albania&a_name=" + "x" * 81, "a_name"),
    ],
)
def test_bad_queries_name_the_parameter(query, param):
    with pytest.raises(ComparisonError) as caught:
        parse_query(QueryDict(query))
    assert param in caught.value.errors


def test_directive_reads_groups_names_metrics_and_date():
    spec = parse_directive(
        "# the two blocs\n"
        "a: Serbia, Hungary\n"
        "a_name: Serbia–Hungary\n"
        "b: Albania, Croatia, Kosovo\n"
        "metrics: Main battle tanks, combat_aircraft\n"
        "on: 2025-05-21\n"
    )
    assert [g.members for g in spec.groups] == [
        ("Serbia", "Hungary"),
        ("Albania", "Croatia", "Kosovo"),
    ]
    assert spec.groups[0].name == "Serbia–Hungary"
    assert spec.metrics == (Metric.MAIN_BATTLE_TANKS, Metric.COMBAT_AIRCRAFT)
    assert spec.on == datetime.date(2025, 5, 21)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a: Serbia",
        "a: Serbia\nb: Albania\nthis is prose",
        "a: Serbia\nb: Albania\non: soon",
        "a: Serbia\nb: Albania\n" + "# x\n" * 10 + "z" * 3000,
        "a: Serbia\nb: Albania\n" + "c: X\n" * 40,
    ],
)
def test_malformed_directives_are_errors_not_exceptions_of_another_kind(text):
    with pytest.raises(ComparisonError):
        parse_directive(text)
