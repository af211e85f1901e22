"""Normalisation shared by index and query: folding (from languages), plain text."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from languages.transliteration import FOLD_TABLE, ascii_fold, fold

# `fold` and `ascii_fold` live with the transliteration rules
# (languages.transliteration): index, queries, mentions, slugs and name
# matching fold exactly as content is transliterated.
__all__ = ["OffsetMap", "ascii_fold", "fold", "markdown_to_text"]


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
_RESIZING_RE = _char_class(cp for cp, value in FOLD_TABLE.items() if len(value) != 1)


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
            length = len(FOLD_TABLE[ord(match.group())])
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
