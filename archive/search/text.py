"""Normalisation shared by index and query: transliteration, folding, plain text."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable

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


def ascii_fold(text: str) -> str:
    """`fold` keeping case, then ASCII only: for slugs and name matching.

    The one transliteration of the archive: search folds with `fold`, the
    importer makes slugs and compares names with this, so "Петар Ивић",
    "Petar Ivić" and "Petar Ivic" are one name to both. Characters outside
    the folding table that NFKD decomposes (ﬁ, ², full-width letters) become
    ASCII; anything else that is not ASCII is dropped.

    >>> ascii_fold("Ђорђе Љубичић"), ascii_fold("Юрий")
    ('Djordje Ljubicic', 'Jurij')
    """
    latin = unicodedata.normalize("NFKD", fold(text, lower=False))
    return latin.encode("ascii", "ignore").decode()


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


# Labels stop at the next "[" as well as at "]": otherwise every "[" of a run
# such as "[[[[…" scans to the end of the text, which is quadratic.
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_MD_FOOTNOTE = re.compile(r"\[\^[^\[\]\s]+\]:?")
_MD_LINE_MARKUP = re.compile(
    r"(?m)^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+\.[ \t]+)"
)
# A line of only " \t|:-" with a "---" in it. Not `^[ \t|:-]*-{3,}[ \t|:-]*$`:
# that backtracks cubically on a long run of "-" that ends in another letter.
_MD_TABLE_RULE = re.compile(r"(?m)^(?=[^\n]*---)[ \t|:-]+$")
_MD_TAGS = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>")
_MD_INLINE = re.compile(r"[*_`|]+")
_BLANKS = re.compile(r"[ \t]+")
_URL = re.compile(r"https?://\S+")
# {=kept as written=} (languages.transliteration.KEEP_OPEN): the words stay,
# the marks go. An attempt stops at the next "{=", so a run of openers
# without a closer is one scan.
_KEEP_MARKS = re.compile(r"\{=((?:[^=\n{]|=(?!\})|\{(?!=))+)=\}")


def markdown_to_text(text: str) -> str:
    """The words of a Markdown body without its markup, for indexing and snippets."""
    # Each pattern runs only when its marker is present: most windows of a
    # body hold none, and this runs for every search hit.
    if "[" in text:
        text = _MD_FOOTNOTE.sub("", _MD_LINK.sub(r"\1", text))
    if "---" in text:
        text = _MD_TABLE_RULE.sub("", text)
    text = _MD_LINE_MARKUP.sub("", text)
    if "<" in text:
        text = _MD_TAGS.sub(" ", text)
    if "://" in text:
        text = _URL.sub(" ", text)
    if "{=" in text:
        text = _KEEP_MARKS.sub(r"\1", text)
    if any(char in text for char in "*_`|"):
        text = _MD_INLINE.sub(" ", text)
    return _BLANKS.sub(" ", text).strip()
