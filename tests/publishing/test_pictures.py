"""Timelines and alliance maps on actor, agreement and network pages.

The SVG is parsed as XML (lxml), names are escaped, the same data gives the
same bytes, a bad address is a 400, and pages cost a fixed number of queries.
"""

import datetime
import re

import pytest
from lxml import etree

from actors.models import Membership, Office
from briefs.models import Status
from kernel import pagecache
from publishing.pictures import next_midnight
from tests import factories
from tests.site_world import build_world

pytestmark = pytest.mark.django_db
SVG = re.compile(
    r"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"picture-svg\".*?</svg>", re.S
)


@pytest.fixture
def world():
    return build_world()


def _svgs(html: str) -> list[etree._Element]:
    return [etree.fromstring(svg.encode()) for svg in SVG.findall(html)]


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_actor_page_has_a_timeline_and_a_map_with_titles_and_alternatives(
    client, world
):
    page = _page(client, "/actors/hungary/")
    timeline, network = _svgs(page)
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert timeline.find("s:title", ns).text == "Timeline of Hungary"
    assert "from 12 March 1999 to today" in timeline.find("s:desc", ns).text
    assert timeline.get("role") == "img"
    # The list says what the picture shows, in date order.
    items = re.findall(
        r"<li>(.*?)</li>", page.split("Timeline of Hungary as a list")[1]
    )
    assert "12 March 1999" in items[0] and "Member of NATO" in items[0]
    assert "today (ongoing)" in items[0]
    assert len(timeline.findall(".//s:g[@class='item item-membership']", ns)) == 2
    # The map: every actor is a link to its page; the table lists the links.
    hrefs = {a.get("href") for a in network.iter("{http://www.w3.org/2000/svg}a")}
    assert {"/actors/hungary/", "/actors/nato/", "/actors/viktor-orban/"} <= hrefs
    assert network.find("s:title", ns).text == "Alliance map around Hungary"
    assert '<td><a href="/actors/hungary/">Hungary</a></td><td>Member of</td>' in page
    assert "stroke-dasharray" in page and "member of (solid)" in page
    assert 'style="' not in "".join(SVG.findall(page))


def test_agreement_page_shows_its_history_and_its_parties_on_its_last_day(
    client, world
):
    world.plan.expires_on = datetime.date(2025, 12, 31)
    with factories.commit():
        world.plan.save()
    page = _page(client, "/agreements/serbia-hungary-defense-cooperation-plan/")
    assert "History of Serbia–Hungary defense cooperation plan" in page
    assert "Signed in Belgrade" in page and "Expired" in page
    assert "The parties and their links on 31 December 2025" in page
    assert 'href="/actors/network/?on=2025-12-31"' in page
    history, network = _svgs(page)
    assert history.get("role") == "img"


def test_network_page_draws_the_day_asked_for(client, world):
    today = _page(client, "/actors/network/")
    assert 'action="/actors/network/"' in today and 'type="date"' in today
    assert "/actors/croatia/" in today
    before = _page(client, "/actors/network/?on=2005-01-01")
    assert 'datetime="2005-01-01"' in before
    assert "/actors/croatia/" not in before  # joined NATO in 2009
    assert "/actors/hungary/" in before
    around = _page(client, "/actors/network/?actor=serbia&on=2025-05-01")
    assert "Alliance map around" in around and "/actors/hungary/" in around
    assert "/actors/croatia/" not in around
    (svg,) = _svgs(around)


