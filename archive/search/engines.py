"""The vendor-specific half of search: SQL for PostgreSQL and for SQLite FTS5."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from archive.search.indexes import Document, SearchIndex
from archive.search.query import InvalidQuery, Query, Term

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

# How many matches are ranked exactly; the rest follow by recency. Title and
# summary matches get their own allowance (CANDIDATES_HEAD), so a common word
# still puts the briefs that carry it in their title first.
CANDIDATES = 200
CANDIDATES_HEAD = 200

# Column weights for SQLite's bm25(), in FTS5 column order. They keep the same
# order as PostgreSQL's default ts_rank weights (A 1.0, B 0.4, C 0.2, D 0.1).
BM25_WEIGHTS = (10.0, 4.0, 1.0, 1.0, 0.5)

# Markers for highlighted spans. Private-use characters never
# survive `fold()` from real text (they are removed), so they cannot collide.
MARK_START, MARK_END = "\ue000", "\ue001"


class SearchTooBroad(InvalidQuery):
    """The query ran past the time limit and was stopped (also a 400)."""


# No search query may run longer than this: a phrase of two common words that
# never meet would otherwise check every document that has both. The default
# of the SEARCH_TIME_LIMIT_MS setting, which the search page and the API share.
TIME_LIMIT_MS = 500


def time_limit_ms() -> int:
    """The search time limit in force: SEARCH_TIME_LIMIT_MS, read per use."""
    return int(getattr(settings, "SEARCH_TIME_LIMIT_MS", TIME_LIMIT_MS))


_TOO_BROAD = gettext_lazy(
    "This search is too broad to answer quickly; add or change words."
)


class Engine:
    """The vendor-specific half of search. Subclasses render SQL; callers don't."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    # Index maintenance
    def upsert(
        self,
        index: SearchIndex,
        documents: Sequence[Document],
        also_delete: Iterable[int] = (),
    ) -> None:
        """Add or replace `documents`; drop the rows of `also_delete` too.

        (`also_delete`: a superseded edition's row goes in the same step,
        on SQLite in the same DELETE as the replaced rows.)
        """
        raise NotImplementedError

    def delete(self, index: SearchIndex, pks: Iterable[int]) -> None:
        pks = list(pks)
        if not pks:
            return
        with self.connection.cursor() as cursor:
            placeholders = ", ".join(["%s"] * len(pks))
            cursor.execute(
                f"DELETE FROM {index.table} WHERE {self.key} IN ({placeholders})", pks
            )

    def clear(self, index: SearchIndex) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {index.table}")

    def prune(self, index: SearchIndex) -> None:
        """Drop rows whose object is gone (after a flush that bypassed signals)."""
        model = index.model
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {index.table} WHERE {self.key} NOT IN "
                f"(SELECT {model._meta.pk.column} FROM {model._meta.db_table})"
            )

    # Querying
    key = "object_id"

    def match_sql(self, index: SearchIndex, query: Query) -> tuple[str, list]:
        raise NotImplementedError

    def ranked_ids(
        self,
        index: SearchIndex,
        query: Query,
        restrict: tuple[str, list] | None,
        need: int | None = None,
    ) -> tuple[list[int], bool]:
        """The ranked candidates, best first, and whether they are every match.

        Two tiers, each capped before anything is ranked: up to
        CANDIDATES_HEAD matches in the title or summary, ranked among
        themselves, then up to CANDIDATES matches elsewhere, ranked on the
        whole document. With `need`, the second tier is skipped when the
        first already fills that many places (a common word's first page).
        """
        head = self._tier(index, query, restrict, head=True, limit=CANDIDATES_HEAD)
        if need is not None and len(head) >= need:
            return head, False
        rest = self._tier(index, query, restrict, head=False, limit=CANDIDATES)
        complete = len(head) < CANDIDATES_HEAD and len(rest) < CANDIDATES
        return head + rest, complete

    def _tier(
        self,
        index: SearchIndex,
        query: Query,
        restrict: tuple[str, list] | None,
        *,
        head: bool,
        limit: int,
    ) -> list[int]:
        raise NotImplementedError

    def order_key(self, column: str, ids: list[int]) -> tuple[str, list]:
        raise NotImplementedError

    def highlight(self, query: Query, windows: list[str]) -> list[str]:
        """Each folded window with the engine's own matches between marks."""
        raise NotImplementedError

    @staticmethod
    def any_term(query: Query) -> Query:
        """Every positive term as one OR group: highlight whatever is present."""
        terms = tuple(term for group in query.groups for term in group)
        return Query(groups=(terms,)) if terms else query


