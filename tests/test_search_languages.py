"""Search in each public language: hits, snippets and facets in the reader's
script; one Serbian language facet and filter for both scripts."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db


def page_as(client, language: str, name: str, query: str):
    with translation.override(language):
        response = client.get(f"{reverse(name)}?{query}")
    return response


@pytest.fixture
def briefs(db):
    person = factories.make_person(name="Petar Ivić")
    serbia = factories.make_actor(name="Serbia", slug="serbia", name_sr="Србија")
    cyrillic = factories.make_brief(
        title="Балкански савези",
        slug="savezi",
        language="sr-Cyrl",
        summary="Нови савези на Балкану.",
        body="Балкански савез из 1912. године је први пример.",
        authors=[person],
        actors=[serbia],
    )
    latin = factories.make_brief(
        title="Savezi i neutralnost",
        slug="neutralnost",
        language="sr-Latn",
        summary="Vojna neutralnost i savezi.",
        body="Neutralnost je izbor.",
    )
    english = factories.make_brief(
        title="Balkan alliances",
        slug="alliances",
        summary="New alliances (savez, in Serbian).",
        body="Alliances in the Balkans.",
    )
    return cyrillic, latin, english


def test_a_cyrillic_briefs_hit_reads_in_latin_on_the_latin_pages(client, briefs):
    html = page_as(client, "sr-latn", "search", "q=savez").content.decode()
    assert "Balkanski savezi" in html
    assert "<mark>savez</mark>" in html.lower() or "<mark>Savez" in html
    assert "Балкан" not in html  # neither title nor snippet nor names
    assert "Petar Ivić" in html


def test_a_latin_briefs_hit_reads_in_cyrillic_on_the_cyrillic_pages(client, briefs):
    html = page_as(client, "sr", "search", "q=neutralnost").content.decode()
    assert "Савези и неутралност" in html
    assert "<mark>неутралност</mark>" in html.lower()
    assert "Neutralnost" not in html


def test_an_english_brief_keeps_its_english_snippet(client, briefs):
    for language in ("sr", "sr-latn"):
        html = page_as(client, language, "search", "q=alliances").content.decode()
        assert "Balkan alliances" in html
        assert "<mark>Alliances</mark> in the Balkans" in html


def test_search_lists_records_by_their_names_in_the_script(client, briefs):
    html = page_as(client, "sr", "search", "q=serbia").content.decode()
    assert ">Србија</a>" in html
    html = page_as(client, "sr-latn", "search", "q=serbia").content.decode()
    assert ">Srbija</a>" in html
    assert ">Serbia</a>" in page_as(client, "en", "search", "q=serbia").content.decode()


def test_the_language_facet_offers_english_and_serbian(client, briefs):
    html = page_as(client, "en", "search", "q=savez").content.decode()
    assert '>Serbian</a> <span class="count">2</span>' in html
    assert '>English</a> <span class="count">1</span>' in html
    assert "Serbian (Latin)" not in html


@pytest.mark.parametrize("value", ["sr", "sr-Latn", "sr-Cyrl"])
def test_the_serbian_filter_matches_both_scripts(client, briefs, value):
    # The scripts' own values come from older links: they mean Serbian.
    html = page_as(client, "en", "search", f"q=savez&language={value}").content
    html = html.decode()
    assert html.count('class="search-hit"') == 2
    assert "Balkan alliances" not in html
    listed = client.get(f"/briefs/?language={value}").content.decode()
    assert "Balkan alliances" not in listed
    assert "Савези и неутралност" not in listed  # the English page: as written
    assert "Savezi i neutralnost" in listed and "Балкански савези" in listed
    api = client.get(f"/api/v1/briefs/?language={value}").json()
    assert sorted(b["slug"] for b in api["results"]) == ["neutralnost", "savezi"]


def test_the_english_filter_and_a_bad_value(client, briefs):
    api = client.get("/api/v1/briefs/?language=en").json()
    assert [b["slug"] for b in api["results"]] == ["alliances"]
    assert client.get("/api/v1/briefs/?language=de").status_code == 400
    assert page_as(client, "en", "search", "q=savez&language=de").status_code == 400


def test_the_brief_lists_language_facet_counts_serbian_once(client, briefs):
    html = client.get("/briefs/").content.decode()
    assert '>Serbian</a> <span class="count">2</span>' in html
    assert '>English</a> <span class="count">1</span>' in html


@pytest.mark.parametrize("language", ["en", "sr", "sr-latn"])
def test_search_costs_the_same_queries_in_every_language(
    client, briefs, language, django_assert_max_num_queries
):
    # The bound of tests/test_search.py (one language facet more is no query:
    # it comes from the same GROUP BY).
    with django_assert_max_num_queries(27):
        response = page_as(client, language, "search", "q=savez")
    assert response.status_code == 200
