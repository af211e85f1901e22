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
* Only public briefs are indexed (published, not trashed); `BriefQuerySet.search`
  also applies `published()`, so a scheduled brief is never returned early.

Index maintenance: `index_objects()`/`unindex()` are called from
`archive/signals.py` on save/delete of indexed models, from
`briefs.services.refresh_brief()` after a brief's related rows are saved, and
in bulk by `manage.py rebuild_search_index`.
"""

from __future__ import annotations

import bisect
import html
import re
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import OperationalError, connections, transaction
from django.db.models import F, IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

MAX_QUERY_LENGTH = 256
MAX_TERMS = 12
MIN_PREFIX_LENGTH = 3
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


class InvalidQuery(ValueError):
    """A query the reader must change (too long, too many terms): a 400."""


class SearchTooBroad(InvalidQuery):
    """The query ran past `TIME_LIMIT_MS` and was stopped (also a 400)."""


# No search query may run longer than this: a phrase of two common words that
# never meet would otherwise check every document that has both.
TIME_LIMIT_MS = 1000
_TOO_BROAD = "This search is too broad to answer quickly; add or change words."


# --------------------------------------------------------------------------
# Normalisation: transliteration and diacritic folding
# --------------------------------------------------------------------------

# Serbian Cyrillic (Vuk's alphabet) to Gaj's Latin, plus the few letters of
# Macedonian, Russian and Ukrainian that appear in names.
_CYRILLIC = dict(
    zip(
        "абвгдђежзијклљмнњопрстћуфхцчџшѓќѕйыэюящъьёєіїґў",
        "a b v g d đ e ž z i j k l lj m n nj o p r s t ć u f h c č dž š "
        "gj kj dz j y e ju ja šč _ _ e je i ji g u".split(),
        strict=True,
    )
)
_CYRILLIC = {k: ("" if v == "_" else v) for k, v in _CYRILLIC.items()}
_CYRILLIC.update(
    {k.upper(): v[:1].upper() + v[1:] for k, v in _CYRILLIC.items() if k.upper() != k}
)
# Letters that do not decompose under NFKD.
_SPECIAL = {
    "đ": "dj", "Đ": "Dj", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae",
    "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss", "þ": "th", "Þ": "Th", "ð": "d",
    "Ð": "D", "ı": "i", "ħ": "h", "Ħ": "H", "\u00ad": "",
}  # fmt: skip
_RANGES = (
    (0x00A0, 0x0250),  # Latin-1 supplement, Latin extended A and B
    (0x0300, 0x0370),  # combining diacritical marks (text typed in NFD)
    (0x0400, 0x0530),  # Cyrillic
    (0x1E00, 0x1F00),  # Latin extended additional
    (0xE000, 0xF900),  # private use: reserved for our own markers
    (0xFB00, 0xFB07),  # Latin ligatures (ﬁ, ﬂ)
)


def _fold_char(char: str) -> str:
    latin = _CYRILLIC.get(char, char)
    out = []
    for ch in latin:
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch])
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def _build_tables() -> tuple[dict[int, str], dict[int, str]]:
    cased: dict[int, str] = {}
    for start, end in _RANGES:
        for cp in range(start, end):
            char = chr(cp)
            folded = "" if 0xE000 <= cp < 0xF900 else _fold_char(char)
            if folded != char:
                cased[cp] = folded
    # str.lower() changes length for this one letter only; keep it out of
    # the way so that folding stays char-by-char predictable.
    cased[0x130] = "I"
    lowered = {cp: value.lower() for cp, value in cased.items()}
    return cased, lowered


_TABLE_CASED, _TABLE = _build_tables()


def _char_class(codepoints: Iterable[int]) -> re.Pattern[str]:
    """A compiled [...] class for these code points, written as ranges."""
    ranges: list[list[int]] = []
    for cp in sorted(codepoints):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    body = "".join(
        re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "")
        for a, b in ranges
    )
    return re.compile(f"[{body}]")


# Characters whose folded form is not exactly one character long.
_RESIZING_RE = _char_class(cp for cp, value in _TABLE.items() if len(value) != 1)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _translate_lower(match: re.Match[str]) -> str:
    return match.group().translate(_TABLE)


def _translate_cased(match: re.Match[str]) -> str:
    return match.group().translate(_TABLE_CASED)


def fold(text: str, *, lower: bool = True) -> str:
    """Transliterate to Latin, fold diacritics and (by default) lower-case.

    >>> fold("Вучић"), fold("Vučić"), fold("Đoković"), fold("Приштина")
    ('vucic', 'vucic', 'djokovic', 'pristina')
    """
    # Only non-ASCII runs need the table: str.translate with a dict costs a
    # lookup per character, which on mostly-ASCII text is most of the time.
    if lower:
        return _NON_ASCII.sub(_translate_lower, text).lower()
    return _NON_ASCII.sub(_translate_cased, text)


class OffsetMap:
    """Maps positions in `fold(text)` back to positions in `text`.

    Folding is char by char; only a few characters change length (љ→lj,
    đ→dj, combining marks→nothing), so the map stores just those.
    """

    def __init__(self, text: str) -> None:
        self.folded_starts: list[int] = []
        self.entries: list[tuple[int, int]] = []  # (original position, folded length)
        delta = 0
        for match in _RESIZING_RE.finditer(text):
            pos = match.start()
            length = len(_TABLE[ord(match.group())])
            self.folded_starts.append(pos + delta)
            self.entries.append((pos, length))
            delta += length - 1

    def original(self, folded_pos: int) -> int:
        i = bisect.bisect_right(self.folded_starts, folded_pos) - 1
        if i < 0:
            return folded_pos
        start = self.folded_starts[i]
        pos, length = self.entries[i]
        if folded_pos < start + length:
            return pos
        return pos + 1 + (folded_pos - start - length)


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_MD_FOOTNOTE = re.compile(r"\[\^[^\]\s]+\]:?")
_MD_LINE_MARKUP = re.compile(
    r"(?m)^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+\.[ \t]+)"
)
_MD_TABLE_RULE = re.compile(r"(?m)^[ \t|:-]*-{3,}[ \t|:-]*$")
_MD_TAGS = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>")
_MD_INLINE = re.compile(r"[*_`|]+")
_BLANKS = re.compile(r"[ \t]+")
_URL = re.compile(r"https?://\S+")


def markdown_to_text(text: str) -> str:
    """The words of a Markdown body without its markup, for indexing and snippets."""
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_FOOTNOTE.sub("", text)
    text = _MD_TABLE_RULE.sub("", text)
    text = _MD_LINE_MARKUP.sub("", text)
    text = _MD_TAGS.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _MD_INLINE.sub(" ", text)
    return _BLANKS.sub(" ", text).strip()


# --------------------------------------------------------------------------
# Query parsing
# --------------------------------------------------------------------------

# PostgreSQL's English stop-word list: dropped from bare terms on both engines,
# so that "the" means the same thing on SQLite (which indexes it) and on
# PostgreSQL (which does not).
STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because
    been before being below between both but by can did do does doing don down
    during each few for from further had has have having he her here hers herself
    him himself his how i if in into is it its itself just me more most my myself
    no nor not now of off on once only or other our ours ourselves out over own s
    same she should so some such t than that the their theirs them themselves then
    there these they this those through to too under until up very was we were
    what when where which while who whom why will with you your yours yourself
    yourselves""".split()
)

