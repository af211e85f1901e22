"""Full-text search: one interface, two engines, one normalisation.

Readers type "Vucic", "Vučić" or "Вучић" and mean the same man. Every text that
goes into the index and every query term goes through `fold()`: Serbian (and
other) Cyrillic is transliterated to Latin, diacritics are folded (č/ć→c,
š→s, ž→z, đ→dj), and the result is lower-cased. Because index and query are
normalised by the same function, any spelling finds any other.

Engines (chosen by `connection.vendor`, nothing vendor-specific in models):

* PostgreSQL: per-model index tables (`<app>_<model>_search`, created by a
  vendor-checking migration) hold a weighted `tsvector` (`document`: title A,
  summary B, body and recommendations C, names D), a small `head` vector
  (title A + summary B) and `published_at`, each with a GIN index. Queries are
  `to_tsquery('english', …)` built from parsed tokens (not
  `websearch_to_tsquery`: its syntax is the one parsed here, but it cannot
  express the last-word prefix, and both engines must read a query the same
  way), ranked with `ts_rank`; matches in snippets are marked by `ts_headline`.
* SQLite: one FTS5 virtual table per model with the same name and columns
  (`title, summary, body, more, names`), tokenizer `porter unicode61
  remove_diacritics 2`, ranked with weighted `bm25()`; matches in snippets
  are marked by `highlight()`.

Both engines use the English stemmer on the folded text, for every brief: the
query is parsed once, so index and query must share one configuration.

Query syntax (parsed here, never passed raw to either engine): words are
ANDed; `"quoted phrases"`; `a OR b`; `-excluded`; the last bare word typed is
matched as a prefix (3+ characters), which also catches Serbian inflections
("Vucic" finds "Vučića"). English stop words on their own are ignored.

Contract for callers (`QuerySet.search(q)`, FilterSets, views):

* `parse_query(q)` raises `InvalidQuery` (a `ValueError`) with a message fit
  for the reader when the query is too long (over `MAX_QUERY_LENGTH`
  characters) or has too many terms (over `MAX_TERMS`). FilterSets and views
  turn it into a 400.
* A query that parses to nothing (only operators, only stop words, only
  exclusions, NUL bytes, punctuation) is not an error: the search returns an
  empty queryset.
* `search_queryset()` returns a chainable queryset of every match, ordered
  best first (`search_order` annotation). Ranking covers up to
  `CANDIDATES_HEAD` title/summary matches and `CANDIDATES` others (see
  `Engine.ranked_ids`), which at archive sizes is every match; past that,
  matches follow by recency. That bound is what keeps a query for a common
  word from ranking tens of thousands of rows.
* `search_page()` is the site search's fast path: one page of ranked hits
  with highlighted snippets, loading only that page's objects.
* An index may hold objects that are not public yet (the briefs index holds
  every current edition that is not withdrawn or trashed, scheduled ones
  included); each index's `gate` (briefs: `Edition.objects.public()`) is
  applied to every result, so a scheduled brief is never returned early.
* An excluded word (`-dodik`) excludes a document wherever it stands, in
  both ranking tiers as in `filter_matches`.

Layout: `text` (fold, offsets, Markdown to text), `query` (parsing),
`indexes` (what an index is, and the registry), `engines` (the SQL of each
vendor), `snippets`, `signals` (pruning after migrations); this
module is the interface and re-exports the rest. It imports no app: each app
defines its indexes in `<app>/search.py` and registers them in
`AppConfig.ready()` (`register(index, name="BRIEFS")`, then `search.BRIEFS`).

Index maintenance: `index_objects()`/`unindex()` are called by the editions
write functions (publishing/editions.py) in their transaction, by the
after-commit handlers apps register with `kernel.changes` for the working
records (actors, agreements, people), and in bulk by `manage.py
rebuild_search_index`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import F, IntegerField, QuerySet
from django.db.models.expressions import RawSQL

from archive.search.engines import (
    BM25_WEIGHTS,
    CANDIDATES,
    CANDIDATES_HEAD,
    MARK_END,
    MARK_START,
    TIME_LIMIT_MS,
    Engine,
    PostgresEngine,
    SearchTooBroad,
    SQLiteEngine,
    get_engine,
    time_limit,
    time_limit_ms,
    time_limited,
)
from archive.search.indexes import (
    Document,
    SearchIndex,
    index_for,
    indexes,
    register,
    registered,
)
from archive.search.query import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    MIN_PREFIX_LENGTH,
    STOP_WORDS,
    InvalidQuery,
    Query,
    Term,
    parse_query,
)
from archive.search.snippets import (
    SNIPPET_CHARACTERS,
    Hit,
    add_snippets,
    highlight,
    snippet_window,
)
from archive.search.text import OffsetMap, ascii_fold, fold, markdown_to_text

__all__ = [
    "BM25_WEIGHTS",
    "CANDIDATES",
    "CANDIDATES_HEAD",
    "MARK_END",
    "MARK_START",
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "MIN_PREFIX_LENGTH",
    "SNIPPET_CHARACTERS",
    "STOP_WORDS",
    "TIME_LIMIT_MS",
    "Document",
    "Engine",
    "Hit",
    "InvalidQuery",
    "OffsetMap",
    "PostgresEngine",
    "Query",
    "SQLiteEngine",
    "SearchIndex",
    "SearchTooBroad",
    "Term",
    "add_snippets",
    "filter_matches",
    "ascii_fold",
    "fold",
    "get_engine",
    "highlight",
    "index_for",
    "indexes",
    "index_objects",
    "markdown_to_text",
    "parse_query",
    "rebuild",
    "register",
    "registered",
    "search_page",
    "search_queryset",
    "snippet_window",
    "time_limit",
    "time_limit_ms",
    "time_limited",
    "unindex",
]


# --------------------------------------------------------------------------
# Index maintenance
# --------------------------------------------------------------------------


def index_objects(
    index: SearchIndex, pks: Iterable[int], *, using: str = "default"
) -> None:
    """Bring the index up to date for these objects: add, replace or remove."""
    pks = list(pks)
    if not pks:
        return
    engine = get_engine(using)
    objects = list(index.queryset().using(using).filter(pk__in=pks))
    engine.delete(index, set(pks) - {obj.pk for obj in objects})
    engine.upsert(index, [index.document(obj) for obj in objects])


def unindex(index: SearchIndex, pks: Iterable[int], *, using: str = "default") -> None:
    get_engine(using).delete(index, pks)


def rebuild(
    index: SearchIndex,
    *,
    batch_size: int = 500,
    progress: Callable[[int], None] | None = None,
    using: str = "default",
) -> int:
    """Empty an index and fill it again from the database; returns the count."""
    engine = get_engine(using)
    # Newest (highest id) first: PostgreSQL then yields recent matches first
    # when a common word's candidates are capped (see PostgresEngine._tier).
    queryset = index.queryset().using(using).order_by("-pk")
    total, last = 0, None
    # One transaction: searches keep seeing the old index until the new one
    # is complete.
    with transaction.atomic(using=using):
        engine.clear(index)
        while batch := list(
            (queryset if last is None else queryset.filter(pk__lt=last))[:batch_size]
        ):
            engine.upsert(index, [index.document(obj) for obj in batch])
            total += len(batch)
            last = batch[-1].pk
            if progress:
                progress(len(batch))
    return total


# --------------------------------------------------------------------------
# Searching
# --------------------------------------------------------------------------


def _as_query(q: str | Query) -> Query:
    return q if isinstance(q, Query) else parse_query(q)


def _restriction(queryset: QuerySet) -> tuple[str, list] | None:
    """The SQL of a narrowed queryset's ids, so candidates respect its filters."""
    if not queryset.query.where:
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    return sql, list(params)