@pytest.mark.parametrize(
    "query, message",
    [
        ("on=2025-13-01", "Write the day as YYYY-MM-DD"),
        ("on=yesterday", "Write the day as YYYY-MM-DD"),
        ("on=0999-01-01", "Choose a day between"),
        ("actor=atlantis", "No actor has this address"),
        ("actor=%3Cscript%3E", "valid"),
        ("colour=red", "Unknown in the address: colour"),
        ("actor=serbia&actor=hungary", "Give each of these once: actor"),
    ],
)
def test_bad_network_address_is_a_400_that_says_why(client, world, query, message):
    response = client.get(f"/actors/network/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_names_are_escaped_in_every_picture(client, world):
    odd = factories.make_actor(name='Odd <b>&</b> "Union"', kind="organization")
    factories.make_membership(world.serbia, odd, since="2001-01-01")
    with factories.commit():
        world.serbia.save()
    for url in ("/actors/serbia/", "/actors/network/"):
        page = _page(client, url)
        assert "<b>&</b>" not in page
        assert "Odd &lt;b&gt;&amp;&lt;/b&gt; &quot;Union&quot;" in page
        for svg in _svgs(page):  # still well-formed XML
            assert svg.tag == "{http://www.w3.org/2000/svg}svg"


def test_same_data_same_picture_byte_for_byte(client, world, settings):
    first = SVG.findall(_page(client, "/actors/network/"))
    settings.PREPARED_LISTS = False  # drawn again, not kept
    assert SVG.findall(_page(client, "/actors/network/")) == first
    assert SVG.findall(_page(client, "/actors/hungary/")) == SVG.findall(
        _page(client, "/actors/hungary/")
    )


def test_pictures_follow_a_committed_change(client, world):
    assert "/actors/kosovo/" not in _page(client, "/actors/network/?actor=hungary")
    assert "/actors/kosovo/" not in _page(client, "/actors/hungary/")
    kosovo = world.brief.actors.get(slug="kosovo")
    with factories.commit():
        factories.make_agreement(slug="hungary-kosovo", parties=[world.hungary, kosovo])
    assert "/actors/kosovo/" in _page(client, "/actors/network/?actor=hungary")
    assert "/actors/kosovo/" in _page(client, "/actors/hungary/")


def _grow(world, n: int) -> None:
    for i in range(n):
        state = factories.make_actor(name=f"State {i}")
        factories.make_membership(state, world.nato, since="2000-01-01")
        Membership.objects.create(member=state, organization=world.hungary)
        Office.objects.create(
            holder=factories.make_actor(name=f"Minister {i}", kind="person"),
            title="Minister",
            of_actor=state,
            since="2020-01-01",
        )
        factories.make_agreement(parties=[state, world.nato])


@pytest.mark.parametrize(
    "url",
    [
        "/actors/nato/",
        "/actors/network/",
        "/agreements/serbia-hungary-defense-cooperation-plan/",
    ],
)
def test_pages_with_pictures_cost_the_same_queries_however_big_the_network(
    client, world, settings, url
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PREPARED_LISTS = False  # drawn on every request: the worst case
    with CaptureQueriesContext(connection) as small:
        _page(client, url)
    _grow(world, 6)
    with CaptureQueriesContext(connection) as big:
        _page(client, url)
    assert len(big) == len(small)


def test_kept_pictures_cost_no_query(client, world, django_assert_num_queries):
    client.get("/actors/network/")
    with django_assert_num_queries(0):
        assert client.get("/actors/network/").status_code == 200
    client.get("/actors/hungary/")
    with django_assert_num_queries(3):  # the page's own; pictures are kept
        assert client.get("/actors/hungary/").status_code == 200


def test_pictures_show_no_unpublished_brief(client, world):
    hidden = factories.make_brief(
        title="Zqxhidden draft", actors=[world.serbia], status=Status.DRAFT
    )
    for url in ("/actors/network/", "/actors/serbia/", "/actors/network/?actor=serbia"):
        page = _page(client, url)
        assert "Zqxhidden" not in page and hidden.get_absolute_url() not in page


def test_an_actor_cannot_take_the_network_address(world):
    from django.core.exceptions import ValidationError

    from actors.models import Actor

    with pytest.raises(ValidationError, match="reserved"):
        Actor(name="Network", slug="network", kind="organization").full_clean()


def test_an_actor_with_nothing_dated_or_linked_shows_no_empty_picture(client, world):
    factories.make_actor(name="Lonely", slug="lonely")
    page = _page(client, "/actors/lonely/")
    assert "Timeline" not in page and "Alliance map" not in page
    assert _svgs(page) == []


def test_pages_that_show_today_are_not_kept_past_midnight(db, monkeypatch):
    # Maps and timelines are drawn to today: the page cache's generation (its
    # keys and ETags) turns at the archive's midnight even when nothing changes.
    token = pagecache.bump_generation()
    assert pagecache.current_generation() == token

    after_midnight = next_midnight().timestamp() + 1
    monkeypatch.setattr(pagecache.time, "time", lambda: after_midnight)
    assert pagecache.current_generation() != token


def test_the_maps_links_are_in_the_readers_language_whoever_asked_first(client, world):
    # The addresses are reversed once per process: once per language, or the
    # first reader's language would decide every later reader's links.
    serbian = _page(client, "/sr/actors/hungary/")
    client.cookies.clear()
    english = _page(client, "/actors/hungary/")
    assert 'href="/sr/actors/nato/"' in serbian
    assert 'href="/actors/nato/"' in english and 'href="/sr/actors/' not in english
