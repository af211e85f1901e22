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

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import path

from publishing import pdf
from tests import factories
from tests.site_world import SEED_SLUG, build_archive, public_urls

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
    return build_archive()


@pytest.mark.parametrize("page_cache", [False, True], ids=["uncached", "cached"])
def test_no_public_get_writes_to_the_database(client, archive, settings, page_cache):
    if page_cache:
        settings.PAGE_CACHE_SECONDS = 60
    urls = public_urls(*archive)
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
    assert statuses["/actors/network/?on=2025-05-01&actor=serbia"] == 200
    assert statuses["/actors/network/?on=not-a-day"] == 400
    assert statuses[f"/briefs/{archive[1].slug}/"] == 410
    assert statuses[f"/briefs/{archive[2]}/"] == 301
    assert statuses["/briefs/no-such-brief/"] == 404
    assert statuses["/oai/?verb=Identify"] == 200
    assert statuses["/api/v1/actors/serbia/"] == 200
