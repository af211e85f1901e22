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

import bisect
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


# The house style's own spellings, in code: words the rules would get wrong
# (letters Serbian has not) and the acronyms editors write most, pinned.
# Acronyms of other languages are not here: OSCE is OEBS/ОЕБС in Serbian, a
# translation the editor writes, not a transliteration. Editors extend the
# list in the admin (languages.models.ScriptException).
DEFAULT_EXCEPTIONS: dict[str, str] = {
    "nato": "НАТО",
    "eu": "ЕУ",
    "kfor": "КФОР",
    "eulex": "ЕУЛЕКС",
    "frontex": "Фронтекс",
}


def house_exceptions() -> Mapping[str, str]:
    """The house exception list: the defaults above."""
    return DEFAULT_EXCEPTIONS


# -- Markup: Markdown bodies and rendered HTML, converted around what is not text --

# "Do not transliterate": {=Microsoft=} keeps what is between the marks as
# typed in both scripts. The marks stay in converted Markdown (so a converted
# body converts again the same way); briefs.markdown renders the span as
# <span translate="no">…</span>, which html_to_script, browsers and
# translation tools all leave alone, and the marks never reach a reader.
KEEP_OPEN = "{="
KEEP_CLOSE = "=}"

# Elements whose content is never transliterated: code and machine output.
_CODE_ELEMENTS = frozenset({"code", "pre", "kbd", "samp", "script", "style", "var"})
# Attributes a reader sees (tooltips, text alternatives); every other
# attribute is a name, an address or a value for machines.
_READABLE_ATTRIBUTES = frozenset({"title", "alt", "aria-label"})
_VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
     "source", "track", "wbr"}
)  # fmt: skip

# Addresses, written in Latin in both scripts. Each pattern may only start
# where a run of its characters starts (the look-behinds), so a long word
# costs one attempt, not one per letter.
_ADDRESS = re.compile(
    r"(?<![A-Za-z0-9+.-])(?:[A-Za-z][A-Za-z0-9+.-]{0,20}://|www\.|mailto:)"
    r"[^\s<>\[\]\"'`{}|\\^*]*"
    r"|(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    r"|(?<![\w.@/-])(?:[A-Za-z0-9-]+\.)+"
    r"(?i:com|org|net|int|edu|gov|eu|rs|srb|me|ba|hr|mk|si|info|io)"
    r"(?![\w-])(?:/[^\s<>\[\]\"'`{}|\\^*]*)?"
)
_ADDRESS_TRAILING = ".,:;!?_'\""

_ENTITY = re.compile(
    r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"
)
_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)"
    r"((?:\s+[^\s\"'<>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)"
    r"\s*(/?)>"
)
_ATTRIBUTE = re.compile(
    r"([^\s\"'<>/=]+)(?:(\s*=\s*)(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?"
)
_AUTOLINK = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>"
)
# [^label]: a footnote's label (references and definitions alike).
_FOOTNOTE_LABEL = re.compile(r"\[\^[^\[\]\s]{1,999}\]")
# ](destination: a link's or image's target (its title is text, converted).
_LINK_DESTINATION = re.compile(
    r"\]\(\s*(?:<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)"
)
# [label]: destination, at the start of a line (in a quote or a list too).
_REFERENCE_DEFINITION = re.compile(
    r"(?m)^[ \t>*+-]*\[(?!\^)[^\[\]\n]{1,999}\]:[ \t]*\n?[ \t]*(<[^<>\n]*>|\S+)"
)
_BACKTICKS = re.compile(r"`+")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_MAY_HAVE_CODE_BLOCK = re.compile(r"(?m)```|~~~|^(?: {4}|\t)")
_MARKDOWN_SPECIAL = re.compile(r"[<&`\[\]{\\]")
_HTML_SPECIAL = re.compile(r"[<&]")


