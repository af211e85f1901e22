"""The partner API's answer cache: cheap repeats, nothing stale, rules unchanged."""

import datetime
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from briefs.hooks import public_record
from briefs.models import Status
from kernel.authentication import issue_api_key, revoke_api_key
from kernel.models import ApiKey
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer_cache(settings):
    from django.core.cache import cache

    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def _slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["results"]]


def test_repeated_list_costs_no_query_and_answers_304_from_the_cache(
    client, answer_cache, django_assert_num_queries
):
    factories.make_brief(slug="one")
    first = client.get("/api/v1/briefs/")

    with django_assert_num_queries(0):
        again = client.get("/api/v1/briefs/")
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == "application/json"
    with django_assert_num_queries(0):
        not_modified = client.get("/api/v1/briefs/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == first["ETag"]


def test_cached_detail_keeps_last_modified_and_answers_304(
    client, answer_cache, django_assert_num_queries
):
    factories.make_brief(slug="one")
    first = client.get("/api/v1/briefs/one/")

    with django_assert_num_queries(0):
        again = client.get("/api/v1/briefs/one/")
        since = client.get(
            "/api/v1/briefs/one/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
        )
    assert again.content == first.content
    assert again["Last-Modified"] == first["Last-Modified"]
    assert again["ETag"] == first["ETag"]
    assert since.status_code == 304


# Each change as the editorial workflow makes it: the brief's state, and its
# public record (the edition) through briefs.hooks.


def _publish_draft(brief):
    brief.status = Status.PUBLISHED
    brief.published_at = timezone.now()
    brief.save()
    factories.publish(brief)


def _withdraw(brief):
    with factories.commit():  # the generation turns after commit
        brief.status = Status.WITHDRAWN
        brief.withdrawn_reason = "Wrong figures."
        brief.save()
        public_record().withdrawn(brief=brief)


def _trash(brief):
    with factories.commit():
        brief.deleted_at = timezone.now()
        brief.save()
        public_record().trashed(brief=brief, trashed=True)


@pytest.mark.parametrize(
    ("status", "change", "listed_after"),
    [
        (Status.DRAFT, _publish_draft, True),
        (Status.PUBLISHED, _withdraw, False),
        (Status.PUBLISHED, _trash, False),
    ],
    ids=["publish-draft", "withdraw", "trash"],
)
def test_a_change_is_seen_at_once_by_cached_lists_details_and_etags(
    client, answer_cache, status, change, listed_after
):
    factories.make_brief(slug="stays")
    brief = factories.make_brief(slug="changes", status=status)
    list_before = client.get("/api/v1/briefs/")
    detail_before = client.get("/api/v1/briefs/changes/")
    assert ("changes" in _slugs(list_before)) is not listed_after
    assert detail_before.status_code == (404 if listed_after else 200)
    client.get("/api/v1/briefs/")  # served from the cache

    change(brief)

    list_after = client.get("/api/v1/briefs/", HTTP_IF_NONE_MATCH=list_before["ETag"])
    assert ("changes" in _slugs(list_after)) is listed_after
    assert list_after["ETag"] != list_before["ETag"]
    detail_after = client.get("/api/v1/briefs/changes/")
    assert detail_after.status_code == (200 if listed_after else 404)


def test_scheduled_brief_appears_in_cached_answers_when_its_time_comes(
    client, answer_cache
):
    soon = timezone.now() + datetime.timedelta(seconds=30)
    factories.make_brief(slug="now")
    factories.make_brief(slug="later", published_at=soon)
    assert _slugs(client.get("/api/v1/briefs/")) == ["now"]
    assert client.get("/api/v1/briefs/later/").status_code == 404
    assert _slugs(client.get("/api/v1/briefs/")) == ["now"]  # cached

    after = soon + datetime.timedelta(seconds=1)
    with (
        mock.patch("kernel.pagecache.time.time", return_value=after.timestamp()),
        mock.patch("django.utils.timezone.now", return_value=after),
    ):
        assert sorted(_slugs(client.get("/api/v1/briefs/"))) == ["later", "now"]
        assert client.get("/api/v1/briefs/later/").status_code == 200


def test_a_change_in_another_process_is_seen_within_the_recheck_interval(
    client, answer_cache, settings
):
    from django.core.cache import cache

    from kernel import pagecache

    factories.make_brief(slug="one")
    etag = client.get("/api/v1/briefs/")["ETag"]
    settings.PAGE_CACHE_RECHECK_SECONDS = 0
    # Another process publishes a brief: it writes the row and bumps the
    # shared generation; this process bumps nothing itself.
    with mock.patch("kernel.pagecache.bump_generation"):
        factories.make_brief(slug="two")
    cache.set(pagecache.GENERATION_KEY, ("from-elsewhere", None), timeout=None)

    response = client.get("/api/v1/briefs/", HTTP_IF_NONE_MATCH=etag)
    assert sorted(_slugs(response)) == ["one", "two"]


def test_answers_are_cached_per_query_host_and_media_type(
    client, answer_cache, settings
):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    for n in range(3):
        factories.make_brief(slug=f"brief-{n}")

    assert len(_slugs(client.get("/api/v1/briefs/?page_size=1"))) == 1
    assert len(_slugs(client.get("/api/v1/briefs/?page_size=2"))) == 2
    assert len(_slugs(client.get("/api/v1/briefs/"))) == 3
    one = client.get("/api/v1/briefs/?page_size=1&page=1").json()
    same = client.get("/api/v1/briefs/?page=1&page_size=1").json()
    assert one == same
    # Pagination links are absolute: another host gets its own links.
    other = client.get(
        "/api/v1/briefs/?page=1&page_size=1", HTTP_HOST="localhost"
    ).json()
    assert one["next"].startswith("http://testserver/")
    assert other["next"].startswith("http://localhost/")
    indented = client.get(
        "/api/v1/briefs/?page_size=1", HTTP_ACCEPT="application/json; indent=2"
    )
    assert indented.content.startswith(b"{\n  ")


def test_cached_answers_still_count_throttle_and_authenticate(
    client, answer_cache, settings
):
    settings.API_ANON_RATE = "3/min"
    api_key, key = issue_api_key(name="Partner")
    factories.make_brief(slug="one")

    for _ in range(3):
        assert client.get("/api/v1/briefs/").status_code == 200
    assert client.get("/api/v1/briefs/").status_code == 429
    for _ in range(3):
        assert client.get("/api/v1/briefs/", HTTP_X_API_KEY=key).status_code == 200
    assert ApiKey.objects.get(pk=api_key.pk).request_count == 3
    revoke_api_key(api_key=api_key)
    assert client.get("/api/v1/briefs/", HTTP_X_API_KEY=key).status_code == 401
    bad = client.get(
        "/api/v1/briefs/?actr=kfor", HTTP_X_API_KEY=issue_api_key(name="Other")[1]
    )
    assert bad.status_code == 400


def test_nothing_is_cached_when_the_page_cache_is_off(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    factories.make_brief(slug="one")
    client.get("/api/v1/briefs/")

    with CaptureQueriesContext(connection) as queries:
        assert _slugs(client.get("/api/v1/briefs/")) == ["one"]
    assert len(queries) > 0
