"""RSS and Atom feeds, the sitemap and robots.txt."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

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