class PostgresEngine(Engine):
    CONFIG = "english"

    def upsert(
        self,
        index: SearchIndex,
        documents: Sequence[Document],
        also_delete: Iterable[int] = (),
    ) -> None:
        self.delete(index, also_delete)
        if not documents:
            return
        columns = list(zip(*((d.pk, d.published_at, d.title, d.summary, d.body, d.more,
                               d.names) for d in documents), strict=True))  # fmt: skip
        cfg = self.CONFIG
        sql = f"""
            INSERT INTO {index.table} (object_id, published_at, head, document)
            SELECT pk, published_at, head,
                   head || setweight(to_tsvector('{cfg}', body), 'C')
                        || setweight(to_tsvector('{cfg}', more), 'C')
                        || setweight(to_tsvector('{cfg}', names), 'D')
            FROM (
                SELECT d.*, setweight(to_tsvector('{cfg}', d.title), 'A')
                         || setweight(to_tsvector('{cfg}', d.summary), 'B') AS head
                FROM unnest(%s::bigint[], %s::timestamptz[], %s::text[], %s::text[],
                            %s::text[], %s::text[], %s::text[])
                     AS d(pk, published_at, title, summary, body, more, names)
            ) AS docs
            ON CONFLICT (object_id) DO UPDATE SET
                published_at = EXCLUDED.published_at,
                head = EXCLUDED.head,
                document = EXCLUDED.document
        """
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [list(column) for column in columns])

    @staticmethod
    def _term(term: Term) -> str:
        # Every word is [^\W_]+ (see _WORD), so quoting it is all the escaping
        # to_tsquery needs; operators come only from here.
        words = [f"'{word}'" for word in term.words]
        if term.prefix:
            words[-1] += ":*"
        return " <-> ".join(words)

    def tsquery(self, query: Query) -> str:
        groups = [
            "(" + " | ".join(self._term(t) for t in group) + ")"
            for group in query.groups
        ]
        text = " & ".join(groups)
        if query.excluded:
            text += " & !(" + " | ".join(self._term(t) for t in query.excluded) + ")"
        return text

    def _public(self, index: SearchIndex) -> tuple[str, list]:
        if index.has_published_at:
            return " AND published_at <= %s", [timezone.now()]
        return "", []

    def match_sql(self, index: SearchIndex, query: Query) -> tuple[str, list]:
        public, params = self._public(index)
        return (
            f"SELECT object_id FROM {index.table} "
            f"WHERE document @@ to_tsquery('{self.CONFIG}', %s){public}",
            [self.tsquery(query), *params],
        )

    def _tier(
        self,
        index: SearchIndex,
        query: Query,
        restrict: tuple[str, list] | None,
        *,
        head: bool,
        limit: int,
    ) -> list[int]:
        where, params = self._public(index)
        if restrict is not None:
            where += f" AND object_id IN ({restrict[0]})"
            params = [*params, *restrict[1]]
        column = "head" if head else "document"
        if not head:
            where = " AND NOT head @@ q.q" + where
        elif query.excluded:
            # `head` holds only the title and summary: an excluded word in the
            # body must exclude the document from the first tier too.
            where = " AND document @@ q.q" + where
        recency = "c.published_at DESC NULLS LAST, " if index.has_published_at else ""
        # The LIMIT comes before ts_rank and before any ORDER BY: the GIN
        # bitmap yields matches, the first `limit` are read and ranked, and
        # a word in 60,000 documents costs no more than one in 600. (The
        # rebuild writes the newest documents first, so those come first.)
        sql = f"""
            WITH q AS (SELECT to_tsquery('{self.CONFIG}', %s) AS q)
            SELECT c.object_id FROM (
                SELECT object_id, published_at, {column} AS vector
                FROM {index.table}, q
                WHERE {column} @@ q.q{where}
                LIMIT {limit}
            ) c, q
            ORDER BY ts_rank(c.vector, q.q) DESC, {recency}c.object_id DESC
        """
        params = [self.tsquery(query), *params]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def ranked_ids(
        self,
        index: SearchIndex,
        query: Query,
        restrict: tuple[str, list] | None,
        need: int | None = None,
    ) -> tuple[list[int], bool]:
        if not index.large:
            return super().ranked_ids(index, query, restrict, need)
        with (
            time_limit(self.connection.alias),
            self.connection.cursor() as cursor,
        ):
            # The planner does not know that testing a TOASTed tsvector costs
            # a de-compression per row; for a common word it would pick a
            # sequential scan over every document. The GIN index answers
            # plain matches without reading the vectors at all.
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), "
                "set_config('enable_seqscan', 'off', true)"
            )
            seqscan = cursor.fetchone()[0]
            result = super().ranked_ids(index, query, restrict, need)
            # Inside an outer transaction the setting would outlive this block.
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [seqscan])
            return result

    def order_key(self, column: str, ids: list[int]) -> tuple[str, list]:
        if not ids:
            return "NULL::integer", []
        return (
            f"CASE WHEN {column} = ANY(%s::bigint[]) "
            f"THEN array_position(%s::bigint[], {column}) END",
            [ids, ids],
        )

    def highlight(self, query: Query, windows: list[str]) -> list[str]:
        if not windows:
            return []
        options = f"StartSel={MARK_START}, StopSel={MARK_END}, HighlightAll=true"
        sql = f"""
            WITH q AS (SELECT to_tsquery('{self.CONFIG}', %s) AS q)
            SELECT ts_headline('{self.CONFIG}', w, q.q, %s)
            FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, n), q
            ORDER BY n
        """
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [self.tsquery(self.any_term(query)), options, windows])
            return [row[0] for row in cursor.fetchall()]


