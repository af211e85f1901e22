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
from types import MappingProxyType

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
# A letter Serbian Latin does not have (q, w, x, y, and every letter with
# another language's accent: é, ü, ø, ł…) makes a word foreign: "Washington",
# "Müller", "Orbán" stay as written.
_FOREIGN_LETTERS = re.compile(r"[^a-pr-vzA-PR-VZčćđšžČĆĐŠŽ\u0400-\u04FF]")
# A capital after a small letter is a brand or a name as its owner writes it
# ("iPhone", "McDonald", "PhD"): no Serbian word is spelt so.
_INNER_CAPITAL = re.compile(r"[a-zčćđšž][A-ZČĆĐŠŽ]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04FF]")
# Roman numerals stay Latin in Cyrillic text ("XXI век", "II светски рат").
# Only from two letters up ("I" is the conjunction), and not MI and VI, the
# pronouns, which a heading in capitals has.
_ROMAN_NUMERAL = re.compile(
    r"(?=[MDCLXVI]{2})M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
)
_NOT_NUMERALS = frozenset({"MI", "VI"})

# Word starts (lower case) where "dž" or "nj" are two letters, not one: a
# prefix ending in d before a word that starts with ž (nad-, od-, pod-,
# pred-), and loan words with n + j. Each stem reaches past the pair, so that
# "odžak" (оџак) and "nadžak" (наџак), whose dž is one letter, are not
# caught. Only words of the standard language (Pravopis srpskoga jezika);
# inflected and derived forms follow from the stem.
DIGRAPH_EXCEPTIONS = (
    "nadživ",  # nadživeti, nadživljavati
    "nadžnj", "nadžanj",  # nadžnjeti, nadžanjem
    "odžal",  # odžaliti
    "odživ",  # odživeti, odživljavati
    "podžanr",  # podžanr
    "podželud",  # podželudačni, podželudačna žlezda
    "podžup",  # podžupan, podžupanija
    "predželud",  # predželudac
    "feldžandarm",  # feldžandarm, feldžandarmerija
    "injek",  # injekcija, injektirati
    "konjug",  # konjugacija, konjugovati
    "konjunk",  # konjunkcija, konjunktura, konjunktiv, konjunktivitis
    "vanjezi",  # vanjezički
    "anjon",  # anjon (anion)
    "tanjug",  # Tanjug (TAN-JUG)
)  # fmt: skip


def to_latin(text: str) -> str:
    """Serbian Cyrillic to Latin, exactly; other characters pass through."""
    if not _CYRILLIC_LETTER.search(text):
        return text
    text = _CAPITAL_DIGRAPH.sub(lambda m: _CYRILLIC_TO_LATIN[m.group()].upper(), text)
    return text.translate(_TO_LATIN_TABLE)


def _letters_to_cyrillic(word: str) -> str:
    return _LATIN_LETTER.sub(lambda m: _LATIN_TO_CYRILLIC[m.group()], word)


_PAIR = re.compile("dž|nj")


def _split_at(lower: str) -> int:
    """Where the two letters of a digraph exception part, or 0: after the
    first letter of the stem's first pair ("nad|žnjeti", "in|jekcija"); the
    rest of the word, the stem's other pairs included, follows the rules."""
    if lower.startswith(DIGRAPH_EXCEPTIONS):
        return _PAIR.search(lower).start() + 1  # type: ignore[union-attr]
    return 0


def is_foreign(word: str) -> bool:
    """Whether a Latin word is written as its own language writes it (letters
    Serbian has not, a capital inside: "iPhone") or is a Roman numeral: such
    words stay Latin."""
    if _FOREIGN_LETTERS.search(word) or _INNER_CAPITAL.search(word):
        return True
    return word not in _NOT_NUMERALS and _ROMAN_NUMERAL.fullmatch(word) is not None