def filter_matches(queryset: QuerySet, index: SearchIndex, q: str | Query) -> QuerySet:
    """Every object of `queryset` that matches `q`, unranked (for counts, facets)."""
    query = _as_query(q)
    queryset = index.public(queryset)
    if query.is_empty:
        return queryset.none()
    match_sql, match_params = get_engine(queryset.db).match_sql(index, query)
    return queryset.filter(pk__in=RawSQL(match_sql, match_params))


def search_queryset(
    queryset: QuerySet,
    index: SearchIndex,
    q: str | Query,
    *,
    restrict: bool = False,
    _ids: list[int] | None = None,
) -> QuerySet:
    """Every object of `queryset` that matches `q`, best first.

    Runs one query now (the ranked candidates) and returns a lazy, chainable
    queryset annotated with `search_order` (1 = best; null past the ranked
    candidates, which follow newest first).
    """
    query = _as_query(q)
    if query.is_empty:
        return queryset.none()
    engine = get_engine(queryset.db)
    ids = _ids
    if ids is None:
        restriction = _restriction(queryset) if restrict else None
        ids, _complete = engine.ranked_ids(index, query, restriction)
    meta = queryset.model._meta
    column = f'"{meta.db_table}"."{meta.pk.column}"'
    key_sql, key_params = engine.order_key(column, ids)
    ordering = [F("search_order").asc(nulls_last=True)]
    if index.has_published_at:
        ordering.append(F("published_at").desc(nulls_last=True))
    return (
        filter_matches(queryset, index, query)
        .annotate(search_order=RawSQL(key_sql, key_params, output_field=IntegerField()))
        .order_by(*ordering, "-pk")
    )