class SQLiteEngine(Engine):
    key = "rowid"
    COLUMNS = ("title", "summary", "body", "more", "names")

    def upsert(
        self,
        index: SearchIndex,
        documents: Sequence[Document],
        also_delete: Iterable[int] = (),
    ) -> None:
        self.delete(index, [*also_delete, *(d.pk for d in documents)])
        if not documents:
            return
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {index.table} (rowid, {', '.join(self.COLUMNS)}) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (d.pk, d.title, d.summary, d.body, d.more, d.names)
                    for d in documents
                ],
            )

    @staticmethod
    def _term(term: Term) -> str:
        # Words are [^\W_]+ (see _WORD): no quote can appear inside them.
        return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")

    def match(self, query: Query, columns: Sequence[str] | None = None) -> str:
        groups = [
            "(" + " OR ".join(self._term(t) for t in group) + ")"
            for group in query.groups
        ]
        text = "(" + " AND ".join(groups) + ")"
        if columns:
            # Only the words sought are looked for in these columns: an
            # excluded word excludes the document wherever it stands.
            text = "({" + " ".join(columns) + "} : " + text + ")"
        if query.excluded:
            text += " NOT (" + " OR ".join(self._term(t) for t in query.excluded) + ")"
        return text

    def match_sql(self, index: SearchIndex, query: Query) -> tuple[str, list]:
        return (
            f"SELECT rowid FROM {index.table} WHERE {index.table} MATCH %s",
            [self.match(query)],
        )

    def _ranked(
        self,
        index: SearchIndex,
        match: str,
        limit: int,
        restrict: tuple[str, list] | None,
    ) -> list[tuple[int, float]]:
        t = index.table
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        extra, extra_params = "", []
        if restrict is not None:
            extra, extra_params = f" AND rowid IN ({restrict[0]})", list(restrict[1])
        # Rank only the newest `limit` matches: FTS5 walks the doclist from the
        # highest rowid and stops after `limit` rows, so bm25() runs on those
        # alone (the caller sorts them).
        sql = f"""
            SELECT rowid, bm25({t}, {weights}) FROM {t}
            WHERE {t} MATCH %s{extra}
            ORDER BY rowid DESC LIMIT {limit}
        """
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [match, *extra_params])
            return cursor.fetchall()

    def _tier(
        self,
        index: SearchIndex,
        query: Query,
        restrict: tuple[str, list] | None,
        *,
        head: bool,
        limit: int,
    ) -> list[int]:
        in_head = self.match(query, ("title", "summary"))
        # The second tier is what matches elsewhere and not in the head.
        match = in_head if head else f"({self.match(query)}) NOT ({in_head})"
        rows = self._ranked(index, match, limit, restrict)
        rows.sort(key=lambda row: (row[1], -row[0]))  # bm25: lower is better
        return [pk for pk, _ in rows]

    def ranked_ids(
        self,
        index: SearchIndex,
        query: Query,
        restrict: tuple[str, list] | None,
        need: int | None = None,
    ) -> tuple[list[int], bool]:
        with time_limit(self.connection.alias):
            return super().ranked_ids(index, query, restrict, need)

    def order_key(self, column: str, ids: list[int]) -> tuple[str, list]:
        if not ids:
            return "NULL", []
        # IN (...) is a b-tree lookup; instr() on the comma list gives the
        # rank order and runs only for the candidates.
        placeholders = ", ".join(["%s"] * len(ids))
        return (
            f"CASE WHEN {column} IN ({placeholders}) "
            f"THEN instr(%s, ',' || {column} || ',') END",
            [*ids, "," + ",".join(str(i) for i in ids) + ","],
        )

    def highlight(self, query: Query, windows: list[str]) -> list[str]:
        if not windows:
            return []
        # FTS5 highlights only rows of an FTS5 table: a connection-private
        # temporary one with the index's tokenizer holds the windows.
        with self.connection.cursor() as cursor:
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_highlight USING "
                "fts5(w, tokenize = 'porter unicode61 remove_diacritics 2')"
            )
            cursor.execute("DELETE FROM temp.search_highlight")
            rows = ", ".join(["(%s, %s)"] * len(windows))
            cursor.execute(
                f"INSERT INTO temp.search_highlight (rowid, w) VALUES {rows}",
                [value for row in enumerate(windows) for value in row],
            )
            cursor.execute(
                f"SELECT rowid, highlight(search_highlight, 0, '{MARK_START}', "
                f"'{MARK_END}') FROM temp.search_highlight "
                "WHERE search_highlight MATCH %s",
                [self.match(self.any_term(query))],
            )
            marked = dict(cursor.fetchall())
        return [marked.get(n, window) for n, window in enumerate(windows)]