def word_to_cyrillic(word: str, exceptions: Mapping[str, str] | None = None) -> str:
    """One Latin word in Cyrillic, by the exception list, then the rules.

    `exceptions` maps a word (lower case; the exact spelling is tried first)
    to how the house writes it in Cyrillic; a value equal to the word keeps
    it in Latin. The case of the word is kept: "NATO" and "Nato" → "НАТО",
    "Njegoš" → "Његош", "NJEGOŠ" → "ЊЕГОШ". A foreign word (see is_foreign)
    is kept; in a word starting with a DIGRAPH_EXCEPTIONS stem the stem's
    first pair is two letters, and only it ("nadžnjeti" → "наджњети").
    """
    if exceptions:
        written = exceptions.get(word) or exceptions.get(word.lower())
        if written is not None:
            if written.lower() == word.lower():
                return word
            return _match_case(written, word)
    if is_foreign(word):
        return word
    split = _split_at(word.lower())
    if split:
        # Converted on each side of the split: "nad" + "žnjeti" → "над" + "жњети".
        return _letters_to_cyrillic(word[:split]) + _letters_to_cyrillic(word[split:])
    return _letters_to_cyrillic(word)


def _match_case(written: str, word: str) -> str:
    if word.isupper() and len(word) > 1:
        return written.upper()
    if word[:1].isupper():
        return written[:1].upper() + written[1:]
    return written


def to_cyrillic(text: str, exceptions: Mapping[str, str] | None = None) -> str:
    """Serbian Latin to Cyrillic, word by word (see word_to_cyrillic).

    Text typed with combining accents (NFD) is composed first, so that "č"
    is one letter whichever way it was typed.
    """
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return _WORD.sub(lambda m: word_to_cyrillic(m.group(), exceptions), text)


# -- Search folding ---------------------------------------------------------

# Letters of other Cyrillic alphabets that appear in names (Macedonian,
# Russian, Ukrainian, Belarusian), for folding only; Serbian's come from
# the table above. "_" is a letter that folds to nothing (ъ, ь).
_OTHER_CYRILLIC = dict(
    zip(
        "ѓќѕйыэюящъьёєіїґў",
        "gj kj dz j y e ju ja šč _ _ e je i ji g u".split(),
        strict=True,
    )
)
_FOLD_CYRILLIC = {
    cyr: lat for cyr, lat in _CYRILLIC_TO_LATIN.items() if cyr.islower()
} | {k: ("" if v == "_" else v) for k, v in _OTHER_CYRILLIC.items()}
_FOLD_CYRILLIC |= {k.upper(): v[:1].upper() + v[1:] for k, v in _FOLD_CYRILLIC.items()}
# Latin letters that do not decompose under NFKD.
_FOLD_SPECIAL = {
    "đ": "dj", "Đ": "Dj", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae",
    "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ß": "ss", "þ": "th", "Þ": "Th", "ð": "d",
    "Ð": "D", "ı": "i", "ħ": "h", "Ħ": "H", "\u00ad": "",
}  # fmt: skip
_FOLD_RANGES = (
    (0x00A0, 0x0250),  # Latin-1 supplement, Latin extended A and B
    (0x0300, 0x0370),  # combining diacritical marks (text typed in NFD)
    (0x0400, 0x0530),  # Cyrillic
    (0x1E00, 0x1F00),  # Latin extended additional
    (0xE000, 0xF900),  # private use: reserved for the search engines' markers
    (0xFB00, 0xFB07),  # Latin ligatures (ﬁ, ﬂ)
)


def _fold_char(char: str) -> str:
    out = []
    for ch in _FOLD_CYRILLIC.get(char, char):
        if ch in _FOLD_SPECIAL:
            out.append(_FOLD_SPECIAL[ch])
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
    return "".join(out)


def _fold_tables() -> tuple[dict[int, str], dict[int, str]]:
    cased: dict[int, str] = {}
    for start, end in _FOLD_RANGES:
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


