"""RSS and Atom feeds, the sitemap and robots.txt.

Feeds are read back with feedparser, as a feed reader would read them.
"""

import datetime
import html
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest
from django.utils import timezone

from briefs.models import Status
from tests import factories
from tests.site_world import SEED_SLUG, build_world

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def world():
    return build_world()


def rss_items(client, url: str) -> list[ET.Element]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.findall("./channel/item")


def atom_entries(client, url: str) -> list[ET.Element]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_rss_feed_lists_public_briefs_newest_release_first(client, world):
    items = rss_items(client, "/feeds/briefs.rss")
    assert len(items) == 4
    first = items[0]
    assert first.findtext("link").startswith("http://127.0.0.1:8000/briefs/")
    seed = next(i for i in items if SEED_SLUG in i.findtext("link"))
    assert seed.findtext("title") == world.brief.title
    assert seed.findtext("description") == world.brief.summary
    assert {c.text for c in seed.findall("category")} == {
        "Security and defense",
        "Regional cooperation",
    }
    assert "Vuk Velebit, Andrej Cvejanov" in ET.tostring(seed, encoding="unicode")


def test_atom_feed_has_entries_with_updated_dates(client, world):
    entries = atom_entries(client, "/feeds/briefs.atom")
    assert len(entries) == 4
    assert all(entry.findtext(f"{ATOM}updated") for entry in entries)


@pytest.mark.parametrize(
    "url, count",
    [
        ("/topics/regional/feed.rss", 1),
        ("/topics/security/feed.rss", 4),
        ("/actors/serbia/feed.rss", 4),
        ("/actors/kosovo/feed.rss", 1),
        ("/people/vuk-velebit/feed.rss", 4),
        ("/people/petar-ivic/feed.rss", 1),
    ],
)
def test_per_topic_actor_and_person_feeds(client, world, url, count):
    assert len(rss_items(client, url)) == count
    assert len(atom_entries(client, url.replace(".rss", ".atom"))) == count


def test_feed_of_unknown_topic_is_404(client):
    assert client.get("/topics/nothing/feed.rss").status_code == 404


@pytest.mark.parametrize(
    "page, feed",
    [
        ("/", "/feeds/briefs.rss"),
        ("/topics/security/", "/topics/security/feed.rss"),
        ("/actors/serbia/", "/actors/serbia/feed.atom"),
        ("/people/vuk-velebit/", "/people/vuk-velebit/feed.rss"),
        (f"/briefs/{SEED_SLUG}/", "/topics/regional/feed.rss"),
        (f"/briefs/{SEED_SLUG}/", "/people/andrej-cvejanov/feed.rss"),
    ],
)
def test_pages_link_their_feeds_as_alternates(client, world, page, feed):
    html = client.get(page).content.decode()
    assert '<link rel="alternate" type="application/' in html
    assert f'href="{feed}"' in html


def test_sitemap_lists_public_pages_with_lastmod(client, world):
    factories.make_brief(
        slug="future", published_at=timezone.now() + datetime.timedelta(1)
    )
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    urls = {
        u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
        for u in root.findall(f"{SITEMAP}url")
    }
    base = "http://127.0.0.1:8000"
    for path in (
        "/",
        "/briefs/",
        f"/briefs/{SEED_SLUG}/",
        "/actors/serbia/",
        "/agreements/serbia-hungary-defense-cooperation-plan/",
        "/topics/security/",
        "/people/vuk-velebit/",
        "/recommendations/",
    ):
        assert base + path in urls, path
    assert urls[f"{base}/briefs/{SEED_SLUG}/"]
    assert f"{base}/briefs/future/" not in urls


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in response.content.decode()


# Items are editions; their text is text -----------------------------------------

HOSTILE = '"><svg onload=alert(1)></script><script>alert(2)</script>'
PLAIN = "a < b & c"
FEEDS = ("/feeds/briefs.rss", "/feeds/briefs.atom")


