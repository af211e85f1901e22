"""/compare/: the comparison table as a page, CSV and JSON; bad input is a 400."""

import csv
import io

import pytest

from actors.models import Indicator
from tests import factories

pytestmark = pytest.mark.django_db

BLOCS = "/compare/?a=serbia,hungary&b=albania,croatia,kosovo"


@pytest.fixture
def blocs():
    return factories.make_blocs()


def test_the_page_compares_two_blocs_with_totals_ranges_and_gaps(client, blocs):
    response = client.get(BLOCS + "&a_name=Belgrade+pair&on=2025-06-01")

    assert response.status_code == 200
    page = response.content.decode()
    # Accessible table: caption, column groups and row headers.
    assert "<caption" in page
    assert '<th scope="colgroup" colspan="3">Belgrade pair</th>' in page
    assert '<th scope="colgroup" colspan="4">Albania – Croatia – Kosovo</th>' in page
    assert '<th scope="row">Main battle tanks' in page
    # A range stays a range, and a group's range total is a range.
    assert ">250–300</a> tanks" in page
    assert "<strong>294–344</strong> tanks" in page
    assert "<strong>115</strong> tanks" in page
    # An order is shown as one, and not added to what is in service.
    assert "<strong>ordered 2024</strong>" in page
    assert "not in service, Serbia (ordered 2024)" in page
    # Gaps say so, and the total names who is missing.
    assert "no data" in page
    assert "No total: no data for Albania, Croatia, Kosovo." in page
    # Every figure links to its numbered source, which links out.
    assert 'href="#comparison-src-1" class="figure">250–300</a>' in page
    assert '<li id="comparison-src-1"><a href="https://example.org/survey"' in page
    # No empty cell anywhere in the table.
    table = page[page.index("<table") : page.index("</table>")]
    assert "<td></td>" not in table


def test_no_cell_is_ever_blank_even_without_any_figure(client, blocs):
    factories.make_actor(name="Nowhere", slug="nowhere")
    page = client.get(
        "/compare/?a=nowhere&b=serbia&metrics=population,gdp_per_capita"
    ).content.decode()
    table = page[page.index("<table") : page.index("</table>")]
    assert table.count('class="no-data">no data') == 4
    assert "not added up" in table  # GDP per capita is not additive
    assert "<td></td>" not in table


def test_json_and_csv_are_the_same_table(client, blocs):
    data = client.get(BLOCS + "&on=2025-06-01&format=json").json()
    tanks = data["rows"][1]
    assert tanks["metric"] == "main_battle_tanks"
    assert tanks["groups"][0]["total"]["value"] == "294"
    assert tanks["groups"][0]["total"]["value_max"] == "344"
    assert data["url"] == (
        "/compare/?a=serbia,hungary&b=albania,croatia,kosovo&on=2025-06-01"
    )

    response = client.get(BLOCS + "&on=2025-06-01&format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    total = next(
        r
        for r in rows
        if r["metric"] == "main_battle_tanks"
        and r["group"] == "a"
        and r["actor"] == "total"
    )
    assert (total["value"], total["value_max"], total["text"]) == (
        "294",
        "344",
        "294–344",
    )
    serbia = next(
        r for r in rows if r["metric"] == "main_battle_tanks" and r["actor"] == "serbia"
    )
    assert serbia["source_url"] == "https://example.org/survey"


def test_csv_cells_cannot_run_as_formulas(client, blocs):
    Indicator.objects.filter(actor=blocs["serbia"], metric="main_battle_tanks").update(
        note='=HYPERLINK("http://evil.example","x"), "quoted"\nsecond line'
    )
    text = client.get(BLOCS + "&format=csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    serbia = next(
        r for r in rows if r["metric"] == "main_battle_tanks" and r["actor"] == "serbia"
    )
    assert (
        serbia["note"]
        == '\'=HYPERLINK("http://evil.example","x"), "quoted"\nsecond line'
    )


def test_the_permalink_is_canonical_whatever_the_order_of_parameters(
    client, blocs, settings
):
    shuffled = client.get(
        "/compare/?metrics=combat_aircraft,main_battle_tanks&b=albania,croatia,kosovo"
        "&on=2025-06-01&a=serbia,hungary&format=json"
    ).json()
    assert shuffled["url"] == (
        "/compare/?a=serbia,hungary&b=albania,croatia,kosovo&on=2025-06-01"
        "&metrics=main_battle_tanks,combat_aircraft"
    )
    page = client.get(shuffled["url"]).content.decode()
    canonical = settings.SITE_URL + shuffled["url"].replace("&", "&amp;")
    assert f'<link rel="canonical" href="{canonical}">' in page


