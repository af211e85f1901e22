"""Feeds in each public language: /feeds/… English, /sr/feeds/… Cyrillic,
/sr-latn/feeds/… Latin. Read back with feedparser, as a reader would."""

import datetime
import html

import feedparser
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from briefs.models import Recommendation
from tests import factories

pytestmark = pytest.mark.django_db

SR_TITLE = "Савези на Балкану"


def feed(client, language: str, name: str, **kwargs):
    """A feed as readers of `language` get it (its address in that language)."""
    with translation.override(language):
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, response.content
        parsed = feedparser.parse(response.content)
        # Resolved with the language active, as the catalogue gives it.
        parsed.expected_title = gettext("%(publisher)s: briefs") % {
            "publisher": "Pupin Initiative"
        }
    return parsed


@pytest.fixture
def briefs(db):
    person = factories.make_person(name="Petar Ivić", slug="petar-ivic")
    topic = factories.make_topic(name="Security", slug="security", name_sr="Безбедност")
    serbia = factories.make_actor(name="Serbia", slug="serbia", name_sr="Србија")
    serbian = factories.make_brief(
        title=SR_TITLE,
        slug="savezi",
        language="sr-Cyrl",
        summary="Мини-савези на Балкану.",
        publication_date=datetime.date(2025, 5, 21),
        authors=[person],
        topics=[topic],
        actors=[serbia],
    )
    english = factories.make_brief(
        title="Rival Pacts",
        slug="pacts",
        summary="Rival pacts & alliances.",
        publication_date=datetime.date(2025, 5, 20),
        authors=[person],
        topics=[topic],
    )
    return serbian, english


@pytest.mark.parametrize(
    ("language", "tag", "title", "summary", "author", "topic"),
    [
        ("en", "en", SR_TITLE, "Мини-савези на Балкану.", "Petar Ivić", "Security"),
        (
            "sr",
            "sr-Cyrl",
            SR_TITLE,
            "Мини-савези на Балкану.",
            "Петар Ивић",
            "Безбедност",
        ),
        (
            "sr-latn",
            "sr-Latn",
            "Savezi na Balkanu",
            "Mini-savezi na Balkanu.",
            "Petar Ivić",
            "Bezbednost",
        ),
    ],
)
@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_briefs_feed_speaks_its_language(
    client, briefs, kind, language, tag, title, summary, author, topic
):
    parsed = feed(client, language, f"briefs:feed-{kind}")
    assert parsed.bozo == 0
    assert parsed.feed.language == tag
    assert parsed.feed.title == parsed.expected_title
    serbian, english = parsed.entries
    assert (serbian.title, serbian.summary) == (title, summary)
    assert serbian.author == author
    assert [t.term for t in serbian.tags] == [topic]
    # An English brief keeps its English text (RSS: HTML, escaped once).
    assert (english.title, html.unescape(english.summary)) == (
        "Rival Pacts",
        "Rival pacts & alliances.",
    )
    # Links lead to the pages in the feed's language.
    with translation.override(language):
        assert serbian.link.endswith(
            reverse("briefs:detail", kwargs={"slug": "savezi"})
        )


def test_the_atom_feed_marks_its_language_with_xml_lang(client, briefs):
    with translation.override("sr-latn"):
        body = client.get(reverse("briefs:feed-atom")).content.decode()
    assert 'xml:lang="sr-Latn"' in body
    with translation.override("sr"):
        body = client.get(reverse("briefs:feed-rss")).content.decode()
    assert "<language>sr-Cyrl</language>" in body


@pytest.mark.parametrize(
    ("language", "name"),
    [("en", "Security"), ("sr", "Безбедност"), ("sr-latn", "Bezbednost")],
)
def test_record_feeds_name_their_record_in_the_language(client, briefs, language, name):
    topic = feed(client, language, "briefs:topic-feed-rss", slug="security")
    assert topic.feed.title.endswith(name)
    actor = feed(client, language, "briefs:actor-feed-atom", slug="serbia")
    assert actor.feed.title.endswith(
        {"en": "Serbia", "sr": "Србија"}.get(language, "Srbija")
    )
    person = feed(client, language, "briefs:person-feed-rss", slug="petar-ivic")
    assert person.feed.title.endswith(
        "Петар Ивић" if language == "sr" else "Petar Ivić"
    )
    assert len(person.entries) == 2


@pytest.mark.parametrize("language", ["en", "sr", "sr-latn"])
def test_feeds_cost_the_same_queries_in_every_language(
    client, briefs, language, django_assert_max_num_queries
):
    with translation.override(language):
        address = reverse("briefs:feed-rss")
    # The first reader of a generation also reads the house exception list
    # (languages.transliteration.house_exceptions, once per process).
    client.get(address)
    with django_assert_max_num_queries(1):
        assert client.get(address).status_code == 200


@pytest.fixture
def assessed(db):
    nato = factories.make_actor(name="NATO", slug="nato", name_sr="НАТО")
    brief = factories.make_brief(
        title=SR_TITLE,
        slug="savezi",
        language="sr-Cyrl",
        recommendations=1,
        edition=False,
    )
    recommendation = Recommendation.objects.get(brief=brief)
    recommendation.title = "Ојачати сарадњу"
    recommendation.save()
    recommendation.addressees.set([nato])
    factories.publish(brief)
    factories.make_assessment(recommendation)
    return brief


@pytest.mark.parametrize(
    ("language", "title", "recommendation"),
    [
        ("sr", SR_TITLE, "Ојачати сарадњу"),
        ("sr-latn", "Savezi na Balkanu", "Ojačati saradnju"),
        ("en", SR_TITLE, "Ојачати сарадњу"),
    ],
)
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("briefs:status-feed-rss", {}),
        ("briefs:status-feed-atom", {}),
        ("briefs:addressee-status-feed-rss", {"slug": "nato"}),
        ("briefs:addressee-status-feed-atom", {"slug": "nato"}),
    ],
)
def test_status_feeds_speak_their_language(
    client, assessed, language, title, recommendation, name, kwargs
):
    parsed = feed(client, language, name, **kwargs)
    assert parsed.feed.language == {"en": "en", "sr": "sr-Cyrl"}.get(
        language, "sr-Latn"
    )
    (entry,) = parsed.entries
    assert recommendation in entry.title and title in entry.title
    if kwargs:
        nato = {"sr": "НАТО"}.get(language, "NATO")
        assert parsed.feed.title.endswith(nato)
