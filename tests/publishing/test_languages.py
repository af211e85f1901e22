"""Editions per language: rendered in en, sr and sr-latn at publish time, read by
every page in the request's language with the queries of the English page."""

import pytest
from django.urls import Resolver404, resolve
from django.utils import translation

from briefs.markdown import name_footnote_backlinks, render_markdown
from briefs.models import Correction, Language, Role, Status
from languages import transliteration
from languages.transliteration import to_latin
from publishing import views
from publishing.editions import render_missing_languages
from publishing.models import Edition, EditionRendering, rendered
from tests import factories
from tests.publishing.test_views import _rich, _urls

pytestmark = pytest.mark.django_db


def get_in(client, language: str, path: str):
    """GET `path` (in any language) as a reader of `language`: under its prefix."""
    for prefix in ("/sr-latn/", "/sr/"):
        if path.startswith(prefix):
            path = path[len(prefix) - 1 :]
            break
    if language == "en":
        return client.get(path)
    with translation.override(language):
        try:
            resolve(f"/{language}{path}".split("?")[0])
        except Resolver404:  # a machine address (sitemap): one, unprefixed
            return client.get(path)
    return client.get(f"/{language}{path}")


def page(client, language: str, path: str) -> str:
    response = get_in(client, language, path)
    assert response.status_code == 200, (language, path)
    return response.content.decode()


def renderings(edition: Edition) -> dict[str, EditionRendering]:
    return {r.language: r for r in EditionRendering.objects.filter(edition=edition)}


@pytest.fixture
def named():
    """An English brief by a Serbian author about Serbia, with Serbian names."""
    serbia = factories.make_actor(name="Serbia", name_sr="Србија", slug="serbia")
    author = factories.make_person(name="Marko Marković", slug="marko-markovic")
    topic = factories.make_topic(name="Security", name_sr="Безбедност")
    brief = factories.make_brief(
        title="Serbia between blocs",
        summary="Where Serbia stands.",
        body="## Context\n\nSerbia keeps its options open.",
        authors=[author],
        actors=[serbia],
        topics=[topic],
    )
    return brief


# --- rendering ------------------------------------------------------------------


def test_english_brief_is_rendered_in_three_languages(named):
    edition = Edition.objects.get(brief=named)
    rows = renderings(edition)
    assert set(rows) == {"sr", "sr-latn"}
    cyrillic, latin = rows["sr"], rows["sr-latn"]
    # The brief's own text stays English, marked so on the Serbian pages.
    assert '<h1 lang="en">Serbia between blocs</h1>' in cyrillic.article_html
    assert '<div class="body" lang="en">' in cyrillic.article_html
    assert '<p class="summary" lang="en">Where Serbia stands.</p>' in latin.card_html
    assert 'lang="en"' in cyrillic.related_item_html
    # The English page marks nothing: the text is the page's language.
    assert "<h1>Serbia between blocs</h1>" in edition.article_html
    assert 'lang="en"' not in edition.card_html
    # Names in each language's script; dates in its words.
    assert "Марко Марковић" in cyrillic.article_html
    assert "Marko Marković" in latin.article_html
    assert ">Србија</a>" in cyrillic.article_html
    assert ">Srbija</a>" in latin.article_html
    assert ">Serbia</a>" in edition.article_html
    assert "Безбедност" in cyrillic.article_html
    assert "Bezbednost" in latin.article_html
    assert "мај" in cyrillic.card_html and "maj" in latin.card_html
    assert "May" in edition.card_html
    # The mention in the text is linked in every language (by its confirmed
    # name, whatever the name shown).
    for html in (edition.body_html, cyrillic.body_html, latin.body_html):
        assert 'class="actor-link"' in html
    # The API and citation representations are rendered per language too.
    assert "Марко Марковић" in str(cyrillic.api_item["contributors"])
    assert latin.citation and cyrillic.api_detail


CYRILLIC_BODY = (
    "## Увод\n\nСрбија и Љубљана, види [извор](https://example.org/izvor-1) "
    "и `kod_42`.[^1]\n\n[^1]: Напомена."
)


