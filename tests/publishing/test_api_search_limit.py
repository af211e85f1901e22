"""`?q=` in the API runs under the search page's time limit, counts included.

Deterministic, no timing: a statement made slow on purpose (far longer than
the limit) is put in front of one query of the list, and only while a limit
is in force. With the limit applied the answer is the 400 naming `q`; without
it, nothing slow would run and the answer would be a 200.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import override_settings

from archive import search
from tests import factories

pytestmark = pytest.mark.django_db

# Each API list with `q`, and the one item the word finds there.
RESOURCES = {
    "briefs": "vucic-brief",
    "people": "vucic-person",
    "actors": "vucic-actor",
    "agreements": "vucic-agreement",
}
# Far longer than the limits set below; if a statement were not limited, the
# test would wait this long (PostgreSQL) and then fail on the 200.
SLOW = {
    "postgresql": "SELECT pg_sleep(3)",
    "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
    "WHERE i < 30000000) SELECT count(*) FROM n",
}


@pytest.fixture
def world() -> None:
    person = factories.make_person(name="Ana Vucic", slug="vucic-person")
    actor = factories.make_actor(name="Vucic", slug="vucic-actor")
    agreement = factories.make_agreement(
        title="The Vucic declaration", slug="vucic-agreement"
    )
    factories.make_brief(
        slug="vucic-brief",
        title="Vucic and the army",
        authors=[person],
        actors=[actor],
        agreements=[agreement],
    )
    factories.make_brief(slug="other", title="Something else")


def _bookkeeping(sql: str) -> bool:
    """Statements of the transaction and of the limit itself, not the list's."""
    return sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")) or (
        "statement_timeout" in sql
    )


@contextmanager
def statements(
    hook: Callable[[str], None] | None = None,
) -> Iterator[list[tuple[str, bool]]]:
    """Every statement run in the block, with whether a limit was in force.

    `hook(sql)` runs before each one (inside the limit, if any).
    """
    seen: list[tuple[str, bool]] = []

    def wrapper(
        execute: Callable, sql: str, params: object, many: bool, context: dict
    ) -> object:
        if not _bookkeeping(sql):
            limited = search.time_limited()
            if limited and connection.vendor == "postgresql":
                # The database's own setting, not only the bookkeeping flag.
                row = connection.connection.execute("SHOW statement_timeout")
                limited = row.fetchone()[0] not in ("0", "0ms")
            seen.append((sql, limited))
            if hook is not None:
                hook(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_query_of_a_list_with_q_runs_under_the_limit(client, world, resource):
    """Ranking, match filter, the paginator's COUNT and the page: all limited,
    and the answer is the usual one."""
    with statements() as seen:
        response = client.get(f"/api/v1/{resource}/?q=vucic")

    assert response.status_code == 200
    assert [item["slug"] for item in response.json()["results"]] == [
        RESOURCES[resource]
    ]
    assert response.json()["count"] == 1
    assert seen, "the list ran no query"
    assert [sql for sql, limited in seen if not limited] == []
    assert any("COUNT(" in sql.upper() for sql, _ in seen)


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_list_without_q_runs_no_limit(client, world, resource):
    with statements() as seen:
        response = client.get(f"/api/v1/{resource}/")
    assert response.status_code == 200
    assert not any(limited for _sql, limited in seen)
    assert not search.time_limited()


def _slow_at(stage: str) -> Callable[[str], None]:
    """A hook that runs a slow statement before the list's `stage` query:
    the first limited one (the ranking), the COUNT, or the one after it (the
    page)."""
    state = {"count_seen": False, "done": False}

    def hook(sql: str) -> None:
        if state["done"] or not search.time_limited():
            return
        is_count = "COUNT(" in sql.upper()
        if stage == "count" and not is_count:
            return
        if stage == "page" and not state["count_seen"]:
            state["count_seen"] = is_count
            return
        state["done"] = True
        with connection.cursor() as cursor:
            cursor.execute(SLOW[connection.vendor])

    return hook


@override_settings(SEARCH_TIME_LIMIT_MS=100)
@pytest.mark.parametrize("stage", ["ranking", "count", "page"])
@pytest.mark.parametrize("resource", RESOURCES)
def test_a_list_with_q_past_the_limit_is_a_400_naming_q(client, world, resource, stage):
    with statements(_slow_at(stage)) as seen:
        response = client.get(f"/api/v1/{resource}/?q=vucic")

    assert seen
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "detail": "Invalid request parameters.",
        "errors": {"q": ["This search is too broad: add words or a filter."]},
    }
    # The connection is usable afterwards, without the limit.
    assert not search.time_limited()
    assert client.get(f"/api/v1/{resource}/?q=vucic").status_code == 200


@override_settings(SEARCH_TIME_LIMIT_MS=100)
def test_a_timed_out_list_is_not_cached(client, world, settings):
    settings.PAGE_CACHE_SECONDS = 60
    with statements(_slow_at("ranking")):
        assert client.get("/api/v1/briefs/?q=vucic").status_code == 400
    assert client.get("/api/v1/briefs/?q=vucic").status_code == 200


@override_settings(SEARCH_TIME_LIMIT_MS=100)
def test_the_search_page_shares_the_setting(client, world):
    """One setting for both: the page's ranking stops at the same limit."""
    assert search.time_limit_ms() == 100
    with statements(_slow_at("ranking")):
        response = client.get("/search/?q=vucic")
    assert response.status_code == 400
    assert "too broad" in response.content.decode()


# The HTML lists that take `q` share the limit: a broad query is a 400 page.
PAGES = ["/briefs/", "/actors/", "/agreements/"]


@pytest.mark.parametrize("page", PAGES)
def test_a_page_list_with_q_runs_under_the_limit(client, world, page):
    with statements() as seen:
        response = client.get(f"{page}?q=vucic")
    assert response.status_code == 200
    assert "vucic" in response.content.decode().lower()
    assert seen
    assert [sql for sql, limited in seen if not limited] == []


@override_settings(SEARCH_TIME_LIMIT_MS=100)
@pytest.mark.parametrize("stage", ["ranking", "count"])
@pytest.mark.parametrize("page", PAGES)
def test_a_page_list_with_q_past_the_limit_is_a_400_page(client, world, page, stage):
    with statements(_slow_at(stage)):
        response = client.get(f"{page}?q=vucic")
    assert response.status_code == 400
    assert "This search is too broad: add words or a filter." in (
        response.content.decode()
    )
    assert not search.time_limited()
    assert client.get(f"{page}?q=vucic").status_code == 200