class _Finder:
    """`text.find(needle, start)` that remembers its answers: a run of openers
    ("<!--<!--…", "{={=…") looking for one closer scans the text once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: dict[str, tuple[int, int]] = {}  # needle -> (from, at)

    def __call__(self, needle: str, start: int) -> int:
        known = self.found.get(needle)
        if known and known[0] <= start and (known[1] == -1 or known[1] >= start):
            return known[1]
        at = self.text.find(needle, start)
        self.found[needle] = (start, at)
        return at


def _trim_address(text: str, start: int, end: int) -> int:
    """End of an address without the punctuation of the sentence around it."""
    while end > start:
        last = text[end - 1]
        if last in _ADDRESS_TRAILING:
            end -= 1
        elif last == ")" and text.count("(", start, end) < text.count(")", start, end):
            end -= 1
        else:
            break
    return end


def _code_block_spans(text: str) -> list[tuple[int, int]]:
    """Where fenced and indented code blocks are (```compare blocks too), by
    the CommonMark parser itself: an indented line is code or a list's
    continuation depending on what comes before it."""
    if not _MAY_HAVE_CODE_BLOCK.search(text):
        return []
    line_starts = [0]
    line_starts += [m.end() for m in re.finditer("\n", text)]
    line_starts.append(len(text))
    spans = []
    for token in _block_parser().parse(text):
        if token.type in ("fence", "code_block") and token.map:
            first, last = token.map
            start = line_starts[min(first, len(line_starts) - 1)]
            spans.append((start, line_starts[min(last, len(line_starts) - 1)]))
    return spans


_PARSERS: dict[str, object] = {}


def _block_parser():
    parser = _PARSERS.get("block")
    if parser is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.footnote import footnote_plugin

        # As briefs.markdown reads bodies: CommonMark, raw HTML, tables,
        # footnotes, and the same nesting bound (deeper blocks are dropped).
        parser = MarkdownIt("commonmark", {"html": True, "maxNesting": 20})
        parser.enable("table")
        parser.use(footnote_plugin, inline=False)
        _PARSERS["block"] = parser
    return parser


class _Converter:
    """One left-to-right pass over a text: what is text is converted, the rest
    is copied. Linear: every construct is found by a bounded match at its
    first character or by a remembered search, never by rescanning."""

    def __init__(self, text: str, convert, *, markdown: bool) -> None:
        self.text = text
        self.convert = convert
        self.markdown = markdown
        self.find = _Finder(text)
        self.out: list[str] = []
        # Open elements (name, skip) and how many of each name are open.
        self.stack: list[tuple[str, bool]] = []
        self.open_count: dict[str, int] = {}
        self.kept: list[tuple[int, int]] = self._kept_spans()
        if markdown:
            runs = [(m.start(), len(m.group())) for m in _BACKTICKS.finditer(text)]
            self.run_length = dict(runs)
            self.runs_by_length: dict[int, list[int]] = {}
            for start, length in runs:
                self.runs_by_length.setdefault(length, []).append(start)

    def _kept_spans(self) -> list[tuple[int, int]]:
        text = self.text
        spans = []
        for match in _ADDRESS.finditer(text):
            end = _trim_address(text, match.start(), match.end())
            if end > match.start():
                spans.append((match.start(), end))
        if self.markdown:
            spans += _code_block_spans(text)
            if "]:" in text:
                spans += [m.span(1) for m in _REFERENCE_DEFINITION.finditer(text)]
        spans.sort()
        return spans

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def run(self) -> str:
        text, n = self.text, len(self.text)
        special = _MARKDOWN_SPECIAL if self.markdown else _HTML_SPECIAL
        kept = self.kept
        k = 0  # the next kept span
        pos = 0  # where unconverted text starts
        scan = 0  # where to look for the next construct
        breaks = self.markdown and "\n" in text
        next_break = self._next_break(0) if breaks else n
        while scan < n:
            while k < len(kept) and kept[k][0] < scan:
                k += 1
            match = special.search(text, scan)
            at = match.start() if match else n
            if k < len(kept) and kept[k][0] <= at:
                start, end = kept[k]
                self._text(pos, start)
                self.out.append(text[start:end])
                pos = scan = end
                continue
            if at >= n:
                break
            if breaks and at > next_break:
                # Markdown: raw HTML left open ends with its paragraph.
                self.stack.clear()
                self.open_count.clear()
                next_break = self._next_break(at)
            # The text before it first: a tag changes what follows it only.
            # (Every special character is a non-letter: no word is split.)
            self._text(pos, at)
            pos = at
            end, replacement = self._construct(at, next_break)
            if end is None:
                scan = at + 1
                continue
            self.out.append(text[at:end] if replacement is None else replacement)
            pos = scan = end
        self._text(pos, n)
        return "".join(self.out)

    def _next_break(self, start: int) -> int:
        match = _PARAGRAPH_BREAK.search(self.text, start)
        return match.start() if match else len(self.text)

    def _text(self, start: int, end: int) -> None:
        if start < end:
            piece = self.text[start:end]
            self.out.append(piece if self.skipping else self.convert(piece))

    def _construct(self, at: int, paragraph_end: int) -> tuple[int | None, str | None]:
        """(end, replacement or None to copy) of the construct at `at`, or
        (None, None) when the character there starts nothing."""
        text = self.text
        char = text[at]
        if char == "&":
            match = _ENTITY.match(text, at)
            return (match.end(), None) if match else (None, None)
        if char == "<":
            return self._angle(at)
        if char == "\\":  # Markdown escape: the next character is literal
            return (min(at + 2, len(text)), text[at : at + 2])
        if char == "`":
            return self._code_span(at, paragraph_end)
        if char == "[":
            match = _FOOTNOTE_LABEL.match(text, at)
            return (match.end(), None) if match else (None, None)
        if char == "]":
            if text.startswith("](", at):
                return (_LINK_DESTINATION.match(text, at).end(), None)
            return None, None
        if char == "{" and text.startswith(KEEP_OPEN, at):
            close = self.find(KEEP_CLOSE, at + len(KEEP_OPEN))
            if close != -1 and close < paragraph_end:
                return (close + len(KEEP_CLOSE), None)
        return None, None

    def _code_span(self, at: int, paragraph_end: int) -> tuple[int | None, str | None]:
        length = self.run_length.get(at)
        if length is None:  # inside a run whose start was escaped
            return None, None
        starts = self.runs_by_length[length]
        index = bisect.bisect_right(starts, at)
        if index < len(starts) and starts[index] < paragraph_end:
            return (starts[index] + length, None)
        # No closing run: the backticks are literal.
        return (at + length, None)

    def _angle(self, at: int) -> tuple[int | None, str | None]:
        text = self.text
        for opener, closer in (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>")):
            if text.startswith(opener, at):
                close = self.find(closer, at + len(opener))
                return (close + len(closer), None) if close != -1 else (None, None)
        if text.startswith("<!", at):
            close = self.find(">", at + 2)
            return (close + 1, None) if close != -1 else (None, None)
        if self.markdown:
            match = _AUTOLINK.match(text, at)
            if match:
                return (match.end(), None)
        match = _TAG.match(text, at)
        if not match:
            return None, None
        self._element(match)
        return (match.end(), self._tag(match))

    def _element(self, match: re.Match[str]) -> None:
        """Follow which elements are open, and whether their text is kept."""
        closing, name, attributes, self_closing = match.groups()
        name = name.lower()
        if closing:
            if self.open_count.get(name):
                while self.stack:
                    top, _ = self.stack.pop()
                    self.open_count[top] -= 1
                    if top == name:
                        break
            return
        if self_closing or name in _VOID_ELEMENTS:
            return
        skip = self.skipping
        if name in _CODE_ELEMENTS:
            skip = True
        elif attributes and ("lang" in attributes or "translate" in attributes):
            values = {
                a.group(1).lower(): (a.group(3) or a.group(4) or a.group(5) or "")
                for a in _ATTRIBUTE.finditer(attributes)
            }
            if values.get("translate", "").strip().lower() == "no":
                skip = True
            elif "lang" in values:
                skip = not values["lang"].strip().lower().startswith("sr")
        self.stack.append((name, skip))
        self.open_count[name] = self.open_count.get(name, 0) + 1

    def _tag(self, match: re.Match[str]) -> str | None:
        """The tag with its readable attributes converted (None: unchanged)."""
        attributes = match.group(3)
        if not attributes or self.skipping:
            return None
        lowered = attributes.lower()
        if not any(name in lowered for name in _READABLE_ATTRIBUTES):
            return None

        def attribute(a: re.Match[str]) -> str:
            if a.group(1).lower() not in _READABLE_ATTRIBUTES or a.group(2) is None:
                return a.group()
            for group, quote in ((3, '"'), (4, "'"), (5, "")):
                value = a.group(group)
                if value is not None:
                    return f"{a.group(1)}{a.group(2)}{quote}{self._value(value)}{quote}"
            return a.group()

        text = self.text
        start = match.start(3)
        return (
            text[match.start() : start]
            + _ATTRIBUTE.sub(attribute, attributes)
            + text[match.end(3) : match.end()]
        )

    def _value(self, value: str) -> str:
        """An attribute's value converted around its entities."""
        return _Converter(value, self.convert, markdown=False).run()


def _converter(script: str, exceptions: Mapping[str, str] | None):
    from languages import codes

    if script == codes.LATIN:
        return to_latin
    if script != codes.CYRILLIC:
        raise ValueError(f"Unknown script {script!r}: codes.LATIN or codes.CYRILLIC")
    if exceptions is None:
        exceptions = house_exceptions()
    return lambda text: to_cyrillic(text, exceptions)


def markdown_to_script(
    text: str, script: str, exceptions: Mapping[str, str] | None = None
) -> str:
    """A Markdown body in the other script, its markup and addresses kept.

    Converted: the text, link texts and titles, image descriptions, table
    cells, headings, footnote texts, the readable attributes of raw HTML
    (title, alt, aria-label). Kept as written: fenced and indented code blocks
    (```compare blocks included), inline code, URLs, autolinks, e-mail
    addresses and domain names, link destinations and the destinations of
    reference definitions, footnote labels ([^1], [^note]), HTML tags,
    attributes, comments and entities, the content of raw <code>, <pre>,
    <kbd>, <samp> and of elements marked translate="no" or with a lang that
    is not Serbian (in Markdown such an element ends with its paragraph), and
    the spans marked {=like this=} (the marks stay: briefs.markdown renders
    them). Cyrillic to Latin is exact; Latin to Cyrillic goes word by word
    with `exceptions` (None: the house list, `house_exceptions()`).

    `script` is languages.codes.LATIN or languages.codes.CYRILLIC.
    """
    if not text:
        return text
    convert = _converter(script, exceptions)
    return _Converter(text, convert, markdown=True).run()


def html_to_script(
    html: str, script: str, exceptions: Mapping[str, str] | None = None
) -> str:
    """Sanitised HTML in the other script: its text nodes, and the readable
    attributes title, alt and aria-label; never a tag, another attribute or
    an entity. Skipped: <code>, <pre>, <kbd>, <samp>, elements with
    translate="no" (what the {=…=} marks render to) and elements whose lang is
    not Serbian; addresses in the text are kept too. Linear in the input."""
    if not html:
        return html
    convert = _converter(script, exceptions)
    return _Converter(html, convert, markdown=False).run()