def test_cyrillic_brief_is_served_in_latin_exactly():
    brief = factories.make_brief(
        language=Language.SERBIAN_CYRILLIC,
        title="Љубљана и Београд",
        summary="Кратак преглед.",
        body=CYRILLIC_BODY,
        recommendations=1,
    )
    edition = Edition.objects.get(brief=brief)
    rows = renderings(edition)
    latin, cyrillic = rows["sr-latn"], rows["sr"]
    body_html, _toc = render_markdown(to_latin(CYRILLIC_BODY))
    # The same body, with the footnote's way back named in the reader's script.
    assert latin.body_html == name_footnote_backlinks(
        body_html, "Nazad na fusnotu %(number)s u tekstu"
    )
    assert "https://example.org/izvor-1" in latin.body_html
    assert "<code>kod_42</code>" in latin.body_html
    assert "<h1>Ljubljana i Beograd</h1>" in latin.article_html
    assert '<p class="summary">Kratak pregled.</p>' in latin.card_html
    assert latin.api_item["title"] == "Ljubljana i Beograd"
    # On the Cyrillic pages it is as written, and needs no lang of its own.
    assert "<h1>Љубљана и Београд</h1>" in cyrillic.article_html
    assert cyrillic.body_html == edition.body_html.replace(
        'aria-label="Back to footnote 1 in the text"',
        'aria-label="Назад на фусноту 1 у тексту"',
    )
    # On the English pages too, marked with the script it was written in.
    assert '<h1 lang="sr-Cyrl">Љубљана и Београд</h1>' in edition.article_html
    assert '<div class="body" lang="sr-Cyrl">' in edition.article_html


def test_latin_brief_is_served_in_cyrillic_with_links_code_and_labels_kept():
    body = (
        "## Uvod\n\nSrbija i Ljubljana, vidi [izvor](https://example.org/izvor-1) "
        "i `kod_42`.[^napomena]\n\n[^napomena]: Napomena."
    )
    brief = factories.make_brief(
        language=Language.SERBIAN_LATIN, title="Ljubljana i Beograd", body=body
    )
    edition = Edition.objects.get(brief=brief)
    cyrillic = renderings(edition)["sr"]
    expected = transliteration.markdown_to_script(body, "Cyrl")
    assert cyrillic.body_html == name_footnote_backlinks(
        render_markdown(expected)[0], "Назад на фусноту %(number)s у тексту"
    )
    assert "Србија и Љубљана" in cyrillic.body_html
    assert 'href="https://example.org/izvor-1"' in cyrillic.body_html
    assert "<code>kod_42</code>" in cyrillic.body_html
    assert "<h1>Љубљана и Београд</h1>" in cyrillic.article_html


def test_a_correction_renders_both_editions_in_every_language(named):
    named.title = "Serbia between blocs, revised"
    named.save()
    factories.publish(named, note="Figures corrected.")
    old, new = Edition.objects.filter(brief=named).order_by("number")
    for edition in (old, new):
        assert set(renderings(edition)) == {"sr", "sr-latn"}
    # The old one says it is superseded, in every language.
    assert "superseded-notice" in renderings(old)["sr"].article_html
    assert "superseded-notice" not in renderings(new)["sr"].article_html
    assert "revised" in renderings(new)["sr-latn"].card_html


def test_rebuild_renders_what_an_older_release_left_english_only(client, named):
    EditionRendering.objects.all().delete()
    # Until then the Serbian pages show the English rendering, not nothing.
    assert "Serbia between blocs" in page(client, "sr", named.get_absolute_url())
    assert render_missing_languages() == 1
    assert render_missing_languages() == 0
    assert "Србија" in page(client, "sr", named.get_absolute_url())


# --- the accessor ---------------------------------------------------------------


def test_rendered_in_gives_the_language_parts_under_their_names(named):
    public = Edition.objects.public()
    [edition] = public.only("id").rendered_in("sr", "card_html")
    assert "Марко Марковић" in edition.card_html
    [card] = public.rendered_in("sr-latn", "card_html").values_list(
        rendered("card_html"), flat=True
    )
    assert "Marko Marković" in card
    with translation.override("sr-latn"):
        [edition] = public.rendered_in(None, "card_html", "head_html")
    assert "Marko Marković" in edition.card_html
    [edition] = public.rendered_in("en", "card_html")
    assert "Marko Marković" in edition.card_html and "Serbia" in edition.card_html


# --- pages ----------------------------------------------------------------------