def test_a_figure_valid_on_a_date_is_chosen_by_on(client, blocs):
    factories.make_indicator(
        blocs["hungary"], "main_battle_tanks", 88, unit="tanks", year=2027
    )
    before = client.get(BLOCS + "&on=2026-01-01&format=json").json()
    after = client.get(BLOCS + "&on=2027-01-01&format=json").json()
    hungary = lambda data: next(  # noqa: E731
        c
        for r in data["rows"]
        if r["metric"] == "main_battle_tanks"
        for c in r["groups"][0]["cells"]
        if c["actor"] == "hungary"
    )
    assert hungary(before)["value"] == "44"
    assert hungary(after)["value"] == "88"


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("a=serbia,nowhere&b=albania", "Unknown actor: nowhere"),
        ("a=serbia", "at least two groups"),
        ("a=serbia&b=albania&on=2025-02-30", "YYYY-MM-DD"),
        ("a=serbia&b=albania&on=2025-W01-1", "YYYY-MM-DD"),  # a week date
        ("a=serbia&b=albania&metrics=happiness", "Unknown metric"),
        ("a=serbia&b=albania&zz=1", "Unknown parameter"),
        ("a=serbia&b=albania&format=xlsx", "html, csv or json"),
        ("a=" + ",".join(f"x{i}" for i in range(21)) + "&b=albania", "at most 20"),
        ("a=serbia&b=" + "x" * 5000, "too long"),
        ("a=serbia&b=%00", "Not an actor slug"),
    ],
)
def test_bad_requests_are_a_clear_400_page(client, blocs, query, named):
    response = client.get("/compare/?" + query)
    assert response.status_code == 400
    page = response.content.decode()
    assert named in page
    assert '<form method="get"' in page  # the reader can fix it there


def test_bad_requests_for_files_are_a_json_400(client, blocs):
    response = client.get("/compare/?a=serbia,nowhere&b=albania&format=csv")
    assert response.status_code == 400
    assert response.json()["errors"] == {"a": ["Unknown actor: nowhere"]}


def test_without_groups_the_page_is_the_form(client):
    response = client.get("/compare/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<form method="get" action="/compare/"' in page
    assert 'name="a"' in page and 'name="b_name"' in page
    assert 'type="checkbox" name="metrics" value="main_battle_tanks"' in page
    assert "<table" not in page


def test_the_form_submission_with_empty_fields_works(client, blocs):
    response = client.get(
        "/compare/?a=serbia%2C+hungary&a_name=&b=albania&b_name=&c=&c_name=&d=&d_name="
        "&on=&metrics=main_battle_tanks"
    )
    assert response.status_code == 200
    assert "<strong>294–344</strong>" in response.content.decode()


@pytest.mark.parametrize("extra", [0, 12])
def test_query_count_is_constant_in_actors_and_indicators(
    client, blocs, extra, django_assert_num_queries
):
    more = [factories.make_actor() for _ in range(extra)]
    for actor in more:
        for year in (2023, 2024, 2025):
            factories.make_indicator(actor, "main_battle_tanks", 5, year=year)
    b = ",".join(["albania", *[a.slug for a in more]])
    # The actors, their indicators.
    with django_assert_num_queries(2):
        response = client.get(f"/compare/?a=serbia,hungary&b={b}")
    assert response.status_code == 200


def test_head_and_post(client, blocs):
    assert client.head(BLOCS).status_code == 200
    assert client.post(BLOCS).status_code == 405


def test_the_reader_s_values_are_escaped_once_in_head_and_form(client, blocs):
    """The head and the form are written in Python (actors/comparison_html.py):
    what the reader typed comes back in the form, escaped exactly once."""
    hostile = "<b>\"Bel\" & 'Tir'</b>"
    response = client.get(
        "/compare/",
        {"a": "serbia,hungary", "a_name": hostile, "b": "albania", "on": '"><x'},
    )
    assert response.status_code == 400  # the date is wrong: the form is filled in
    page = response.content.decode()
    escaped = "&lt;b&gt;&quot;Bel&quot; &amp; &#x27;Tir&#x27;&lt;/b&gt;"
    assert f'name="a_name" value="{escaped}"' in page
    assert 'name="on" value="&quot;&gt;&lt;x"' in page
    assert "<b>" not in page and "&amp;amp;" not in page and "&amp;lt;" not in page

    response = client.get(
        "/compare/", {"a": "serbia", "a_name": hostile, "b": "albania"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"<title>Compare: {escaped} / Albania · " in page
    assert f'<meta property="og:title" content="Compare: {escaped} / Albania">' in page
    assert "<b>" not in page and "&amp;amp;" not in page


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("a=serbia,nowhere&b=albania", "Непознат актер: nowhere"),
        ("a=serbia", "Наведите бар две групе"),
        ("a=serbia&b=albania&on=2025-02-30", "Упишите датум као ГГГГ-ММ-ДД"),
        ("a=serbia&b=albania&metrics=happiness", "Непознат показатељ: happiness"),
    ],
)
def test_a_bad_request_on_the_serbian_page_says_what_is_wrong_in_serbian(
    client, blocs, query, named
):
    response = client.get("/sr/compare/?" + query)

    assert response.status_code == 400
    page = response.content.decode()
    assert named in page
    assert "Unknown" not in page and "Give " not in page


def test_the_serbian_page_explains_missing_totals_in_serbian(client, blocs):
    page = client.get("/sr/compare/?a=serbia,hungary&b=albania,croatia,kosovo")
    text = page.content.decode()

    assert page.status_code == 200
    assert "Нема збира: нема података за" in text
    assert "No total" not in text
