"""No GET request writes to the database (issue #10).

Every public URL is requested with a wrapper on the database connection that
fails on any INSERT, UPDATE, DELETE or REPLACE. Transactions are allowed:
PostgreSQL's search time limit is a `SET LOCAL` that needs one, and a
transaction that writes nothing changes nothing. Files in storage (an
edition's PDF rendered on first request) are not database writes and are
allowed. API requests with a partner key count the key's use in the
database by design (kernel/authentication.py); the crawl is anonymous.

Pages are crawled twice: the first reader of anything must not write either
(prepared actor pages are prepared after commit, not on first view).
"""

import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone

from briefs.hooks import public_record
from briefs.models import Status
from briefs.services import change_brief_slug
from publishing import pdf
from tests import factories
from tests.site_world import SEED_SLUG, build_world

# A SAVEPOINT is not a write: PostgreSQL's search time limit is a
# `SET LOCAL statement_timeout` scoped by a transaction (a savepoint inside the
# test's own transaction).
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# SQLite's snippet highlighter fills a connection-private TEMP table (FTS5 can
# only highlight rows of an FTS5 table): scratch space that no other request
# or process sees and nothing persists, so not a write to the database.
_SCRATCH = re.compile(r"^\s*(INSERT\s+INTO|DELETE\s+FROM)\s+temp\.", re.IGNORECASE)


class DatabaseWrite(AssertionError):
    pass


