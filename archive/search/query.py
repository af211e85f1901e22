"""Parsing what a reader typed into a `Query` both engines can run."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from archive.search.text import fold

# The one limit on search text, for the site's search page, every API `q`
# filter (actors/filters.py) and the parser: longer is not a search but a
# slow query or a probe. Partners see it in the API schema and docs/api.md.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MIN_PREFIX_LENGTH = 3


class InvalidQuery(ValueError):
    """A query the reader must change (too long, too many terms): a 400."""


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
            _("Search queries are limited to %(limit)d characters.")
            % {"limit": MAX_QUERY_LENGTH}
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
            raise InvalidQuery(
                _("Search for at most %(limit)d words or phrases.")
                % {"limit": MAX_TERMS}
            )
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