_FOLD_TABLE_CASED, FOLD_TABLE = _fold_tables()
# FOLD_TABLE: code point → its folded form, for every character that folding
# changes (archive.search maps positions in folded text back through it).
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def fold(text: str, *, lower: bool = True) -> str:
    """A script- and diacritic-free form for search and name matching.

    Cyrillic (Serbian, and the other alphabets' letters names use) becomes
    Latin, diacritics go (č/ć → c, š → s, ž → z, đ → dj), and by default the
    result is lower case: "Вучић", "Vučić" and "Vucic" all fold to "vucic",
    "Ђукановић" and "Djukanović" to "djukanovic". Character by character:
    only a few characters change length (љ → lj, đ → dj, combining marks →
    nothing), which FOLD_TABLE says.
    """
    # Only non-ASCII runs need the table: str.translate with a dict costs a
    # lookup per character, which on mostly-ASCII text is most of the time.
    if lower:
        return _NON_ASCII.sub(lambda m: m.group().translate(FOLD_TABLE), text).lower()
    return _NON_ASCII.sub(lambda m: m.group().translate(_FOLD_TABLE_CASED), text)


def ascii_fold(text: str) -> str:
    """`fold` keeping case, then ASCII only: for slugs and name matching.

    Characters outside the folding table that NFKD decomposes (ﬁ, ²,
    full-width letters) become ASCII; anything else that is not ASCII is
    dropped: "Ђорђе Љубичић" → "Djordje Ljubicic".
    """
    latin = unicodedata.normalize("NFKD", fold(text, lower=False))
    return latin.encode("ascii", "ignore").decode()


# The house style's own spellings, in code: words the rules would get wrong
# (letters Serbian has not) and the acronyms editors write most, pinned.
# Acronyms of other languages are not here: OSCE is OEBS/ОЕБС in Serbian, a
# translation the editor writes, not a transliteration. Editors extend the
# list in the admin (languages.models.ScriptException).
DEFAULT_EXCEPTIONS: dict[str, str] = {
    "NATO": "НАТО",
    "EU": "ЕУ",
    "KFOR": "КФОР",
    "EULEX": "ЕУЛЕКС",
    "Frontex": "Фронтекс",
}


# This process's copy of the merged list and the content generation it was
# read in (kernel.pagecache): saving an exception records a change
# (languages/apps.py), whose after-commit step retires the generation in
# every process and clears this copy at once in the one that saved it.
_house: dict[str, object] = {"generation": None, "exceptions": None}


def house_exceptions() -> Mapping[str, str]:
    """The house exception list: DEFAULT_EXCEPTIONS, then the editors' own
    (languages.models.ScriptException, which win), by lower-case Latin word.

    Read once per content generation and process: one query after each
    committed change anywhere, none otherwise (a GET reads, never writes).
    """
    from kernel.pagecache import current_generation
    from languages.models import ScriptException

    generation = current_generation()
    if _house["generation"] == generation and _house["exceptions"] is not None:
        return _house["exceptions"]  # type: ignore[return-value]
    merged = {latin.lower(): cyrillic for latin, cyrillic in DEFAULT_EXCEPTIONS.items()}
    merged.update(
        (latin.lower(), cyrillic)
        for latin, cyrillic in ScriptException.objects.values_list("latin", "cyrillic")
    )
    exceptions = MappingProxyType(merged)
    _house["generation"], _house["exceptions"] = generation, exceptions
    return exceptions


def forget_house_exceptions(ids: object = None) -> None:
    """Drop this process's copy (a kernel.changes handler: `ids` unused)."""
    _house["generation"] = _house["exceptions"] = None


def is_word(text: str) -> bool:
    """Whether `text` is one word as the conversion reads words: letters only."""
    return _WORD.fullmatch(text) is not None


def has_cyrillic(text: str) -> bool:
    return _CYRILLIC_LETTER.search(text) is not None


def is_cyrillic_word(text: str) -> bool:
    """Letters of the Serbian Cyrillic alphabet only."""
    return all(char in _CYRILLIC_TO_LATIN for char in text) and bool(text)


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