@contextmanager
def _stopped_is_too_broad() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        cause = exc.__cause__
        stopped = type(cause).__name__ == "QueryCanceled" or "interrupted" in str(exc)
        if stopped:
            raise SearchTooBroad(_TOO_BROAD) from exc
        raise


@contextmanager
def time_limit(using: str = "default", ms: int | None = None) -> Iterator[None]:
    """Stop any query in the block that runs past `ms`: `SearchTooBroad`.

    `ms` defaults to `time_limit_ms()`. PostgreSQL: a transaction-local
    `statement_timeout` (each statement). SQLite: a progress handler that
    interrupts the statement once the block's deadline has passed. Blocks
    nest: an inner one (the ranking inside an API list) never extends the
    outer deadline and gives it back when it ends.
    """
    if ms is None:
        ms = time_limit_ms()
    connection = connections[using]
    outer = getattr(connection, "search_deadline", None)
    deadline = time.monotonic() + ms / 1000
    if outer is not None:
        deadline = min(deadline, outer)
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), "
                "set_config('statement_timeout', %s, true)",
                [str(ms)],
            )
            previous = cursor.fetchone()[0]
            connection.search_deadline = deadline
            try:
                with _stopped_is_too_broad():
                    yield
            finally:
                connection.search_deadline = outer
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true)", [previous]
            )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        raw.set_progress_handler(_past(deadline), 10_000)
        connection.search_deadline = deadline
        try:
            with _stopped_is_too_broad():
                yield
        finally:
            connection.search_deadline = outer
            if outer is None:
                raw.set_progress_handler(None, 0)
            else:
                raw.set_progress_handler(_past(outer), 10_000)
    else:
        yield


def _past(deadline: float) -> Callable[[], bool]:
    """SQLite's progress handler: true (interrupt) once `deadline` has passed."""
    return lambda: time.monotonic() > deadline


def time_limited(using: str = "default") -> bool:
    """Whether queries on `using` run under a search time limit right now."""
    return getattr(connections[using], "search_deadline", None) is not None


def get_engine(using: str = "default") -> Engine:
    connection = connections[using]
    if connection.vendor == "postgresql":
        return PostgresEngine(connection)
    if connection.vendor == "sqlite":
        return SQLiteEngine(connection)
    raise NotImplementedError(f"No search engine for {connection.vendor}")
