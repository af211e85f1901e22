"""Indicators in public: the actor's page, /api/v1/indicators/ and its CSV."""

import csv
import io

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def blocs():
    return factories.make_blocs()


def test_the_actor_page_shows_ranges_status_sources_and_no_data(client, blocs):
    factories.make_indicator(
        blocs["serbia"],
        "defense_industry",
        note="Drones & artillery <b>",
        source="Industry <survey>",
    )
    serbia = client.get("/actors/serbia/").content.decode()
    assert '<section aria-labelledby="indicators-h"' in serbia
    assert "<caption>Figures recorded for Serbia" in serbia
    assert '<span class="figure">250–300 tanks</span>' in serbia
    assert "ordered 2024" in serbia
    assert (
        '<a href="https://example.org/survey" rel="noopener noreferrer">Survey</a>'
        in (serbia)
    )
    # Text is escaped once.
    assert "Drones &amp; artillery &lt;b&gt;" in serbia
    assert "<cite>Industry &lt;survey&gt;</cite>" in serbia
    kosovo = client.get("/actors/kosovo/").content.decode()
    assert '<span class="no-data">no data</span>' in kosovo


def test_a_new_indicator_shows_on_the_prepared_page(client, blocs):
    before = client.get("/actors/albania/").content.decode()
    assert "Main combat aircraft" not in before
    factories.make_indicator(blocs["albania"], "combat_aircraft", 0, unit="aircraft")
    after = client.get("/actors/albania/").content.decode()
    assert "Main combat aircraft" in after


def test_a_source_address_that_is_not_a_web_address_is_not_linked(client, blocs):
    factories.make_indicator(
        blocs["croatia"],
        "population",
        1,
        source="Odd",
        source_url="javascript:alert(1)",
    )
    page = client.get("/actors/croatia/").content.decode()
    assert "javascript:" not in page
    assert "<cite>Odd</cite>" in page


def test_indicator_list_filters_by_actor_metric_and_year(client, blocs):
    factories.make_indicator(blocs["serbia"], "main_battle_tanks", 200, year=2020)
    data = client.get(
        "/api/v1/indicators/?actor=serbia&metric=main_battle_tanks&year=2025"
    ).json()
    assert data["count"] == 1
    [item] = data["results"]
    assert item["actor"]["slug"] == "serbia"
    assert (item["value"], item["value_max"], item["display"]) == (
        "250",
        "300",
        "250–300 tanks",
    )
    both = client.get("/api/v1/indicators/?actor=serbia&actor=kosovo").json()
    assert {i["actor"]["slug"] for i in both["results"]} == {"serbia", "kosovo"}
    unknown = next(
        i
        for i in both["results"]
        if i["actor"]["slug"] == "kosovo" and i["metric"] == "active_troops"
    )
    assert (unknown["known"], unknown["value"], unknown["display"]) == (
        False,
        None,
        "no data",
    )


def test_indicator_item_and_bad_filters(client, blocs):
    first = client.get("/api/v1/indicators/").json()["results"][0]
    item = client.get(f"/api/v1/indicators/{first['id']}/")
    assert item.status_code == 200
    assert item.json() == first
    assert client.get("/api/v1/indicators/?actor=nowhere").status_code == 400
    assert client.get("/api/v1/indicators/?metric=happiness").status_code == 400
    assert client.get("/api/v1/indicators/?year=twenty").status_code == 400
    assert client.get("/api/v1/indicators/?colour=red").status_code == 400
    assert client.get("/api/v1/indicators/99999999/").status_code == 404


def test_csv_download_is_the_filtered_list_escaped_and_formula_safe(client, blocs):
    factories.make_indicator(
        blocs["serbia"],
        "other",
        None,
        source='=cmd|"/c calc"!A1',
        note='Line one, "quoted"\n@second',
    )
    response = client.get("/api/v1/indicators/csv/?actor=serbia")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["actor"] for r in rows} == {"serbia"}
    tanks = next(r for r in rows if r["metric"] == "main_battle_tanks")
    assert (tanks["value"], tanks["value_max"]) == ("250", "300")
    odd = next(r for r in rows if r["metric"] == "other")
    assert odd["source"] == '\'=cmd|"/c calc"!A1'
    assert odd["note"] == 'Line one, "quoted"\n@second'
    assert odd["known"] == "no"
    assert client.get("/api/v1/indicators/csv/?actor=nowhere").status_code == 400
    assert client.get("/api/v1/indicators/csv/?page=2").status_code == 400


@pytest.mark.parametrize("count", [1, 30])
def test_indicator_list_and_csv_query_counts_are_constant(
    client, count, django_assert_max_num_queries
):
    for _ in range(count):
        actor = factories.make_actor()
        factories.make_indicator(actor, "population", 10)
    with django_assert_max_num_queries(2):  # count, page with actors
        assert client.get("/api/v1/indicators/?page_size=100").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get("/api/v1/indicators/csv/").status_code == 200
    with django_assert_max_num_queries(2):  # + the slug lookup
        assert (
            client.get(f"/api/v1/indicators/csv/?actor={actor.slug}").status_code == 200
        )