@contextmanager
def no_writes() -> Iterator[list[str]]:
    """Refuse every write; the list collects them (a view may swallow the error)."""
    writes: list[str] = []

    def refuse(execute, sql, params, many, context):
        if _WRITE.match(sql) and not _SCRATCH.match(sql):
            writes.append(sql[:200])
            raise DatabaseWrite(f"a GET wrote to the database: {sql[:200]}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield writes


def _writing_view(request: HttpRequest) -> HttpResponse:
    factories.make_topic(name="Written by a GET")
    return HttpResponse("ok")


urlpatterns = [path("writes/", _writing_view)]


@pytest.mark.urls("tests.test_no_writes")
def test_the_guard_catches_a_view_that_writes(client, db):
    with no_writes() as writes, pytest.raises(DatabaseWrite):
        client.get("/writes/")
    assert writes


@pytest.fixture
def archive(db, settings, tmp_path, monkeypatch):
    """The world, plus an old edition, a tombstone, a renamed brief, a person."""
    settings.MEDIA_ROOT = tmp_path
    settings.API_ANON_RATE = "100000/min"  # the crawl is one busy client
    # PDFs are files in storage; WeasyPrint itself is not under test here.
    monkeypatch.setattr(pdf, "render_pdf", lambda html: b"%PDF-1.7 test")
    world = build_world()
    factories.publish(world.brief, note="A figure corrected.")  # version 2
    withdrawn = world.others[0]
    with factories.commit():
        withdrawn.status = Status.WITHDRAWN
        withdrawn.withdrawn_at = timezone.now()
        withdrawn.withdrawn_reason = "Wrong figures."
        withdrawn.save()
        public_record().withdrawn(brief=withdrawn)
    renamed = world.others[1]
    old_slug = renamed.slug
    with factories.commit():
        change_brief_slug(brief=renamed, new_slug=f"{old_slug}-renamed")
    scheduled = factories.make_brief(
        title="Not yet", published_at=timezone.now() + datetime.timedelta(days=2)
    )
    # The recommendation tracker: a published and a draft assessment.
    for published in (True, False):
        factories.make_assessment(
            world.brief.recommendations.first(), published=published
        )
    return world, withdrawn, old_slug, renamed, scheduled


def _urls(world, withdrawn, old_slug, renamed, scheduled) -> list[str]:
    brief = world.brief
    person = next(iter(world.people.values()))
    topic = brief.topics.first()
    api = "/api/v1"
    slug = SEED_SLUG
    return [
        "/",
        "/robots.txt",
        "/search/?q=serbia",
        "/search/?q=serbia&kind=policy_brief",
        "/search/?q=" + "x" * 500,  # a 400
        f"/b/{brief.pk}/",
        "/briefs/",
        "/briefs/?page=2",
        f"/briefs/?actor=serbia&topic={topic.slug}",
        "/briefs/?year=2025&kind=policy_brief",
        "/briefs/?actor=no-such-actor",  # a 400
        f"/briefs/{slug}/",
        f"/briefs/{slug}/v1/",
        f"/briefs/{slug}/v1/cite.bib",
        f"/briefs/{slug}/v1.pdf",
        f"/briefs/{slug}/cite.bib",
        f"/briefs/{slug}/cite.ris",
        f"/briefs/{slug}/cite.json",
        f"/briefs/{slug}.pdf",
        f"/briefs/{withdrawn.slug}/",  # tombstone, 410
        f"/briefs/{withdrawn.slug}/cite.bib",
        f"/briefs/{old_slug}/",  # 301
        f"/briefs/{old_slug}/cite.ris",
        f"/briefs/{scheduled.slug}/",  # 404 until released
        "/briefs/no-such-brief/",
        f"/people/{person.slug}/",
        f"/people/{person.slug}/feed.rss",
        f"/people/{person.slug}/feed.atom",
        f"/topics/{topic.slug}/",
        f"/topics/{topic.slug}/feed.rss",
        f"/topics/{topic.slug}/feed.atom",
        "/actors/",
        "/actors/?kind=state",
        "/actors/serbia/",
        "/actors/hungary/",
        "/actors/nato/",
        "/actors/serbia/feed.rss",
        "/actors/serbia/feed.atom",
        "/actors/no-such-actor/",
        "/agreements/",
        f"/agreements/{world.plan.slug}/",
        f"/agreements/{world.declaration.slug}/",
        "/recommendations/",
        "/recommendations/?addressee=serbia",
        "/recommendations/?addressee=nato&status=in_progress",
        f"/recommendations/?brief={slug}&assessed_after=2025-01-01",
        "/feeds/recommendation-status.rss",
        "/feeds/recommendation-status.atom",
        "/actors/nato/recommendation-status.rss",
        "/actors/nato/recommendation-status.atom",
        "/feeds/briefs.rss",
        "/feeds/briefs.atom",
        "/sitemap.xml",
        "/oai/?verb=Identify",
        "/oai/?verb=ListMetadataFormats",
        "/oai/?verb=ListSets",
        "/oai/?verb=ListIdentifiers&metadataPrefix=oai_dc",
        "/oai/?verb=ListRecords&metadataPrefix=oai_dc",
        f"/oai/?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:x:briefs/{brief.pk}",
        "/oai/?verb=Nonsense",
        f"{api}/",
        f"{api}/briefs/",
        f"{api}/briefs/?q=serbia",
        f"{api}/briefs/?actor=serbia&ordering=-published_at",
        f"{api}/briefs/{slug}/",
        f"{api}/briefs/{slug}/citation/",
        f"{api}/briefs/{old_slug}/",
        f"{api}/briefs/{withdrawn.slug}/",
        f"{api}/people/",
        f"{api}/people/{person.slug}/",
        f"{api}/actors/",
        f"{api}/actors/serbia/",
        f"{api}/agreements/",
        f"{api}/agreements/{world.plan.slug}/",
        f"{api}/recommendations/",
        f"{api}/recommendations/?status=in_progress&assessed_after=2025-01-01",
        f"{api}/recommendations/{slug}-1/",
        f"{api}/topics/",
        f"{api}/topics/{topic.slug}/",
        f"{api}/schema/",
        "/api/docs/",
        f"{api}/no-such-thing/",
    ]


@pytest.mark.parametrize("page_cache", [False, True], ids=["uncached", "cached"])
def test_no_public_get_writes_to_the_database(client, archive, settings, page_cache):
    if page_cache:
        settings.PAGE_CACHE_SECONDS = 60
    urls = _urls(*archive)
    statuses = {}
    # A page broken for another reason (a 500) must not hide a write: writes
    # are collected, whatever the views do with the error.
    client.raise_request_exception = False
    with no_writes() as writes:
        for _ in range(2):  # the first reader, and the next one
            for url in urls:
                statuses[url] = client.get(url).status_code
                client.head(url)
    assert writes == []
    # The crawl reached real pages, not a wall of errors.
    assert statuses[f"/briefs/{SEED_SLUG}/"] == 200
    assert statuses[f"/briefs/{SEED_SLUG}/v1/"] == 200
    assert statuses[f"/briefs/{SEED_SLUG}.pdf"] == 200
    assert statuses["/actors/serbia/"] == 200
    assert statuses[f"/briefs/{archive[1].slug}/"] == 410
    assert statuses[f"/briefs/{archive[2]}/"] == 301
    assert statuses["/briefs/no-such-brief/"] == 404
    assert statuses["/oai/?verb=Identify"] == 200
    assert statuses["/api/v1/actors/serbia/"] == 200
