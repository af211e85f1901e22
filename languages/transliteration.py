"""Serbian between its two scripts: the one transliteration module.

Content, names, search folding and the interface all go through here.

- Cyrillic → Latin is exact: every Serbian Cyrillic letter has one Latin
  spelling (љ → lj, њ → nj, џ → dž); anything else passes through.
- Latin → Cyrillic is not a letter swap. "lj", "nj" and "dž" are usually one
  letter (љ, њ, џ) but two in some words (nadživeti, podžupan, injekcija,
  konjunkcija); words spelt with letters Serbian does not have (q, w, x, y)
  are foreign and kept; the house style's exception list says how other
  foreign names and acronyms are written.
"""

import re
import unicodedata
from collections.abc import Mapping

_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e",
    "ж": "ž", "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj",
    "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "č",
    "џ": "dž", "ш": "š",
}  # fmt: skip
_CYRILLIC_TO_LATIN.update(
    {cyr.upper(): lat.capitalize() for cyr, lat in list(_CYRILLIC_TO_LATIN.items())}
)
_TO_LATIN_TABLE = str.maketrans(_CYRILLIC_TO_LATIN)
# Љ, Њ, Џ beside another capital are written LJ, NJ, DŽ ("ЊЕГОШ" → "NJEGOŠ").
_CAPITAL_DIGRAPH = re.compile(r"(?<=[А-ЯЂЈЉЊЋЏ])[ЉЊЏ]|[ЉЊЏ](?=[А-ЯЂЈЉЊЋЏ])")

_LATIN_TO_CYRILLIC = {lat: cyr for cyr, lat in _CYRILLIC_TO_LATIN.items()}
_LATIN_TO_CYRILLIC.update({"LJ": "Љ", "NJ": "Њ", "DŽ": "Џ"})
# Longest first: a digraph is read before its first letter.
_LATIN_LETTER = re.compile(
    "|".join(sorted(map(re.escape, _LATIN_TO_CYRILLIC), key=len, reverse=True))
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_FOREIGN_LETTERS = re.compile(r"[qwxyQWXY]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04FF]")

# Words (by their lower-case start) where "dž", "nj" or "lj" are two letters:
# a prefix ending in d before ž (nad-, od-, pod-, pred-), and loan words
# with n + j (in-jekcija, kon-junkcija) — the standard lists of the
# Serbian orthography (Pravopis srpskoga jezika, t. 111).
DIGRAPH_EXCEPTIONS = (
    "nadžanj", "nadžet", "nadživ", "nadžnj", "nadžup",
    "odžal", "odžvak", "odživ",
    "podžanr", "podžel", "podžnj", "podžup",
    "predželud", "predživ",
    "injek", "konjug", "konjunk", "vanjezi", "tanjug",
)  # fmt: skip


def to_latin(text: str) -> str:
    """Serbian Cyrillic to Latin, exactly; other characters pass through."""
    if not _CYRILLIC_LETTER.search(text):
        return text
    text = _CAPITAL_DIGRAPH.sub(lambda m: _CYRILLIC_TO_LATIN[m.group()].upper(), text)
    return text.translate(_TO_LATIN_TABLE)


def _letters_to_cyrillic(word: str, split_digraph: bool) -> str:
    if split_digraph:
        # Every letter on its own: "dž" → "дж", "nj" → "нј".
        return "".join(_LATIN_TO_CYRILLIC.get(char, char) for char in word)
    return _LATIN_LETTER.sub(lambda m: _LATIN_TO_CYRILLIC[m.group()], word)


def word_to_cyrillic(word: str, exceptions: Mapping[str, str] | None = None) -> str:
    """One Latin word in Cyrillic, by the rules and the exception list.

    `exceptions` maps a word (any case) to how the house writes it in
    Cyrillic; a value equal to the word keeps it in Latin.
    """
    if exceptions:
        written = exceptions.get(word) or exceptions.get(word.lower())
        if written is not None:
            if written.lower() == word.lower():
                return word
            return _match_case(written, word)
    if _FOREIGN_LETTERS.search(word):
        return word
    lower = word.lower()
    split = lower.startswith(DIGRAPH_EXCEPTIONS)
    return _letters_to_cyrillic(word, split)


def _match_case(written: str, word: str) -> str:
    if word.isupper() and len(word) > 1:
        return written.upper()
    if word[:1].isupper():
        return written[:1].upper() + written[1:]
    return written


def to_cyrillic(text: str, exceptions: Mapping[str, str] | None = None) -> str:
    """Serbian Latin to Cyrillic, word by word (see word_to_cyrillic)."""
    return _WORD.sub(lambda m: word_to_cyrillic(m.group(), exceptions), text)


_FOLD_LATIN = str.maketrans({"đ": "dj", "č": "c", "ć": "c", "š": "s", "ž": "z"})


def fold(text: str) -> str:
    """A script- and diacritic-free form for search: both scripts match alike.

    "Вучић", "Vučić" and "Vucic" all fold to "vucic"; "Đukanović" and
    "Djukanovic" to "djukanovic".
    """
    latin = to_latin(text).lower().translate(_FOLD_LATIN)
    decomposed = unicodedata.normalize("NFKD", latin)
    return "".join(char for char in decomposed if not unicodedata.combining(char))