def search_page(
    queryset: QuerySet,
    index: SearchIndex,
    q: str | Query,
    *,
    offset: int = 0,
    limit: int = 20,
    snippets: bool = True,
    restrict: bool = False,
) -> list[Hit]:
    """One page of ranked results with snippets: the site search's fast path.

    The page is cut from the ranked candidates, so only those few objects are
    loaded; a page past the candidates falls back to `search_queryset`.
    """
    query = _as_query(q)
    if query.is_empty or limit <= 0:
        return []
    queryset = index.public(queryset)
    engine = get_engine(queryset.db)
    restriction = _restriction(queryset) if restrict else None
    # A little more than the page: the gate below may drop a few.
    need = offset + limit + 10
    ids, complete = engine.ranked_ids(index, query, restriction, need=need)
    if complete or offset + limit <= len(ids):
        # The gate (`queryset`, e.g. published()) still decides: the index may
        # hold a brief scheduled for later. Usually every candidate passes, and
        # the page is one query; otherwise the passing ids are worked out first.
        wanted = ids[offset : offset + limit]
        objects = {obj.pk: obj for obj in queryset.filter(pk__in=wanted)}
        if len(objects) < len(wanted):
            gate = queryset.order_by().values_list("pk", flat=True)
            visible = set(gate.filter(pk__in=ids))
            wanted = [pk for pk in ids if pk in visible][offset : offset + limit]
            objects = {obj.pk: obj for obj in queryset.filter(pk__in=wanted)}
        page = [objects[pk] for pk in wanted if pk in objects]
    else:
        page = list(
            search_queryset(queryset, index, query, _ids=ids)[offset : offset + limit]
        )
    hits = [Hit(obj) for obj in page]
    if snippets and index.snippets:
        add_snippets(
            hits,
            query,
            engine,
            text_of=index.snippet_text,
            script_of=index.snippet_script,
        )
    return hits


def __getattr__(name: str) -> object:
    """`search.BRIEFS`, `search.ACTORS` …: the indexes apps registered by name.

    `search.INDEXES` is every registered index. Looked up when used, so apps
    register theirs in `AppConfig.ready()` and this package imports none.
    """
    if name == "INDEXES":
        return indexes()
    if name.isupper():
        try:
            return registered(name)
        except LookupError:
            pass
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
