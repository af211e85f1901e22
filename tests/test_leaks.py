"""Nothing unpublished appears anywhere public: pages, feeds, sitemap, counts.

Drafts, briefs in review, scheduled, withdrawn and trashed briefs carry a unique
marker word in every text field and link to the same actors, agreements, topics
and people as the public briefs, so a missing public gate anywhere (a related
block, a facet, a feed, a count) would put the marker or a wrong count on a page.
Each also credits a person and files under a topic of its own, both named with
a second marker: records public only through briefs must stay unpublished with them.
The briefs are made by the factories, which follow them into their editions
(scheduled, withdrawn, trashed), as the workflow does.
A crawler follows every internal link from the home page and the sitemap.
"""

import datetime
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.utils import timezone

from briefs.models import BriefActor, Language, Recommendation, Status
from tests import factories
from tests.site_world import build_world

pytestmark = pytest.mark.django_db

MARKER = "zqxleakmarker"
# In the names of the people and topics only hidden briefs link, checked on
# every crawled page like MARKER. (Not MARKER itself: person feeds, another
# surface's test, still name an unpublished person.)
LINKED_MARKER = "zqxlinkedonly"


def _hidden_briefs(world) -> list:
    now = timezone.now()
    day = datetime.timedelta(days=1)
    variants = {
        "draft": {"status": Status.DRAFT},
        "review": {"status": Status.IN_REVIEW},
        "approved": {"status": Status.APPROVED},
        "scheduled": {"published_at": now + day},
        "trashed": {"deleted_at": now},
        "withdrawn": {
            "status": Status.WITHDRAWN,
            "published_at": now - 3 * day,
            "withdrawn_at": now,
            "withdrawn_reason": "Withdrawn for the leak test.",
        },
    }
    briefs = []
    for name, overrides in variants.items():
        brief = factories.make_brief(
            title=f"{name} {MARKER} title",
            slug=f"{name}-hidden",
            summary=f"{MARKER} summary",
            body=f"## {MARKER} heading\n\n{MARKER} body about Serbia.\n\n"
            f"```compare\na: Serbia\na_name: {MARKER} bloc\nb: Hungary\n```\n",
            publication_date=datetime.date(2031, 1, 1),  # a year of its own
            authors=[
                world.people["vuk-velebit"],
                factories.make_person(
                    name=f"{LINKED_MARKER} Hiddenperson {name}",
                    slug=f"{name}-only-person",
                ),
            ],
            actors=[world.serbia, world.hungary, world.nato],
            agreements=[world.plan],
            topics=[
                *world.brief.topics.all(),
                factories.make_topic(
                    name=f"{LINKED_MARKER} Hiddentopic {name}",
                    slug=f"{name}-only-topic",
                ),
            ],
            featured=True,
            **overrides,
        )
        recommendation = Recommendation.objects.create(
            brief=brief,
            order=1,
            title=f"{MARKER} recommendation",
            body=f"{MARKER} recommendation body",
        )
        recommendation.addressees.set([world.serbia, world.nato])
        briefs.append(brief)
    return briefs


def _links(text: str) -> set[str]:
    found = set(re.findall(r'(?:href|action)="([^"]+)"', text))
    found |= set(re.findall(r"<loc>([^<]+)</loc>", text))
    found |= set(re.findall(r"<link>([^<]+)</link>", text))
    return found


def _crawl(client, starts: list[str]) -> dict[str, str]:
    """Every internal page reachable from `starts`: {path: body}."""
    seen: dict[str, str] = {}
    queue = deque(starts)
    while queue and len(seen) < 400:
        url = queue.popleft()
        parts = urlsplit(urljoin("http://127.0.0.1:8000/", url))
        if parts.netloc not in {"127.0.0.1:8000", "testserver"}:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen or path.startswith(("/static/", "/media/", "/search/")):
            continue
        if path.endswith(".pdf"):
            continue  # binary; tests/publishing/test_pdf.py reads PDFs' text
        # Every page as a first visit: the switcher's links set the language
        # cookie, which would send later unprefixed URLs to a Serbian page.
        client.cookies.clear()
        response = client.get(path)
        body = response.content.decode()
        if response.status_code in (301, 302):
            body += f'<a href="{response["Location"]}">'  # checked, then followed
        seen[path] = body
        assert response.status_code in (200, 301, 302), (path, response.status_code)
        for link in _links(body):
            if link.startswith("?"):
                if parts.query:
                    continue  # one level of facet links, not their combinations
                link = parts.path + link
            queue.append(link.replace("&amp;", "&"))
    return seen


@pytest.fixture
def leaky_world():
    world = build_world()
    return world, _hidden_briefs(world)