def test_pages_read_the_request_language(client, named):
    url = named.get_absolute_url()
    sr = page(client, "sr", url)
    assert "Марко Марковић" in sr and '<h1 lang="en">' in sr
    assert "Marko Marković" in page(client, "sr-latn", url)
    assert "<h1>Serbia between blocs</h1>" in page(client, "en", url)
    for path in ("/", "/briefs/", "/topics/", "/people/marko-markovic/"):
        if path == "/topics/":
            path = named.topics.get().get_absolute_url()
        assert "Марко Марковић" in page(client, "sr", path), path
        assert "Marko Marković" in page(client, "sr-latn", path), path
    # The list's facets name actors, topics and authors in the page's script.
    facets = page(client, "sr", "/briefs/?kind=policy_brief")
    assert "Србија" in facets and "Безбедност" in facets
    # Person and topic pages name them in the page's script.
    assert "Марко Марковић</h1>" in page(client, "sr", "/people/marko-markovic/")
    topic = named.topics.get().get_absolute_url()
    assert "Bezbednost" in page(client, "sr-latn", topic)


def test_actor_page_is_prepared_in_every_language(client, named):
    serbia = named.actor_links.get().actor
    serbia.refresh_from_db()
    assert set(serbia.rendered_languages) == {"sr", "sr-latn"}
    cyrillic = page(client, "sr", "/actors/serbia/")
    assert "<h1>Србија</h1>" in cyrillic
    assert "Марко Марковић" in cyrillic  # the card of the brief discussing it
    assert "<h1>Srbija</h1>" in page(client, "sr-latn", "/actors/serbia/")
    assert "<h1>Serbia</h1>" in page(client, "en", "/actors/serbia/")


def test_old_edition_pages_per_language(client, named):
    factories.publish(named, note="Figures corrected.")
    url = f"{named.get_absolute_url()}v1/"
    cyrillic = page(client, "sr", url)
    assert "superseded-notice" in cyrillic and "Марко Марковић" in cyrillic
    assert "Marko Marković" in page(client, "sr-latn", url)


def test_withdrawn_page_names_in_the_page_script(client):
    author = factories.make_person(name="Jelena Jović")
    brief = factories.make_brief(
        language=Language.SERBIAN_CYRILLIC, title="Повлачење", authors=[author]
    )
    brief.status = Status.WITHDRAWN
    brief.withdrawn_reason = "Wrong figures."
    brief.save()
    from briefs.hooks import public_record

    public_record().withdrawn(brief=brief)
    response = get_in(client, "sr-latn", brief.get_absolute_url())
    assert response.status_code == 410
    text = response.content.decode()
    assert "Povlačenje" in text and "Jelena Jović" in text
    response = get_in(client, "sr", brief.get_absolute_url())
    assert "Јелена Јовић" in response.content.decode()


def test_page_shells_are_kept_per_language(client, named):
    views._shells.clear()
    for language in ("en", "sr", "sr-latn"):
        page(client, language, named.get_absolute_url())
    kept = {key for key in views._shells if key[0] == "briefs/brief_detail.html"}
    assert {language for _, language in kept} == {"en", "sr", "sr-latn"}


# --- query counts: the Serbian pages cost what the English ones do ----------------


@pytest.mark.parametrize("language", ["sr", "sr-latn"])
def test_every_serbian_page_costs_the_english_number_of_queries(
    client, django_assert_max_num_queries, language
):
    urls = _urls(*_rich(3))
    for url, _ in urls:
        get_in(client, language, url)  # prepare, as the first reader does
    for url, bound in urls:
        with django_assert_max_num_queries(bound):
            response = get_in(client, language, url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("language", ["en", "sr", "sr-latn"])
def test_brief_and_actor_pages_cost_three_queries_in_every_language(
    client, django_assert_num_queries, language
):
    brief, actor, *_ = _rich(4)
    for url in (brief.get_absolute_url(), actor.get_absolute_url()):
        get_in(client, language, url)
        with django_assert_num_queries(3):
            response = get_in(client, language, url)
        assert response.status_code == 200


def test_credits_are_read_with_their_roles(client, named):
    # A person credited twice on one brief is listed under both roles.
    person = named.contributions.get().person
    named.contributions.create(person=person, role=Role.RESEARCHER, order=1)
    factories.publish(named)
    text = page(client, "sr", person.get_absolute_url())
    assert text.count(named.get_absolute_url()) >= 2


def test_corrections_of_a_serbian_brief_follow_the_script():
    brief = factories.make_brief(language=Language.SERBIAN_CYRILLIC, title="Наслов")
    Correction.objects.create(brief=brief, published_on="2025-06-01", note="Исправка")
    factories.publish(brief, note="Исправљене бројке.")
    edition = Edition.objects.get(brief=brief, is_current=True)
    assert "Ispravljene brojke." in renderings(edition)["sr-latn"].article_html
    assert "Исправљене бројке." in renderings(edition)["sr"].article_html
