"""Find the actors a brief mentions, by name and alias, in any script.

One Aho-Corasick automaton (pyahocorasick, C) holds every actor name and
alias; a scan is one pass over the text whatever the number of aliases. The
automaton is built once per process and rebuilt when the aliases change
(`alias_fingerprint()`: counts, highest ids and the latest actor edit).

Matching rules:

* Text and aliases are folded the same way as search (`archive.search.fold`:
  Cyrillic→Latin, no diacritics, lower case), so "Вучић", "Vučić" and
  "Vucic" are one alias.
* Whole words only: every character that is not a letter or digit becomes a
  space and keys are padded with spaces, so "EU" is not found inside
  "EUFOR" while "NATO-aligned" and "Orbán's" are mentions of NATO and Orbán.
* Case where it matters: an alias flagged `case_sensitive`, or written in
  capitals (an acronym such as "EU" or "US"), must appear with exactly that
  capitalisation ("us" and "Eu" are not mentions).
* Longest match wins where matches overlap: "Kosovo Force" is KFOR, not Kosovo;
  "Republika Srpska" is not also "Srpska".
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import ahocorasick
from django.db.models import Count, Max

from actors.models import Actor, ActorAlias
from archive.search import OffsetMap, fold

# Spaces are left alone (most of the text); every other non-word character
# becomes one.
_NON_WORD = re.compile(r"[^\w ]|_")
_URL = re.compile(r"https?://\S+")


def _words(text: str, *, lower: bool = True) -> str:
    """Folded text with every non-word character turned into a space.

    Length is preserved relative to `fold(text)`, so positions map back to
    the original through `OffsetMap`.
    """
    return _NON_WORD.sub(" ", fold(text, lower=lower))


_SPACES = re.compile(r"  +")


def _squeeze(words: str) -> tuple[str, Callable[[int], int]]:
    """`words` with runs of spaces made one, and a map back to positions in it."""
    starts: list[int] = []  # positions in the squeezed text after each run
    shifts: list[int] = []  # how far back those positions were in `words`
    removed = 0
    for run in _SPACES.finditer(words):
        removed += len(run.group()) - 1
        starts.append(run.end() - removed)
        shifts.append(removed)
    if not starts:
        return words, lambda pos: pos

    def original(pos: int) -> int:
        i = bisect.bisect_right(starts, pos) - 1
        return pos + (shifts[i] if i >= 0 else 0)

    return _SPACES.sub(" ", words), original


@dataclass(frozen=True)
class Mention:
    actor_id: int
    count: int
    first_position: int


@dataclass(frozen=True)
class _Alias:
    actor_id: int
    cased: str  # folded with case kept, for case-sensitive aliases; "" if not
    length: int  # of the folded key without its padding


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return 2 <= len(letters) <= 6 and all(c.isupper() for c in letters)


class MentionScanner:
    """An automaton over aliases: (actor_id, alias, case_sensitive) triples."""

    def __init__(self, aliases: Iterable[tuple[int, str, bool]]) -> None:
        self.automaton = ahocorasick.Automaton()
        entries: dict[str, list[_Alias]] = {}
        for actor_id, alias, case_sensitive in aliases:
            key = " ".join(_words(alias).split())
            if not key:
                continue
            cased = ""
            if case_sensitive or _is_acronym(alias):
                cased = " ".join(_words(alias, lower=False).split())
            entry = _Alias(actor_id, cased, len(key))
            bucket = entries.setdefault(f" {key} ", [])
            if entry not in bucket:
                bucket.append(entry)
        for key, bucket in entries.items():
            self.automaton.add_word(key, tuple(bucket))
        self.size = len(entries)
        if self.size:
            self.automaton.make_automaton()

    def scan(self, text: str) -> dict[int, Mention]:
        """Mentions per actor id: how many, and where the first one starts."""
        mentions: dict[int, list[int]] = {}
        for start, _, actor_id in self.spans(text):
            counts = mentions.setdefault(actor_id, [0, start])
            counts[0] += 1
        return {
            actor_id: Mention(actor_id, count, first)
            for actor_id, (count, first) in mentions.items()
        }

    def spans(self, text: str) -> list[tuple[int, int, int]]:
        """Every mention as (start, end, actor_id), positions in `text`, in order.

        The one matcher: write time counts these (`scan`), render time links
        the first of each actor (publishing.rendering.link_first_mentions).
        """
        if not self.size or not text:
            return []
        text = _URL.sub(lambda m: " " * len(m.group()), text)
        # Runs of spaces (punctuation turned into spaces, "Bosnia & Herzegovina")
        # become one, as in the keys; `squeezed` maps positions back.
        words, squeezed = _squeeze(f" {_words(text)} ")
        cased_words: str | None = None
        offsets = OffsetMap(text)
        found: list[tuple[int, int, int]] = []  # (start, end, actor_id) in `words`
        for end_index, bucket in self.automaton.iter(words):
            # The key is " alias ": the match spans the padding spaces.
            start = end_index - bucket[0].length  # first letter, padded text
            end = end_index  # one past the last letter, padded text
            for alias in bucket:
                if alias.cased:
                    if cased_words is None:
                        cased_words = _squeeze(f" {_words(text, lower=False)} ")[0]
                    if " ".join(cased_words[start:end].split()) != alias.cased:
                        continue
                found.append((start, end, alias.actor_id))
                break
        # Leftmost-longest: drop matches inside a longer one that starts first.
        found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        spans = []
        taken_until = -1
        for start, end, actor_id in found:
            if start < taken_until:
                continue
            taken_until = end
            # -1 undoes the leading pad; OffsetMap undoes folding.
            first = offsets.original(squeezed(start) - 1)
            last = offsets.original(squeezed(end - 1) - 1) + 1
            # Combining marks fold to nothing: keep them with their letter.
            while last < len(text) and unicodedata.combining(text[last]):
                last += 1
            spans.append((first, last, actor_id))
        return spans


def alias_fingerprint() -> tuple:
    """Changes whenever an alias or actor is added, removed or edited.

    Counts and highest ids catch additions and deletions; the actors'
    latest `updated_at` catches edits (the admin saves the actor with its
    alias inline). `ActorAlias` saves also clear the cache directly.
    """
    aliases = ActorAlias.objects.aggregate(n=Count("id"), last=Max("id"))
    actors = Actor.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (aliases["n"], aliases["last"], actors["n"], actors["last"])


_lock = threading.Lock()
_cache: dict[str, tuple[tuple, MentionScanner]] = {}


def build_scanner() -> MentionScanner:
    """Every actor's name and aliases in one automaton."""
    names = Actor.objects.values_list("id", "name")
    aliases = ActorAlias.objects.values_list("actor_id", "alias", "case_sensitive")
    return MentionScanner(
        [(actor_id, name, False) for actor_id, name in names] + list(aliases)
    )


def scanner_for(actors: Iterable[Actor]) -> MentionScanner:
    """A scanner over these actors' names and aliases (prefetched), as above."""
    entries: list[tuple[int, str, bool]] = []
    for actor in actors:
        entries.append((actor.pk, actor.name, False))
        entries += [(actor.pk, a.alias, a.case_sensitive) for a in actor.aliases.all()]
    return MentionScanner(entries)


def get_scanner() -> MentionScanner:
    """The current scanner, rebuilt only when the aliases have changed."""
    fingerprint = alias_fingerprint()
    cached = _cache.get("scanner")
    if cached and cached[0] == fingerprint:
        return cached[1]
    with _lock:
        scanner = build_scanner()
        _cache["scanner"] = (fingerprint, scanner)
    return scanner


def clear_cache() -> None:
    _cache.clear()
