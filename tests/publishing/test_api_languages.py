"""The partner API in each public language: `?lang=` or `Accept-Language`
chooses, the answer says which, the cache keeps them apart."""

import datetime

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

SR_TITLE = "Савези на Балкану"


@pytest.fixture
def world(db):
    serbia = factories.make_actor(name="Serbia", slug="serbia", name_sr="Србија")
    person = factories.make_person(name="Petar Ivić", slug="petar-ivic")
    topic = factories.make_topic(name="Security", slug="security", name_sr="Безбедност")
    agreement = factories.make_agreement(
        title="Friendship Treaty",
        slug="friendship",
        name_sr="Уговор о пријатељству",
        parties=[serbia],
    )
    brief = factories.make_brief(
        title=SR_TITLE,
        slug="savezi",
        language="sr-Cyrl",
        summary="Мини-савези.",
        publication_date=datetime.date(2025, 5, 21),
        authors=[person],
        topics=[topic],
        actors=[serbia],
        agreements=[agreement],
    )
    return brief


def names(response, key: str = "name") -> list[str]:
    assert response.status_code == 200, response.content
    return [item[key] for item in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "header", "expected", "tag"),
    [
        ("", "", "Serbia", "en"),
        ("?lang=en", "", "Serbia", "en"),
        ("?lang=sr", "", "Србија", "sr-Cyrl"),
        ("?lang=sr-latn", "", "Srbija", "sr-Latn"),
        ("?lang=sr-Cyrl", "", "Србија", "sr-Cyrl"),
        ("?lang=sr-Latn", "", "Srbija", "sr-Latn"),
        ("?lang=SR-LATN", "", "Srbija", "sr-Latn"),
        ("", "sr-Latn-RS,sr;q=0.8", "Srbija", "sr-Latn"),
        ("", "sr-RS", "Србија", "sr-Cyrl"),
        ("", "de-DE,sr-latn;q=0.5", "Srbija", "sr-Latn"),
        ("", "de-DE,fr;q=0.5", "Serbia", "en"),
        ("", "en-GB,sr;q=0.9", "Serbia", "en"),
        # The parameter wins over the header.
        ("?lang=sr", "sr-Latn", "Србија", "sr-Cyrl"),
        ("?lang=en", "sr", "Serbia", "en"),
    ],
)
def test_lang_or_accept_language_choose_the_script_of_names(
    client, world, query, header, expected, tag
):
    extra = {"HTTP_ACCEPT_LANGUAGE": header} if header else {}
    response = client.get(f"/api/v1/actors/{query}", **extra)
    assert names(response) == [expected]
    assert response["Content-Language"] == tag
    assert "Accept-Language" in response["Vary"]


def test_names_of_people_topics_and_agreements_follow_the_language(client, world):
    assert names(client.get("/api/v1/people/?lang=sr")) == ["Петар Ивић"]
    assert names(client.get("/api/v1/people/?lang=sr-latn")) == ["Petar Ivić"]
    assert names(client.get("/api/v1/people/")) == ["Petar Ivić"]
    assert names(client.get("/api/v1/topics/?lang=sr-latn")) == ["Bezbednost"]
    assert names(client.get("/api/v1/topics/?lang=sr")) == ["Безбедност"]
    assert names(client.get("/api/v1/agreements/?lang=sr-latn"), "title") == [
        "Ugovor o prijateljstvu"
    ]
    (agreement,) = client.get("/api/v1/agreements/?lang=sr").json()["results"]
    assert agreement["title"] == "Уговор о пријатељству"
    assert agreement["parties"][0]["actor"]["name"] == "Србија"
    detail = client.get("/api/v1/actors/serbia/?lang=sr-latn")
    assert detail.json()["name"] == "Srbija"
    assert detail["Content-Language"] == "sr-Latn"


def test_a_serbian_briefs_citation_is_in_the_asked_script(client, world):
    latin = client.get("/api/v1/briefs/savezi/citation/?lang=sr-latn").json()
    assert "Savezi na Balkanu" in latin["apa"]
    assert "Ivić, P." in latin["apa"]
    assert latin["csl"][0]["language"] == "sr-Latn-RS"
    assert "langid = {serbian}" in latin["bibtex"]
    cyrillic = client.get("/api/v1/briefs/savezi/citation/?lang=sr").json()
    assert SR_TITLE in cyrillic["apa"] and "Ивић, П." in cyrillic["apa"]
    assert "langid = {serbianc}" in cyrillic["bibtex"]


def test_an_english_briefs_citation_is_english_in_every_language(client, db):
    factories.make_brief(title="Rival Pacts", slug="pacts")
    for lang in ("en", "sr", "sr-latn"):
        answer = client.get(f"/api/v1/briefs/pacts/citation/?lang={lang}").json()
        assert "Rival Pacts" in answer["apa"]
        assert answer["csl"][0]["language"] == "en"