def _check_no_leak(client, world, hidden) -> dict[str, str]:
    starts = [
        "/",
        "/sitemap.xml",
        "/robots.txt",
        "/briefs/",
        "/briefs/?year=2031",
        "/briefs/?actor=serbia&actor=nato",
        "/recommendations/?addressee=serbia",
        "/actors/network/",
        "/actors/network/?on=2025-05-01&actor=serbia",
        "/feeds/briefs.rss",
        "/feeds/briefs.atom",
        "/actors/serbia/feed.rss",
        "/actors/nato/feed.atom",
        "/people/vuk-velebit/feed.rss",
        "/topics/security/feed.atom",
        "/compare/?a=serbia,hungary&b=albania,croatia,kosovo",
        "/compare/",
    ]
    pages = _crawl(client, starts)
    assert len(pages) > 60  # the crawl really went round the site
    for path, body in pages.items():
        assert MARKER not in body, path
        assert LINKED_MARKER not in body, path
        for brief in hidden:
            assert brief.get_absolute_url() not in body, (path, brief.slug)
    return pages


def test_unpublished_briefs_appear_on_no_public_surface(client, leaky_world):
    world, hidden = leaky_world
    _check_no_leak(client, world, hidden)


def test_unpublished_briefs_appear_nowhere_with_the_page_cache_on(
    client, leaky_world, settings
):
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    world, hidden = leaky_world
    _check_no_leak(client, world, hidden)  # fills the cache
    _check_no_leak(client, world, hidden)  # served from it
    cache.clear()


def test_translations_link_only_what_is_public(client, leaky_world):
    """A public translation of a hidden original names nothing of it; a hidden
    translation of a public original is linked from nowhere."""
    world, hidden = leaky_world
    hidden_translation = factories.make_brief(
        status=Status.DRAFT,
        title=f"{MARKER} превод",
        slug="hidden-translation",
        body=f"{MARKER} текст",
        language=Language.SERBIAN_CYRILLIC,
        translation_of=world.brief,
        translated_from_number=1,
    )
    for brief in hidden:
        factories.make_brief(
            title=f"Превод: {brief.status}",
            slug=f"{brief.slug}-sr",
            language=Language.SERBIAN_CYRILLIC,
            translation_of=brief,
            translated_from_number=1,
        )
    pages = _check_no_leak(client, world, [*hidden, hidden_translation])
    assert any(path.endswith("-hidden-sr/") for path in pages)
    assert "Also in:" not in client.get(world.brief.get_absolute_url()).content.decode()


def test_counts_and_facets_count_only_public_briefs(client, leaky_world):
    world, hidden = leaky_world
    public_serbia = 4  # the seed brief and three others
    briefs = client.get("/briefs/").content.decode()
    assert "4 briefs" in briefs
    assert re.search(rf'>Serbia</a> <span class="count">{public_serbia}</span>', briefs)
    assert re.search(r'>Vuk Velebit</a> <span class="count">4</span>', briefs)
    assert "2031" not in briefs  # the hidden briefs' year is no facet value
    assert "0 briefs" in client.get("/briefs/?year=2031").content.decode()
    actors = client.get("/actors/").content.decode()
    assert re.search(r'href="/actors/serbia/">Serbia</a>.*?4 briefs', actors)
    assert re.search(r'href="/actors/nato/">NATO</a>.*?1 brief<', actors)
    recommendations = client.get("/recommendations/").content.decode()
    assert re.search(r'>Serbia</a> <span class="count">2</span>', recommendations)
    home = client.get("/").content.decode()
    assert re.search(r'href="/topics/regional/">[^<]+</a> <span class="count">1', home)
    assert BriefActor.objects.filter(actor=world.serbia).count() == 4 + len(hidden)


def test_hidden_brief_addresses_reveal_nothing(client, leaky_world):
    world, hidden = leaky_world
    for brief in hidden:
        response = client.get(brief.get_absolute_url())
        body = response.content.decode()
        if brief.status == Status.WITHDRAWN:
            # The notice names the brief, but shows none of its content.
            assert response.status_code == 410
            assert f"{MARKER} summary" not in body
            assert f"{MARKER} body" not in body
            assert f"{MARKER} recommendation" not in body
        else:
            assert response.status_code == 404
            assert MARKER not in body
    # A person credited only on a hidden brief has no feed (nor any item).
    hidden_author = hidden[0].contributions.last().person
    for ext in ("rss", "atom"):
        feed = client.get(f"/people/{hidden_author.slug}/feed.{ext}")
        assert feed.status_code == 404
        assert MARKER not in feed.content.decode()
    assert MARKER not in client.get(f"/people/{hidden_author.slug}/").content.decode()


