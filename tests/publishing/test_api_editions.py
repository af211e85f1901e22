"""The briefs API serves editions: stored representations, versions, frozen
content, former addresses, and nothing a public edition does not show."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone
from django.utils.http import http_date

from briefs.models import Status
from briefs.services import change_brief_slug
from publishing.editions import API_ORIGIN
from publishing.models import Edition
from publishing.serializers import BriefDetailSerializer, BriefListSerializer
from tests import factories

pytestmark = pytest.mark.django_db

FIRST = datetime.datetime(2025, 5, 21, 10, 0, tzinfo=datetime.UTC)
LATER = datetime.datetime(2025, 6, 2, 8, 30, tzinfo=datetime.UTC)


def test_list_and_detail_serve_the_stored_json_without_serialising(client):
    brief = factories.make_brief(slug="stored", authors=[factories.make_person()])
    edition = Edition.objects.get(brief=brief)
    refuse = mock.Mock(side_effect=AssertionError("serialised per request"))

    with (
        mock.patch.object(BriefListSerializer, "to_representation", refuse),
        mock.patch.object(BriefDetailSerializer, "to_representation", refuse),
    ):
        item = client.get("/api/v1/briefs/").json()["results"][0]
        detail = client.get("/api/v1/briefs/stored/").json()

    origin = "http://testserver"
    # With the brief's translations, read per request (none here).
    assert item.pop("translations") == detail.pop("translations") == []
    assert item == _with_origin(edition.api_item, origin)
    assert detail == _with_origin(edition.api_detail, origin)


def _with_origin(stored, origin):
    if isinstance(stored, dict):
        return {key: _with_origin(value, origin) for key, value in stored.items()}
    if isinstance(stored, list):
        return [_with_origin(value, origin) for value in stored]
    if isinstance(stored, str):
        return stored.replace(API_ORIGIN, origin)
    return stored


def test_addresses_use_the_requesting_scheme_and_host(client, settings):
    settings.ALLOWED_HOSTS = ["partner.example.org"]
    factories.make_brief(
        slug="origin", authors=[factories.make_person(slug="ana")], recommendations=1
    )

    listed = client.get(
        "/api/v1/briefs/?page_size=1", HTTP_HOST="partner.example.org", secure=True
    )
    detail = client.get("/api/v1/briefs/origin/", HTTP_HOST="partner.example.org")

    item = listed.json()["results"][0]
    assert item["url"] == "https://partner.example.org/briefs/origin/"
    assert item["api_url"] == "https://partner.example.org/api/v1/briefs/origin/"
    assert item["contributors"][0]["api_url"] == (
        "https://partner.example.org/api/v1/people/ana/"
    )
    assert detail.json()["recommendations"][0]["api_url"] == (
        "http://partner.example.org/api/v1/recommendations/origin-1/"
    )
    for response in (listed, detail):
        assert b"api-origin.invalid" not in response.content


def test_a_correction_is_the_next_version_with_its_own_release(client):
    brief = factories.make_brief(
        slug="corrected",
        title="First title",
        publication_date=None,
        published_at=FIRST,
    )
    edition = Edition.objects.get(brief=brief)
    assert client.get("/api/v1/briefs/corrected/")["Last-Modified"] == http_date(
        edition.released_at.timestamp()
    )

    brief.title = "Corrected title"
    brief.save()
    factories.publish(brief, at=LATER, note="Title fixed.")

    detail = client.get("/api/v1/briefs/corrected/")
    item = client.get("/api/v1/briefs/").json()["results"][0]
    for data in (detail.json(), item):
        assert data["title"] == "Corrected title"
        assert data["version"] == 2
        # The brief's date and first release stay; updated_at is this version's.
        assert data["publication_date"] == "2025-05-21"
        assert data["published_at"] == "2025-05-21T12:00:00+02:00"
        assert data["updated_at"] == "2025-06-02T10:30:00+02:00"
    assert detail["Last-Modified"] == http_date(LATER.timestamp())
    citation = client.get("/api/v1/briefs/corrected/citation/").json()
    assert citation["version"] == 2


def test_editing_the_working_copy_changes_no_api_byte_until_it_is_published(
    client,
):
    """Editions are frozen: the API shows a change once it is published."""
    kfor = factories.make_actor(name="KFOR", slug="kfor")
    author = factories.make_person(name="Ana", slug="ana")
    brief = factories.make_brief(
        slug="frozen", actors=[kfor], authors=[author], recommendations=1
    )
    brief.recommendations.get().addressees.add(kfor)
    urls = [
        "/api/v1/briefs/",
        "/api/v1/briefs/frozen/",
        "/api/v1/briefs/frozen/citation/",
        "/api/v1/recommendations/",
    ]
    before = [client.get(url).content for url in urls]

    brief.title = "Edited"
    brief.summary = "Edited summary."
    brief.save()
    kfor.name = "Kosovo Force"
    kfor.save()
    author.name = "Ana Renamed"
    author.save()

    assert [client.get(url).content for url in urls] == before
    factories.publish(brief, note="Edited.")
    after = client.get("/api/v1/briefs/frozen/").json()
    assert after["title"] == "Edited"
    assert after["actors"][0]["name"] == "Kosovo Force"
    assert after["contributors"][0]["name"] == "Ana Renamed"
    assert after["recommendations"][0]["addressees"][0]["name"] == "Kosovo Force"


def test_a_former_slug_answers_with_a_301_to_the_current_address(client):
    brief = factories.make_brief(slug="first-name")
    change_brief_slug(brief=brief, new_slug="second-name")

    detail = client.get("/api/v1/briefs/first-name/")
    citation = client.get("/api/v1/briefs/first-name/citation/")

    assert detail.status_code == 301
    assert detail["Location"] == "/api/v1/briefs/second-name/"
    assert citation.status_code == 301
    assert citation["Location"] == "/api/v1/briefs/second-name/citation/"
    moved = client.get("/api/v1/briefs/first-name/", follow=True)
    assert moved.status_code == 200
    assert moved.json()["slug"] == "second-name"
    assert moved.json()["api_url"] == "http://testserver/api/v1/briefs/second-name/"


@pytest.mark.parametrize("state", ["scheduled", "withdrawn", "trashed"])
def test_a_former_slug_of_a_brief_not_public_now_is_a_plain_404(client, state):
    """An old link must not tell the new address of a brief the public cannot
    read (not yet released, withdrawn, in the trash)."""
    released = timezone.now() + datetime.timedelta(days=1)
    brief = factories.make_brief(
        slug="old-name",
        **({"published_at": released} if state == "scheduled" else {}),
    )
    change_brief_slug(brief=brief, new_slug="new-name")
    if state == "withdrawn":
        brief.status = Status.WITHDRAWN
        brief.withdrawn_reason = "Wrong figures."
        brief.save()
        factories.public_record().withdrawn(brief=brief)
    elif state == "trashed":
        brief.deleted_at = timezone.now()
        brief.save()
        factories.public_record().trashed(brief=brief, trashed=True)

    for url in ["/api/v1/briefs/old-name/", "/api/v1/briefs/old-name/citation/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Not found."}
        assert "new-name" not in response.content.decode()


def test_orderings_keep_their_public_names(client):
    a = factories.make_brief(
        slug="a",
        title="Zeta",
        publication_date=datetime.date(2024, 1, 1),
        published_at=FIRST,
    )
    b = factories.make_brief(
        slug="b",
        title="Alpha",
        publication_date=datetime.date(2025, 1, 1),
        published_at=FIRST - datetime.timedelta(days=30),
    )
    c = factories.make_brief(
        slug="c",
        title="Mu",
        publication_date=datetime.date(2025, 1, 1),
        published_at=FIRST - datetime.timedelta(days=60),
    )

    def slugs(ordering):
        response = client.get(f"/api/v1/briefs/?ordering={ordering}")
        assert response.status_code == 200, response.json()
        return [item["slug"] for item in response.json()["results"]]

    assert slugs("id") == [a.slug, b.slug, c.slug]
    assert slugs("-id") == [c.slug, b.slug, a.slug]
    assert slugs("title") == [b.slug, c.slug, a.slug]
    assert slugs("publication_date") == [a.slug, b.slug, c.slug]  # ties by id
    assert slugs("-publication_date,published_at") == [c.slug, b.slug, a.slug]
    assert slugs("-published_at") == [a.slug, b.slug, c.slug]
    # The default: newest date first, then latest first release.
    default = client.get("/api/v1/briefs/").json()["results"]
    assert [item["slug"] for item in default] == [b.slug, c.slug, a.slug]


@pytest.mark.parametrize("state", ["draft", "scheduled", "withdrawn", "trashed"])
def test_people_topics_and_recommendations_of_unpublic_briefs_are_absent(client, state):
    person = factories.make_person(slug="hidden-person")
    topic = factories.make_topic(slug="hidden-topic")
    states = {
        "draft": {"status": Status.DRAFT},
        "scheduled": {"published_at": timezone.now() + datetime.timedelta(days=2)},
        "withdrawn": {"status": Status.WITHDRAWN, "withdrawn_reason": "Wrong."},
        "trashed": {"deleted_at": timezone.now()},
    }
    factories.make_brief(
        slug="hidden",
        authors=[person],
        topics=[topic],
        recommendations=1,
        **states[state],
    )
    factories.make_brief(slug="visible")

    assert client.get("/api/v1/people/hidden-person/").status_code == 404
    assert client.get("/api/v1/topics/hidden-topic/").status_code == 404
    assert client.get("/api/v1/recommendations/hidden-1/").status_code == 404
    assert client.get("/api/v1/briefs/hidden/").status_code == 404
    assert client.get("/api/v1/briefs/hidden/citation/").status_code == 404
    for url in [
        "/api/v1/people/",
        "/api/v1/topics/",
        "/api/v1/recommendations/",
        "/api/v1/briefs/",
    ]:
        body = client.get(url).content.decode()
        assert "hidden" not in body, url


def test_what_a_correction_drops_stops_being_public(client):
    """People, topics and recommendations are public through the current
    edition only: a correction that drops them takes them out of the API."""
    dropped = factories.make_person(slug="dropped")
    kept = factories.make_person(slug="kept")
    topic = factories.make_topic(slug="dropped-topic")
    brief = factories.make_brief(
        slug="b", authors=[dropped, kept], topics=[topic], recommendations=2
    )
    assert client.get("/api/v1/people/dropped/").json()["brief_count"] == 1
    assert client.get("/api/v1/recommendations/b-2/").status_code == 200

    brief.contributions.filter(person=dropped).delete()
    brief.topics.clear()
    brief.recommendations.filter(order=2).delete()
    factories.publish(brief, note="Credits corrected.")

    assert client.get("/api/v1/people/dropped/").status_code == 404
    assert client.get("/api/v1/people/kept/").json()["brief_count"] == 1
    assert client.get("/api/v1/topics/dropped-topic/").status_code == 404
    assert client.get("/api/v1/recommendations/b-2/").status_code == 404
    assert client.get("/api/v1/recommendations/b-1/").status_code == 200


def test_a_recommendation_keeps_its_id_across_editions(client):
    brief = factories.make_brief(slug="b", recommendations=1)
    before = client.get("/api/v1/recommendations/b-1/").json()

    factories.publish(brief, note="Typo.")

    after = client.get("/api/v1/recommendations/b-1/")
    assert after.json() == before
    assert before["id"] == brief.recommendations.get().pk
    edition = Edition.objects.get(brief=brief, is_current=True)
    assert after["Last-Modified"] == http_date(edition.released_at.timestamp())


def test_the_default_list_and_the_same_order_asked_for_agree(client):
    """The unfiltered list runs queries compiled once per process; asking for
    its order explicitly goes through the ORM. Same items, same pages."""
    for i in range(7):
        factories.make_brief(
            slug=f"b{i}",
            publication_date=datetime.date(2025, 1, 1 + i % 2),  # ties
            published_at=FIRST - datetime.timedelta(days=i % 3),
        )
    factories.make_brief(slug="draft", status=Status.DRAFT)
    factories.make_brief(
        slug="scheduled", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    explicit = "ordering=-publication_date,-published_at,-id"

    for page in [1, 2, 3]:
        default = client.get(f"/api/v1/briefs/?page_size=3&page={page}").json()
        asked = client.get(f"/api/v1/briefs/?page_size=3&page={page}&{explicit}")
        asked = asked.json()
        assert default["count"] == asked["count"] == 7
        assert default["results"] == asked["results"]
        assert len(default["results"]) == (3 if page < 3 else 1)
    response = client.get("/api/v1/briefs/?page=2")
    assert response.status_code == 400
    assert "the last page is 1" in response.json()["errors"]["page"][0]