@pytest.mark.parametrize(
    ("query", "shown"),
    [("?lang=de", "'de'"), ("?lang=sr-Grek", "'sr-Grek'"), ("?lang=", "Empty")],
)
def test_an_unknown_language_is_a_400_naming_the_parameter(client, world, query, shown):
    for address in ("/api/v1/actors/", "/api/v1/briefs/savezi/"):
        response = client.get(f"{address}{query}")
        assert response.status_code == 400
        body = response.json()
        assert list(body["errors"]) == ["lang"]
        assert shown in body["errors"]["lang"][0]
    response = client.get("/api/v1/actors/?lang=de")
    assert "sr-latn" in response.json()["errors"]["lang"][0]


def test_a_repeated_lang_is_a_400(client, world):
    response = client.get("/api/v1/actors/?lang=sr&lang=en")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["lang"]


def test_the_answer_cache_keeps_each_language_apart(client, world, settings):
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    try:
        by_header = {
            header: client.get("/api/v1/actors/", HTTP_ACCEPT_LANGUAGE=header)
            for header in ("sr", "sr-Latn", "en")
        }
        again = {
            header: client.get("/api/v1/actors/", HTTP_ACCEPT_LANGUAGE=header)
            for header in ("sr", "sr-Latn", "en")
        }
    finally:
        cache.clear()
    assert [names(r) for r in again.values()] == [["Србија"], ["Srbija"], ["Serbia"]]
    for header, response in again.items():
        assert response.content == by_header[header].content
        assert response["Content-Language"] == by_header[header]["Content-Language"]
        assert "Accept-Language" in response["Vary"]
    assert len({r["ETag"] for r in again.values()}) == 3


@pytest.mark.parametrize("lang", ["en", "sr", "sr-latn"])
def test_query_counts_are_the_same_in_every_language(
    client, world, lang, django_assert_max_num_queries
):
    # As tests/actors/test_api.py and tests/publishing/test_api.py allow.
    with django_assert_max_num_queries(5):
        assert client.get(f"/api/v1/actors/?lang={lang}").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(f"/api/v1/agreements/?lang={lang}").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(f"/api/v1/briefs/?lang={lang}").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(f"/api/v1/briefs/savezi/?lang={lang}").status_code == 200


def test_the_schema_documents_lang_on_every_operation(client, db):
    paths = client.get("/api/v1/schema/").json()["paths"]
    for path, operations in paths.items():
        parameters = {p["name"]: p for p in operations["get"]["parameters"]}
        assert set(parameters["lang"]["schema"]["enum"]) == {
            "en",
            "sr",
            "sr-latn",
            "sr-Cyrl",
            "sr-Latn",
        }, path
        headers = operations["get"]["responses"]["200"]["headers"]
        assert "Content-Language" in headers, path


@pytest.mark.parametrize(
    ("lang", "title", "summary", "author", "actor"),
    [
        ("sr", SR_TITLE, "Мини-савези.", "Петар Ивић", "Србија"),
        ("sr-latn", "Savezi na Balkanu", "Mini-savezi.", "Petar Ivić", "Srbija"),
        # English readers get a Serbian brief as it was written; names in English.
        ("en", SR_TITLE, "Мини-савези.", "Petar Ivić", "Serbia"),
    ],
)
def test_a_serbian_brief_is_served_in_the_asked_script(
    client, world, lang, title, summary, author, actor
):
    detail = client.get(f"/api/v1/briefs/savezi/?lang={lang}").json()
    assert (detail["title"], detail["summary"]) == (title, summary)
    assert [a["name"] for a in detail["actors"]] == [actor]
    assert author in str(detail)
    # The list, unfiltered (compiled per language) and filtered (the ORM).
    for address in ("/api/v1/briefs/", "/api/v1/briefs/?topic=security"):
        separator = "&" if "?" in address else "?"
        (item,) = client.get(f"{address}{separator}lang={lang}").json()["results"]
        assert item["title"] == title
    headed = client.get("/api/v1/briefs/savezi/", HTTP_ACCEPT_LANGUAGE=lang)
    assert headed.json()["title"] == title


def test_an_english_brief_keeps_its_text_in_every_language(client, db):
    factories.make_brief(title="Rival Pacts", slug="pacts", summary="Rival pacts.")
    for lang in ("en", "sr", "sr-latn"):
        detail = client.get(f"/api/v1/briefs/pacts/?lang={lang}").json()
        assert (detail["title"], detail["summary"]) == ("Rival Pacts", "Rival pacts.")