_WORD = re.compile(r"[^\W_]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ue000-\uf8ff]")
_LEXER = re.compile(r'(?P<neg>-?)(?:"(?P<phrase>[^"]*)(?:"|$)|(?P<word>[^\s"]+))')


@dataclass(frozen=True)
class Term:
    """One word or phrase, already folded; several words make a phrase."""

    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Query:
    """AND of OR-groups, minus exclusions. Empty when nothing searchable is left."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    terms: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_empty(self) -> bool:
        return not self.groups


def _term(raw: str) -> Term | None:
    words = tuple(_WORD.findall(fold(raw)))
    return Term(words) if words else None


def parse_query(raw: str | None) -> Query:
    """Parse what a reader typed into a `Query`; see the module docstring."""
    text = _CONTROL.sub(" ", raw or "")
    typing = bool(text) and not text[-1].isspace()  # still in the last word
    text = text.strip()
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidQuery(
            f"Search queries are limited to {MAX_QUERY_LENGTH} characters."
        )
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    last_bare: tuple[int, int] | None = None  # (group, index) of a bare word
    count = 0
    for match in _LEXER.finditer(text):
        word, phrase, negated = match["word"], match["phrase"], bool(match["neg"])
        if word == "OR" and not negated:
            join_next = bool(groups)
            continue
        term = _term(phrase if phrase is not None else (word or ""))
        if term is None:
            continue
        if phrase is None and len(term.words) == 1 and term.words[0] in STOP_WORDS:
            join_next = False
            continue
        count += 1
        if count > MAX_TERMS:
            raise InvalidQuery(f"Search for at most {MAX_TERMS} words or phrases.")
        if negated:
            if not join_next:  # "a OR -b" cannot be expressed on FTS5; drop it
                excluded.append(term)
            join_next = False
            last_bare = None
            continue
        if join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
        last_bare = (len(groups) - 1, len(groups[-1]) - 1) if word else None
    # The last word typed is matched as a prefix; a short one would expand to
    # thousands of index terms, so it must be at least MIN_PREFIX_LENGTH long.
    if last_bare is not None and typing:
        g, i = last_bare
        term = groups[g][i]
        if len(term.words[-1]) >= MIN_PREFIX_LENGTH:
            groups[g][i] = Term(term.words, prefix=True)
    words = tuple(w for group in groups for t in group for w in t.words)
    return Query(tuple(tuple(g) for g in groups), tuple(excluded), words)


# --------------------------------------------------------------------------
# Indexes: which models, which fields
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """What the index holds for one object; every text already folded."""

    pk: int
    title: str
    summary: str = ""
    body: str = ""
    more: str = ""
    names: str = ""
    published_at: Any = None

    @classmethod
    def make(cls, pk: int, published_at: Any = None, **texts: str) -> Document:
        return cls(
            pk, published_at=published_at, **{k: fold(v) for k, v in texts.items()}
        )


@dataclass(frozen=True)
class SearchIndex:
    """One indexed model: its table and how to turn objects into documents."""

    label: str  # "briefs.Brief"
    table: str
    queryset: Callable[[], QuerySet]  # objects that belong in the index
    document: Callable[[Any], Document]
    has_published_at: bool = False
    # The public gate every search result passes, whatever queryset a caller
    # hands in (briefs: `published()`).
    gate: Callable[[QuerySet], QuerySet] | None = None
    # Large enough (thousands of long documents) that PostgreSQL must be kept
    # from scanning every TOASTed vector; see PostgresEngine.ranked_ids.
    large: bool = False

    def public(self, queryset: QuerySet) -> QuerySet:
        return self.gate(queryset) if self.gate else queryset

    @property
    def model(self) -> type:
        from django.apps import apps

        return apps.get_model(self.label)


def _brief_queryset() -> QuerySet:
    from django.db.models import Prefetch

    from briefs.models import Brief, BriefActor, Contribution, MentionState, Status

    return Brief.objects.filter(
        status=Status.PUBLISHED, published_at__isnull=False, deleted_at__isnull=True
    ).prefetch_related(
        Prefetch(
            "contributions",
            queryset=Contribution.objects.select_related(
                "person", "person__affiliation"
            ),
        ),
        Prefetch(
            "actor_links",
            queryset=BriefActor.objects.filter(
                state=MentionState.CONFIRMED
            ).select_related("actor"),
            to_attr="confirmed_links",
        ),
        "agreement_links__agreement",
        "recommendations",
        "topics",
    )


def _brief_document(brief: Any) -> Document:
    recommendations = " \n".join(
        f"{r.title}. {r.body}" for r in brief.recommendations.all()
    )
    names = [c.person.name for c in brief.contributions.all()]
    names += [link.actor.name for link in getattr(brief, "confirmed_links", [])]
    names += [link.agreement.title for link in brief.agreement_links.all()]
    names += [t.name for t in brief.topics.all()]
    return Document.make(
        brief.pk,
        published_at=brief.published_at,
        title=brief.title,
        summary=brief.summary,
        body=markdown_to_text(brief.body),
        more=markdown_to_text(recommendations),
        names=" \n".join(names),
    )


def _actor_queryset() -> QuerySet:
    from actors.models import Actor

    return Actor.objects.prefetch_related("aliases")


def _actor_document(actor: Any) -> Document:
    return Document.make(
        actor.pk,
        title=actor.name,
        summary=" \n".join(a.alias for a in actor.aliases.all()),
        body=actor.description,
        more=actor.status_note,
    )


def _agreement_queryset() -> QuerySet:
    from actors.models import Agreement

    return Agreement.objects.prefetch_related("parties__actor", "parties__signatory")


def _agreement_document(agreement: Any) -> Document:
    parties = agreement.parties.all()
    names = [p.actor.name for p in parties]
    names += [p.signatory.name for p in parties if p.signatory_id]
    return Document.make(
        agreement.pk,
        title=agreement.title,
        summary=" \n".join(names),
        body=agreement.summary,
        more=agreement.key_terms,
        names=agreement.signed_at,
    )


def _person_queryset() -> QuerySet:
    from briefs.models import Person

    return Person.objects.select_related("affiliation")


def _person_document(person: Any) -> Document:
    affiliation = person.affiliation
    return Document.make(
        person.pk,
        title=person.name,
        summary=f"{affiliation.name} {affiliation.local_name}" if affiliation else "",
        body=person.bio,
    )


BRIEFS = SearchIndex(
    "briefs.Brief",
    "briefs_brief_search",
    _brief_queryset,
    _brief_document,
    has_published_at=True,
    gate=lambda queryset: queryset.published(),
    large=True,
)
ACTORS = SearchIndex(
    "actors.Actor", "actors_actor_search", _actor_queryset, _actor_document
)
AGREEMENTS = SearchIndex(
    "actors.Agreement",
    "actors_agreement_search",
    _agreement_queryset,
    _agreement_document,
)
PEOPLE = SearchIndex(
    "briefs.Person", "briefs_person_search", _person_queryset, _person_document
)
INDEXES = (BRIEFS, ACTORS, AGREEMENTS, PEOPLE)


def index_for(model: type) -> SearchIndex | None:
    label = model._meta.label
    return next((index for index in INDEXES if index.label == label), None)


# --------------------------------------------------------------------------
# Engines
# --------------------------------------------------------------------------


class Engine:
    """The vendor-specific half of search. Subclasses render SQL; callers don't."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    # Index maintenance
    def upsert(self, index: SearchIndex, documents: Sequence[Document]) -> None:
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

    def upsert(self, index: SearchIndex, documents: Sequence[Document]) -> None:
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
            transaction.atomic(using=self.connection.alias),
            self.connection.cursor() as cursor,
        ):
            # The planner does not know that testing a TOASTed tsvector costs
            # a de-compression per row; for a common word it would pick a
            # sequential scan over every document. The GIN index answers
            # plain matches without reading the vectors at all.
            cursor.execute(
                "SELECT current_setting('enable_seqscan'), "
                "current_setting('statement_timeout'), "
                "set_config('enable_seqscan', 'off', true), "
                "set_config('statement_timeout', %s, true)",
                [str(TIME_LIMIT_MS)],
            )
            seqscan, timeout = cursor.fetchone()[:2]
            with _stopped_is_too_broad():
                result = super().ranked_ids(index, query, restrict, need)
            # Inside an outer transaction the settings would outlive this block.
            cursor.execute(
                "SELECT set_config('enable_seqscan', %s, true), "
                "set_config('statement_timeout', %s, true)",
                [seqscan, timeout],
            )
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

    def upsert(self, index: SearchIndex, documents: Sequence[Document]) -> None:
        if not documents:
            return
        self.delete(index, [d.pk for d in documents])
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
        if query.excluded:
            text += " NOT (" + " OR ".join(self._term(t) for t in query.excluded) + ")"
        if columns:
            text = "{" + " ".join(columns) + "} : (" + text + ")"
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
        # highest rowid and stops, so the cut-off rowid is cheap to find, and
        # bm25() then runs on at most `limit` rows.
        sql = f"""
            SELECT rowid, bm25({t}, {weights}) FROM {t}
            WHERE {t} MATCH %s{extra} AND rowid >= coalesce((
                SELECT rowid FROM {t} WHERE {t} MATCH %s{extra}
                ORDER BY rowid DESC LIMIT 1 OFFSET {limit - 1}
            ), 0)
        """
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [match, *extra_params, match, *extra_params])
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
            cursor.executemany(
                "INSERT INTO temp.search_highlight (rowid, w) VALUES (%s, %s)",
                list(enumerate(windows)),
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
def time_limit(using: str = "default", ms: int = TIME_LIMIT_MS) -> Iterator[None]:
    """Stop any query in the block that runs past `ms`: `SearchTooBroad`.

    PostgreSQL: a transaction-local `statement_timeout`. SQLite: a progress
    handler that interrupts the statement once the deadline has passed.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), "
                "set_config('statement_timeout', %s, true)",
                [str(ms)],
            )
            previous = cursor.fetchone()[0]
            with _stopped_is_too_broad():
                yield
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true)", [previous]
            )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        raw = connection.connection
        deadline = time.monotonic() + ms / 1000
        raw.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        try:
            with _stopped_is_too_broad():
                yield
        finally:
            raw.set_progress_handler(None, 0)
    else:
        yield


def get_engine(using: str = "default") -> Engine:
    connection = connections[using]
    if connection.vendor == "postgresql":
        return PostgresEngine(connection)
    if connection.vendor == "sqlite":
        return SQLiteEngine(connection)
    raise NotImplementedError(f"No search engine for {connection.vendor}")


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


@dataclass
class Hit:
    """One result on a results page: the object and its highlighted snippet."""

    object: Any
    snippet: str = ""


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
        # hold a brief scheduled for later.
        visible = set(queryset.filter(pk__in=ids[:need]).values_list("pk", flat=True))
        if len(visible) < min(need, len(ids)):
            visible |= set(
                queryset.filter(pk__in=ids[need:]).values_list("pk", flat=True)
            )
        page_ids = [pk for pk in ids if pk in visible][offset : offset + limit]
        objects = {obj.pk: obj for obj in queryset.filter(pk__in=page_ids)}
        page = [objects[pk] for pk in page_ids if pk in objects]
    else:
        page = list(
            search_queryset(queryset, index, query, _ids=ids)[offset : offset + limit]
        )
    hits = [Hit(obj) for obj in page]
    if snippets and index is BRIEFS:
        add_snippets(hits, query, engine)
    return hits


SNIPPET_CHARACTERS = 280


def _locator(query: Query) -> re.Pattern[str] | None:
    """Where a match probably is in folded text: word starts of the query's
    words, trimmed a little so that English inflections still land ("alliances"
    finds "alliance"). Only picks the window; the engine does the marking."""
    keys = set()
    for group in query.groups:
        for term in group:
            for word in term.words:
                keep = len(word) if term.prefix or len(word) < 6 else len(word) - 2
                keys.add(re.escape(word[:keep]))
    if not keys:
        return None
    return re.compile(
        r"(?<![^\W_])(?:" + "|".join(sorted(keys, key=len, reverse=True)) + ")"
    )


def snippet_window(text: str, locator: re.Pattern[str] | None) -> tuple[int, int]:
    """Original-text offsets of a window of about SNIPPET_CHARACTERS around the
    first probable match (or the opening), cut at spaces."""
    start = 0
    if locator is not None:
        match = locator.search(fold(text))
        if match:
            start = OffsetMap(text).original(match.start())
    start = max(0, start - SNIPPET_CHARACTERS // 3)
    end = min(len(text), start + SNIPPET_CHARACTERS)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 40 else start
    if end < len(text):
        space = text.rfind(" ", end - 40, end)
        end = space if space > start else end
    return start, end


def add_snippets(hits: list[Hit], query: Query, engine: Engine | None = None) -> None:
    """Set `hit.snippet` to safe HTML: the original text, matches in <mark>.

    The window is found in Python on the summary and body (cheap: no engine
    reads the whole document); the engine marks its own matches in the
    window (`ts_headline` / FTS5 `highlight()`), so highlighting follows the
    exact stemming and folding of the search itself, and the marks are mapped
    back onto the original script by `highlight()`.
    """
    if not hits:
        return
    engine = engine or get_engine()
    locator = _locator(query)
    windows = []
    for hit in hits:
        source = f"{hit.object.summary}\n\n{hit.object.body}".strip()
        start, end = snippet_window(source, locator)
        text = markdown_to_text(source[start:end])
        windows.append((text, start > 0, end < len(source)))
    marked = engine.highlight(query, [fold(text) for text, _, _ in windows])
    for hit, (text, cut_start, cut_end), fragment in zip(
        hits, windows, marked, strict=True
    ):
        html_text = highlight(text, fragment)
        hit.snippet = (
            ("… " if cut_start else "") + html_text + (" …" if cut_end else "")
        )


def highlight(original: str, marked: str | None) -> str:
    """Turn an engine's marked copy of `fold(original)` into safe HTML.

    The engine saw only folded text ("vucic"); the reader must see the
    original ("Вучић"). Mark positions are mapped back through `OffsetMap`.
    Every piece of text is escaped; only our own <mark> tags are markup.
    """
    if not original:
        return ""
    spans: list[tuple[int, int]] = []
    position = 0
    pieces: list[str] = []
    for part in re.split(f"({MARK_START}|{MARK_END})", marked or ""):
        if part == MARK_START:
            spans.append((position, position))
        elif part == MARK_END and spans:
            spans[-1] = (spans[-1][0], position)
        else:
            pieces.append(part)
            position += len(part)
    if "".join(pieces) != fold(original):
        return html.escape(original)  # not our text: show it unmarked
    offsets = OffsetMap(original)
    out, cursor = [], 0
    for s, e in spans:
        start, end = offsets.original(s), offsets.original(e)
        if end <= start or start < cursor:
            continue
        out.append(html.escape(original[cursor:start]))
        out.append(f"<mark>{html.escape(original[start:end])}</mark>")
        cursor = end
    out.append(html.escape(original[cursor:]))
    return "".join(out)


@dataclass
class Facets:
    """Counts of the matching published briefs, for the search page."""

    total: int = 0
    kind: list[dict] = field(default_factory=list)
    year: list[dict] = field(default_factory=list)
    topic: list[dict] = field(default_factory=list)
    actor: list[dict] = field(default_factory=list)


def brief_facets(matches: QuerySet) -> Facets:
    """Total and counts by kind, year, topic and (confirmed) actor.

    `matches` is the filtered, public set (`filter_matches` on `published()`).
    Three aggregate queries whatever the number of matches: kinds and years
    come from one grouping, and the total is their sum.
    """
    from collections import Counter

    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from actors.models import Actor
    from briefs.models import BriefKind, MentionState, Topic

    ids = matches.order_by().values("pk")
    rows = (
        matches.model.objects.filter(pk__in=ids)
        .order_by()
        .annotate(year=ExtractYear("publication_date"))
        .values("kind", "year")
        .annotate(n=Count("pk"))
    )
    kinds: Counter = Counter()
    years: Counter = Counter()
    for row in rows:
        kinds[row["kind"]] += row["n"]
        if row["year"] is not None:
            years[row["year"]] += row["n"]
    labels = dict(BriefKind.choices)
    facets = Facets(total=sum(kinds.values()))
    facets.kind = [
        {"value": kind, "label": labels.get(kind, kind), "count": n}
        for kind, n in sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
    ]
    facets.year = [
        {"value": year, "label": str(year), "count": n}
        for year, n in sorted(years.items(), reverse=True)
    ]
    facets.topic = [
        {"value": t.slug, "label": t.name, "count": t.n}
        for t in Topic.objects.filter(briefs__in=ids)
        .annotate(n=Count("briefs"))
        .order_by("-n", "name")[:20]
    ]
    facets.actor = [
        {"value": a.slug, "label": a.name, "count": a.n}
        for a in Actor.objects.filter(
            brief_links__brief__in=ids, brief_links__state=MentionState.CONFIRMED
        )
        .annotate(n=Count("brief_links"))
        .order_by("-n", "name")[:20]
    ]
    return facets
