"""Word count and reading time of a brief's text: one definition for every surface.

A word is a run of letters or digits in any script (Python's `\\w` is
Unicode-aware, so Cyrillic, Latin with diacritics and digits all count),
which may join parts with an apostrophe or a hyphen ("don't", "1990-их",
"Bosnia-Herzegovina" count once). Markdown syntax is not counted: heading
marks, table pipes, emphasis, link targets, footnote labels, HTML tags and
fenced blocks (a ```compare block is a table the reader scans, not reads).
"""

import math
import re
from dataclasses import dataclass

# Words a reader reads per minute in a policy text (a common estimate for
# non-fiction, in either language); reading time is rounded up.
WORDS_PER_MINUTE = 200

_FENCED = re.compile(r"^(`{3,}|~{3,}).*?^\1[ \t]*$", re.DOTALL | re.MULTILINE)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_REFERENCE_DEFINITION = re.compile(r"^\s*\[[^\]\n]+\]:\s*\S+.*$", re.MULTILINE)
_FOOTNOTE_LABEL = re.compile(r"\[\^[^\]\s]+\]:?")
_TAG = re.compile(r"<[^>\n]*>")
_URL = re.compile(r"https?://\S+")
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


@dataclass(frozen=True)
class ReadingStats:
    words: int
    minutes: int


def count_words(markdown: str) -> int:
    """How many words a reader reads in `markdown` (see the module docstring)."""
    if not markdown:
        return 0
    text = _FENCED.sub(" ", markdown)
    text = _LINK_TARGET.sub("] ", text)
    text = _FOOTNOTE_LABEL.sub(" ", text)
    text = _REFERENCE_DEFINITION.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _URL.sub(" ", text)
    return len(_WORD.findall(text))


def reading_stats(*texts: str) -> ReadingStats:
    """Words in all of `texts` together and the minutes they take to read."""
    words = sum(count_words(text) for text in texts)
    minutes = math.ceil(words / WORDS_PER_MINUTE) if words else 0
    return ReadingStats(words=words, minutes=minutes)