def parsed(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def shown_text(detail: feedparser.FeedParserDict) -> str:
    """What a reader shows for a title or summary, as feedparser reports it."""
    if detail.type == "text/plain":
        return detail.value
    assert detail.type == "text/html"
    # HTML that holds no element: escaped text, shown as that text.
    assert "<" not in detail.value, detail.value
    return html.unescape(detail.value)


@pytest.mark.parametrize("url", FEEDS)
def test_titles_and_summaries_read_back_as_the_literal_text(client, db, url):
    for text in (HOSTILE, PLAIN):
        factories.make_brief(title=text, summary=text)
    entries = parsed(client, url).entries
    assert len(entries) == 2
    for entry in entries:
        assert shown_text(entry.title_detail) == entry_text(entry)
        assert shown_text(entry.summary_detail) == entry_text(entry)
    assert {shown_text(e.summary_detail) for e in entries} == {HOSTILE, PLAIN}


def entry_text(entry: feedparser.FeedParserDict) -> str:
    return HOSTILE if "svg" in entry.title_detail.value else PLAIN


def _markup_fields(item: ET.Element) -> list[str]:
    """The contents of an item that a reader renders as HTML."""
    fields = [e.text or "" for e in item.iter("description")]
    for tag in ("summary", "content", "title"):
        for element in item.iter(f"{ATOM}{tag}"):
            if element.get("type") in ("html", "xhtml"):
                fields.append(element.text or "")
    return fields


class _Scripts(HTMLParser):
    """Collects what would run in a browser: script elements, on* handlers,
    javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "script":
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(name)
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(value)


@pytest.mark.parametrize("url", FEEDS)
def test_no_item_carries_a_script_handler_or_javascript_url(client, db, url):
    factories.make_brief(
        title=HOSTILE,
        summary=HOSTILE + ' <a href="javascript:alert(3)" onclick="x()">x</a>',
        topics=[factories.make_topic(name="<img src=x onerror=alert(4)>")],
        authors=[factories.make_person(name="<script>alert(5)</script>")],
    )
    root = ET.fromstring(client.get(url).content)
    items = root.findall("./channel/item") or root.findall(f"{ATOM}entry")
    assert len(items) == 1
    for item in items:
        for field in _markup_fields(item):
            parser = _Scripts()
            parser.feed(field)
            assert parser.found == [], field
        addresses = [e.get("href") for e in item.iter() if e.get("href")]
        addresses += [
            e.text for e in item.iter() if e.tag in ("link", "guid", f"{ATOM}id")
        ]
        assert addresses
        for address in addresses:
            assert address.startswith("http://127.0.0.1:8000/"), address
    # And as a reader sees it: nothing survives as markup.
    (entry,) = parsed(client, url).entries
    for detail in (entry.title_detail, entry.summary_detail):
        shown_text(detail)


def test_items_are_editions_dated_by_their_public_date(client, db):
    """The feed shows what was published: an edit of the working copy shows
    only once it is published, and a correction moves Atom's `updated`, not
    the brief's date."""
    released = datetime.datetime(2025, 12, 31, 22, 30, tzinfo=datetime.UTC)
    brief = factories.make_brief(
        edition=False,
        publication_date=None,
        published_at=released,
        title="As published",
        summary="Published summary.",
        authors=[factories.make_person(name="Vuk Velebit")],
        researchers=[factories.make_person(name="Petar Ivić")],
        topics=[factories.make_topic(name="Security")],
    )
    factories.publish(brief)
    brief.title = "Edited, not published"
    brief.save()
    (rss,) = parsed(client, "/feeds/briefs.rss").entries
    (atom,) = parsed(client, "/feeds/briefs.atom").entries
    for entry in (rss, atom):
        assert entry.title == "As published"
        assert entry.author == "Vuk Velebit"
        assert [t.term for t in entry.tags] == ["Security"]
        assert entry.published_parsed[:3] == (2025, 12, 31)  # Belgrade's day
        assert entry.link == f"http://127.0.0.1:8000/briefs/{brief.slug}/"
    assert atom.updated_parsed[:5] == (2025, 12, 31, 22, 30)

    correction = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
    factories.publish(brief, at=correction, note="Retitled.")
    (atom,) = parsed(client, "/feeds/briefs.atom").entries
    assert atom.title == "Edited, not published"
    assert atom.published_parsed[:3] == (2025, 12, 31)
    assert atom.updated_parsed[:5] == (2026, 1, 5, 9, 0)
    assert atom.id == f"http://127.0.0.1:8000/b/{brief.pk}/"  # the same item


def test_feeds_list_newest_public_date_first_and_only_public_briefs(client, db):
    day = datetime.date
    older = factories.make_brief(publication_date=day(2025, 1, 10))
    newer = factories.make_brief(publication_date=day(2025, 3, 1))
    hidden = [
        factories.make_brief(status=Status.DRAFT),
        factories.make_brief(published_at=timezone.now() + datetime.timedelta(1)),
        factories.make_brief(deleted_at=timezone.now()),
        factories.make_brief(
            status=Status.WITHDRAWN,
            withdrawn_reason="Wrong.",
            published_at=timezone.now() - datetime.timedelta(3),
        ),
    ]
    for url in FEEDS:
        titles = [e.title for e in parsed(client, url).entries]
        assert titles == [newer.title, older.title]
        assert not {b.title for b in hidden} & set(titles)


@pytest.mark.parametrize("kind", ["topic", "actor", "person"])
@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Status.DRAFT},
        {"deleted_at": timezone.now()},
        {
            "status": Status.WITHDRAWN,
            "withdrawn_reason": "Wrong.",
            "published_at": timezone.now() - datetime.timedelta(3),
        },
    ],
    ids=["draft", "trashed", "withdrawn"],
)
def test_a_record_no_public_brief_refers_to_has_no_feed(client, db, kind, hidden):
    record = {
        "topic": factories.make_topic,
        "actor": factories.make_actor,
        "person": factories.make_person,
    }[kind]()
    links = {"topic": "topics", "actor": "actors", "person": "authors"}[kind]
    prefix = {"topic": "topics", "actor": "actors", "person": "people"}[kind]
    brief = factories.make_brief(**{links: [record]}, **hidden)
    for ext in ("rss", "atom"):
        assert client.get(f"/{prefix}/{record.slug}/feed.{ext}").status_code == 404
    # The same record becomes public, and has a feed, with a public brief.
    factories.make_brief(**{links: [record]})
    for ext in ("rss", "atom"):
        response = client.get(f"/{prefix}/{record.slug}/feed.{ext}")
        assert response.status_code == 200
        assert brief.title not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/briefs.rss",
        "/feeds/briefs.atom",
        "/topics/t/feed.rss",
        "/actors/a/feed.atom",
        "/people/p/feed.rss",
    ],
)
def test_feed_queries_are_constant(client, db, url, django_assert_max_num_queries):
    topic = factories.make_topic(slug="t")
    actor = factories.make_actor(slug="a")
    person = factories.make_person(slug="p")

    def add(n: int) -> None:
        for _ in range(n):
            factories.make_brief(
                authors=[person, factories.make_person()],
                topics=[topic, factories.make_topic()],
                actors=[actor, factories.make_actor()],
            )

    add(1)
    with django_assert_max_num_queries(3):
        assert len(parsed(client, url).entries) == 1
    add(5)
    with django_assert_max_num_queries(3):
        assert len(parsed(client, url).entries) == 6