def test_oai_shows_only_public_briefs_and_withdrawn_ones_as_deleted(
    client, leaky_world, settings
):
    world, hidden = leaky_world
    settings.OAI_PAGE_SIZE = 100
    body = client.get(
        "/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    ).content.decode()
    assert MARKER not in body
    for brief in hidden:
        identifier = f"briefs/{brief.pk}</identifier>"
        if brief.status == Status.WITHDRAWN:
            # Its deleted record: a header, no metadata.
            assert identifier in body
        else:
            assert identifier not in body, brief.slug
    sets = client.get("/oai/", {"verb": "ListSets"}).content.decode()
    assert MARKER not in sets


def test_people_and_topics_of_unpublished_briefs_only_are_not_public(
    client, leaky_world
):
    """A person or topic is public exactly when a public edition links them.

    Each hidden brief's own person and topic: 404 pages, absent from the
    experts' and topics' index pages, and absent from the site search's people
    (the lists and facets are crawled above).
    """
    world, hidden = leaky_world
    for brief in hidden:
        name = brief.slug.removesuffix("-hidden")
        person = client.get(f"/people/{name}-only-person/")
        assert person.status_code == 404, brief.slug
        assert LINKED_MARKER not in person.content.decode()
        topic = client.get(f"/topics/{name}-only-topic/")
        assert topic.status_code == 404, brief.slug
        assert LINKED_MARKER not in topic.content.decode()
    # Nor on the experts' and topics' index pages, in any language.
    for prefix in ("", "/sr", "/sr-latn"):
        for index in ("people", "topics"):
            page = client.get(f"{prefix}/{index}/").content.decode()
            assert LINKED_MARKER not in page, (prefix, index)
            assert "-only-person/" not in page
            assert "-only-topic/" not in page
    people = client.get("/people/").content.decode()
    assert 'href="/people/vuk-velebit/"' in people
    assert 'href="/topics/security/"' in client.get("/topics/").content.decode()
    results = client.get("/search/?q=Hiddenperson").content.decode()
    assert LINKED_MARKER not in results
    assert not re.search(r'href="/people/[^"]', results)
    # A person credited on a public brief too stays public.
    assert client.get("/people/vuk-velebit/").status_code == 200
    assert client.get("/topics/security/").status_code == 200


@pytest.mark.parametrize("language", ["sr", "sr-latn"])
def test_serbian_feeds_cite_files_and_api_answers_leak_nothing(
    client, leaky_world, language
):
    """Each surface in each language: the feeds at their Serbian addresses,
    the API with ?lang= and Accept-Language, the cite files."""
    from django.urls import reverse
    from django.utils import translation

    world, hidden = leaky_world
    feeds = [
        ("briefs:feed-rss", {}),
        ("briefs:feed-atom", {}),
        ("briefs:actor-feed-rss", {"slug": "serbia"}),
        ("briefs:topic-feed-atom", {"slug": "security"}),
        ("briefs:person-feed-rss", {"slug": "vuk-velebit"}),
        ("briefs:status-feed-rss", {}),
        ("briefs:addressee-status-feed-atom", {"slug": "serbia"}),
    ]
    bodies = {}
    with translation.override(language):
        for name, kwargs in feeds:
            address = reverse(name, kwargs=kwargs)
            response = client.get(address)
            assert response.status_code in (200, 404), address
            bodies[address] = response.content.decode()
        for brief in hidden:
            for ext in ("bib", "ris", "json"):
                address = reverse(
                    "briefs:cite", kwargs={"slug": brief.slug, "ext": ext}
                )
                response = client.get(address)
                if brief.status == Status.WITHDRAWN:
                    continue  # a tombstone keeps its citation (test_citations.py)
                assert response.status_code == 404, address
    for address in (
        f"/api/v1/briefs/?lang={language}",
        f"/api/v1/briefs/?lang={language}&actor=serbia",
        f"/api/v1/people/?lang={language}",
        f"/api/v1/topics/?lang={language}",
        f"/api/v1/recommendations/?lang={language}",
    ):
        bodies[address] = client.get(address).content.decode()
        bodies[f"{address} (header)"] = client.get(
            address.replace(f"lang={language}", "page=1"),
            HTTP_ACCEPT_LANGUAGE=language,
        ).content.decode()
    for brief in hidden:
        response = client.get(f"/api/v1/briefs/{brief.slug}/?lang={language}")
        assert response.status_code == 404
    for address, body in bodies.items():
        assert MARKER not in body, address
        assert LINKED_MARKER not in body, address