# The sitemap ------------------------------------------------------------------------


def sitemap_urls(client) -> dict[str, str]:
    root = ET.fromstring(client.get("/sitemap.xml").content)
    return {
        u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
        for u in root.findall(f"{SITEMAP}url")
    }


def test_sitemap_lists_current_editions_dated_by_their_release(client, db):
    """Earlier editions keep their addresses but are not offered to search
    engines: the current version is the one to read."""
    brief = factories.make_brief(slug="corrected")
    factories.publish(
        brief, at=datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC), note="Fix."
    )
    urls = sitemap_urls(client)
    base = "http://127.0.0.1:8000"
    assert urls[f"{base}/briefs/corrected/"] == "2026-01-05"
    assert f"{base}/briefs/corrected/v1/" not in urls
    assert client.get("/briefs/corrected/v1/").status_code == 200


def test_sitemap_lists_people_and_topics_only_while_public(client, db):
    person, topic = factories.make_person(), factories.make_topic()
    factories.make_brief(status=Status.DRAFT, authors=[person], topics=[topic])
    withdrawn = factories.make_brief(
        status=Status.WITHDRAWN,
        withdrawn_reason="Wrong.",
        published_at=timezone.now() - datetime.timedelta(3),
        authors=[person],
        topics=[topic],
    )
    urls = " ".join(sitemap_urls(client))
    assert f"/people/{person.slug}/" not in urls
    assert f"/topics/{topic.slug}/" not in urls
    assert f"/briefs/{withdrawn.slug}/" not in urls
    factories.make_brief(authors=[person], topics=[topic])
    urls = " ".join(sitemap_urls(client))
    assert f"/people/{person.slug}/" in urls
    assert f"/topics/{topic.slug}/" in urls


@pytest.mark.parametrize(
    "url", ["/feeds/recommendation-status.rss", "/feeds/recommendation-status.atom"]
)
def test_a_feed_with_no_items_carries_a_fixed_date_not_the_clock(client, url):
    # The same archive answers the same bytes: Django would date an empty feed
    # by the request's second.
    first = client.get(url)
    second = client.get(url)

    assert first.status_code == 200
    parsed = feedparser.parse(first.content)
    assert parsed.entries == []
    assert parsed.feed.updated_parsed[:3] == (1970, 1, 1)
    assert first.content == second.content
