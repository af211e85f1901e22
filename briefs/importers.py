"""Import a brief written as plain text: decode → parse (pure) → upsert (atomic).

About 1,000 lines, above the house's ~800: the parser (pure functions over the
text) and the writer share the dataclasses and the name matching; the parse
half is the natural first split (`briefs/parsing.py`) when it next grows.

The institute's word processor exports a brief as UTF-8 text, one block per line:

    Title of the brief                       the first line
    Section heading                          short, no full stop, then a paragraph
    A paragraph, one per line.
    Column | Column | Column |               a pipe table: header row, an optional
    ---|---|---|                             ---|--- separator, then rows; empty
    Row | cell | |                           cells stay empty
    Recommendations for Policy Makers        its lines become Recommendation rows,
    Short title: text of the recommendation. not body text
    Date:                                    the trailing blocks: a date, then
    May 21, 2025                             "Name, Affiliation" lines
    Authors:
    Name, Affiliation
    Researchers:
    Name, Affiliation
    © … All rights reserved.                 the footer: its rights statement sets
    address lines                            the licence; the rest is dropped

`parse_brief` turns that text into a `ParsedBrief` without touching the database,
so every layout rule is unit-tested on plain strings. `import_brief` writes a
`ParsedBrief` in one transaction, matching people and institutions by slug so
that importing the same file twice changes nothing. Anything the parser cannot
understand raises `BriefImportError` naming the line, before anything is written.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.text import slugify

from archive.search import ascii_fold
from briefs.hooks import brief_imported
from briefs.models import (
    BODY_MAX_CHARS,
    CONTENT_FROZEN,
    RECOMMENDATION_BODY_MAX_CHARS,
    Brief,
    Contribution,
    Institution,
    Licence,
    Person,
    Recommendation,
    Role,
    Status,
)
from briefs.services import refresh_brief


class BriefImportError(ValueError):
    """The file is not a brief this importer understands; nothing was written.

    `line` is the 1-based line the problem was found on, or None when it is not
    about one line (an unreadable file, a database-level conflict).
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}" if line is not None else message)


@dataclass(frozen=True)
class ParsedTable:
    line: int
    header: list[str]
    rows: list[list[str]]
    # One entry per column: None, "left", "right" or "center" (from `:---:`).
    align: list[str | None]


@dataclass(frozen=True)
class ParsedRecommendation:
    title: str
    body: str
    line: int = 0


@dataclass(frozen=True)
class ParsedContributor:
    name: str
    affiliation: str  # "" when the line names nobody's institution
    role: str  # a briefs.models.Role value
    line: int = 0


@dataclass(frozen=True)
class ParsedBrief:
    title: str
    publication_date: datetime.date
    body: str  # Markdown, without recommendations, credits or footer
    sections: list[str]
    recommendations: list[ParsedRecommendation]
    contributors: list[ParsedContributor]
    tables: list[ParsedTable] = field(default_factory=list)
    # Things the parser repaired and a human may want to check ("line 65: …").
    warnings: list[str] = field(default_factory=list)
    # What the footer says of rights: a briefs.models.Licence value, or None
    # when it says nothing (see `read_licence`), and the words it says it in.
    licence: str | None = None
    rights_statement: str = ""


# --- Names and slugs -------------------------------------------------------

# Transliteration is defined once, with search's folding (archive/search/text.py):
# a name written in Cyrillic gets the same slug as its Latin spelling
# ("Петар Ивић" → "petar-ivic"), and search finds it by either.


def ascii_slug(value: str, *, max_length: int = 200) -> str:
    """The slug people, institutions and briefs are matched by on re-import."""
    return slugify(ascii_fold(value))[:max_length].strip("-")


def _normalise_name(value: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_fold(value).lower()).split())


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (limit + 1) as soon as it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(
                    previous[j] + 1,
                    current[j - 1] + 1,
                    previous[j - 1] + (char_a != char_b),
                )
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def name_distance(a: str, b: str) -> int | None:
    """How far apart two institution names are, or None if they are different names.

    Case, accents, script and punctuation never count. Beyond that, a typo of
    up to two letters is tolerated in names longer than 10 characters and one
    letter in names of 6 to 10; short names (acronyms) must match exactly, and
    names whose numbers differ ("Institute 4", "Institute 5") never match.
    People are deliberately not matched this way: "Ana Ilić" and "Ana Ivić"
    are one letter apart and two different people.
    """
    norm_a, norm_b = _normalise_name(a), _normalise_name(b)
    if norm_a == norm_b:
        return 0
    if re.findall(r"\d+", norm_a) != re.findall(r"\d+", norm_b):
        return None
    shorter = min(len(norm_a), len(norm_b))
    limit = 2 if shorter > 10 else 1 if shorter > 5 else 0
    distance = _edit_distance(norm_a, norm_b, limit)
    return distance if distance <= limit else None


def names_match(a: str, b: str) -> bool:
    return name_distance(a, b) is not None


# --- Decoding --------------------------------------------------------------

# C0 controls other than tab, newline, vertical tab, form feed and carriage
# return never occur in text a word processor exports.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode_brief(data: bytes) -> str:
    """UTF-8 text from the file's bytes; binary and non-UTF-8 files are rejected."""
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise BriefImportError(
            "the file contains NUL bytes: it is binary (or UTF-16), not UTF-8 text",
            line=line,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise BriefImportError(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be "
            "decoded); save it as UTF-8",
            line=line,
        ) from exc
    return text


# --- Parsing ---------------------------------------------------------------

# A file holds the body plus recommendations and credits; anything this long
# is refused before parsing (the body itself is held to BODY_MAX_CHARS).
IMPORT_MAX_CHARS = 2 * BODY_MAX_CHARS
MAX_HEADING_CHARS = 100
MAX_HEADING_WORDS = 14
MAX_RECOMMENDATION_TITLE_CHARS = 150
MAX_RECOMMENDATION_TITLE_WORDS = 20

_RECOMMENDATIONS_HEADING = re.compile(r"^(policy\s+)?recommendations?\b", re.I)
_DATE_LABEL = re.compile(r"^date\s*:\s*(?P<value>.{0,40})$", re.I)
_PEOPLE_LABEL = re.compile(
    r"^(?P<label>authors?|researchers?|editors?|translators?)\s*:\s*$", re.I
)
_PEOPLE_ROLES = {
    "author": Role.AUTHOR,
    "researcher": Role.RESEARCHER,
    "editor": Role.EDITOR,
    "translator": Role.TRANSLATOR,
}
# Strict on purpose: a paragraph may well begin "Copyright law …" or "(c) the
# third option …".
_COPYRIGHT = re.compile(
    r"^(©|\(c\)\s*\d{4}|copyright\s*(©|\(c\)|\d{4})|all rights reserved)", re.I
)
# A footer line that grants a licence. Only looked for once the credits have
# begun, so a paragraph about licensing in the body is never taken for one.
_LICENCE_LINE = re.compile(
    r"^(licen[cs]ed\s+under|licen[cs]e\s*:|creative\s+commons|cc[\s-]*(by|0)\b"
    r"|(this|the)\s+(brief|work|publication|paper|text)\b.{0,40}\blicen[cs]ed\b)",
    re.I,
)
_TABLE_SEPARATOR_CELL = re.compile(r"^:?-+:?$")
_ALIGNMENTS = {
    (False, False): None,
    (True, False): "left",
    (False, True): "right",
    (True, True): "center",
}
# A full stop, comma, colon, semicolon, ellipsis or exclamation mark ends a
# sentence or a clause; a heading ends in a letter, a digit or a question mark.
_TERMINAL_PUNCTUATION = ".,:;!…"
_CLOSING_QUOTES = "\"'”’»)]"
# "Source: SIPRI" under a table is a note, not a heading, even in title case.
_NOTE_LABELS = {"source", "sources", "note", "notes", "figure", "table", "chart"}
_DATE_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y-%m-%d",
    "%d.%m.%Y",
)


@dataclass
class _Block:
    line: int
    text: str
    table: ParsedTable | None = None


def _is_label(text: str) -> bool:
    return bool(_DATE_LABEL.match(text) or _PEOPLE_LABEL.match(text))


def _is_title_case(text: str) -> bool:
    """Every word of four letters or more starts with a capital."""
    return all(word[0].isupper() for word in re.findall(r"[^\W\d_]{4,}", text))


def looks_like_heading(text: str) -> bool:
    """Whether a line, on its own, has the shape of a section heading.

    A heading is short (at most 100 characters and 14 words), starts with a
    capital, a digit or a quote, and does not end like a sentence or clause: a
    question mark is allowed ("Did NATO Disappear?"), a full stop, comma, colon,
    semicolon or exclamation mark is not. A line of the form "Label: text" is a
    heading only when the text after the colon is in title case ("Serbia: Between
    East and West"), so a run-in paragraph ("Kosovo: As a young actor …") that
    happens to be short is not, and neither are notes ("Source: …").
    `is_heading` in `_parse_body` also requires a paragraph or table to follow.
    """
    if len(text) > MAX_HEADING_CHARS or len(text.split()) > MAX_HEADING_WORDS:
        return False
    if "|" in text or _is_label(text) or _COPYRIGHT.match(text):
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in '"“‘«'):
        return False
    stripped = text.rstrip(_CLOSING_QUOTES)
    if not stripped or stripped[-1] in _TERMINAL_PUNCTUATION:
        return False
    label, colon, rest = text.partition(":")
    if colon and rest.strip():
        return label.strip().casefold() not in _NOTE_LABELS and _is_title_case(rest)
    return True


def _split_recommendation(text: str) -> tuple[str, str] | None:
    """("Short title", "text") for a "Short title: text" line, else None.

    The title must read like one: short, and no sentence break inside it, so a
    paragraph such as "Talks stalled in 2020. The result: …" is not mistaken
    for a titled recommendation.
    """
    # Not a regex: `^([^:]+?)\s*:\s+` backtracks quadratically over a long
    # run of spaces.
    title, colon, rest = text.partition(":")
    title, body = title.strip(), rest.strip()
    if not (colon and title and body and rest[:1].isspace()):
        return None
    if (
        len(title) > MAX_RECOMMENDATION_TITLE_CHARS
        or len(title.split()) > MAX_RECOMMENDATION_TITLE_WORDS
        or re.search(r"[.!?]\s", title)
        or title[-1] in _TERMINAL_PUNCTUATION
    ):
        return None
    return title, body


def _split_cells(row: str, *, leading: bool, trailing: bool) -> list[str]:
    row = row.strip()
    if leading and row.startswith("|"):
        row = row[1:]
    if trailing and row.endswith("|"):
        row = row[:-1]
    return [cell.strip() for cell in row.split("|")]


def _parse_table(rows: list[tuple[int, str]]) -> ParsedTable:
    """A pipe table from consecutive lines that contain `|`.

    Whether rows begin or end with a pipe is read from the header row, so
    "Total Troops | ||" under a header ending in "|" is three cells, the last
    two empty. Empty cells stay empty. A row with fewer cells is padded with
    empty ones; a row with more would lose data, so it is rejected.
    """
    header_line, header_text = rows[0]
    leading = header_text.startswith("|")
    trailing = header_text.endswith("|")
    header = _split_cells(header_text, leading=leading, trailing=trailing)
    if len(header) < 2 or not all(header):
        raise BriefImportError(
            "a table's first row must name every column (Category | A | B |)",
            line=header_line,
        )
    align: list[str | None] = [None] * len(header)
    body_rows = rows[1:]
    if body_rows:
        cells = _split_cells(body_rows[0][1], leading=leading, trailing=trailing)
        if all(_TABLE_SEPARATOR_CELL.match(cell) for cell in cells):
            for index, cell in enumerate(cells[: len(header)]):
                align[index] = _ALIGNMENTS[cell.startswith(":"), cell.endswith(":")]
            body_rows = body_rows[1:]
    parsed_rows = []
    for line, text in body_rows:
        cells = _split_cells(text, leading=leading, trailing=trailing)
        if len(cells) > len(header):
            raise BriefImportError(
                f"this table row has {len(cells)} cells but the header has "
                f"{len(header)} columns",
                line=line,
            )
        parsed_rows.append(cells + [""] * (len(header) - len(cells)))
    return ParsedTable(line=header_line, header=header, rows=parsed_rows, align=align)


# Markdown syntax that plain text must not trigger: emphasis, code, links and
# footnotes inline; headings, quotes, lists and rules at the start of a line.
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]])")
_LINE_START_SPECIALS = re.compile(r"^(#|>|[-+](?=\s|$)|\d+(?=[.)]\s))")


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that renders back to exactly that text."""
    text = _INLINE_SPECIALS.sub(r"\\\1", text)
    # An entity written out ("&amp;") or a tag ("<b>") is text here, not markup.
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text).replace("<", "&lt;")
    match = _LINE_START_SPECIALS.match(text)
    if match:
        end = match.end()
        if text[end : end + 1] in {".", ")"}:  # "1. " → "1\. "
            return text[:end] + "\\" + text[end:]
        return "\\" + text
    return text


def _table_markdown(table: ParsedTable) -> str:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(escape_markdown(cell) for cell in cells) + " |"

    markers = {None: "---", "left": ":---", "right": "---:", "center": ":---:"}
    lines = [row(table.header), row([markers[a] for a in table.align])]
    lines.extend(row(cells) for cells in table.rows)
    return "\n".join(lines)


def _group_blocks(lines: list[tuple[int, str]]) -> list[_Block]:
    """Single lines, except runs of two or more lines with `|`: those are tables."""
    blocks: list[_Block] = []
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and "|" in lines[end][1]:
            end += 1
        if end - index >= 2:
            table = _parse_table(lines[index:end])
            blocks.append(_Block(line=lines[index][0], text="", table=table))
            index = end
        else:
            blocks.append(_Block(line=lines[index][0], text=lines[index][1]))
            index += 1
    return blocks


def _parse_body(
    lines: list[tuple[int, str]],
) -> tuple[str, list[str], list[ParsedTable], list[ParsedRecommendation]]:
    blocks = _group_blocks(lines)

    def is_heading(index: int) -> bool:
        # Shape alone is not enough: a heading introduces something, so the
        # next block must be a table or a line that is not heading-shaped.
        block = blocks[index]
        if block.table or not looks_like_heading(block.text):
            return False
        if index + 1 == len(blocks):
            return False
        following = blocks[index + 1]
        return following.table is not None or not looks_like_heading(following.text)

    parts: list[str] = []
    sections: list[str] = []
    tables: list[ParsedTable] = []
    recommendations: list[dict] = []
    recommendations_heading: int | None = None
    in_recommendations = False
    for index, block in enumerate(blocks):
        if in_recommendations and block.table is None:
            split = _split_recommendation(block.text)
            if split:
                title, body = split
                recommendations.append(
                    {"title": title, "body": body, "line": block.line}
                )
                continue
        if (
            block.table is None
            and looks_like_heading(block.text)
            and _RECOMMENDATIONS_HEADING.match(block.text)
        ):
            in_recommendations = True
            recommendations_heading = block.line
            continue
        if is_heading(index):
            in_recommendations = False
            sections.append(block.text)
            parts.append("## " + escape_markdown(block.text))
            continue
        if in_recommendations:
            if block.table is not None:
                raise BriefImportError(
                    "a table inside the recommendations is not supported; move it "
                    "into a section above them",
                    line=block.line,
                )
            if not recommendations:
                raise BriefImportError(
                    "expected a recommendation written as 'Short title: text', "
                    f"found {_quote(block.text)}",
                    line=block.line,
                )
            # A second paragraph of the same recommendation.
            recommendations[-1]["body"] += "\n\n" + block.text
            continue
        if block.table is not None:
            tables.append(block.table)
            parts.append(_table_markdown(block.table))
        else:
            parts.append(escape_markdown(block.text))
    if recommendations_heading is not None and not recommendations:
        raise BriefImportError(
            "the recommendations heading is followed by no 'Short title: text' lines",
            line=recommendations_heading,
        )
    body = "\n\n".join(parts) + "\n" if parts else ""
    return (
        body,
        sections,
        tables,
        [ParsedRecommendation(**item) for item in recommendations],
    )


def _quote(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _parse_date(value: str, line: int) -> datetime.date:
    cleaned = " ".join(value.replace(",", ", ").split()).replace(" ,", ",")
    cleaned = cleaned.rstrip(".")
    for date_format in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(cleaned, date_format).date()
        except ValueError:
            continue
    raise BriefImportError(
        f"{_quote(value)} is not a date; write it like 'May 21, 2025' or '2025-05-21'",
        line=line,
    )


def _parse_credits(
    lines: list[tuple[int, str]],
) -> tuple[datetime.date, list[ParsedContributor]]:
    """The trailing Date:/Authors:/Researchers: blocks, up to the footer.

    A line in a people block whose name part has a digit is an address: the
    footer starts there, as long as no further block follows it.
    """
    date: datetime.date | None = None
    date_label: int | None = None
    blocks: dict[str, tuple[int, str, list[ParsedContributor]]] = {}
    current: str | None = None
    for index, (line, text) in enumerate(lines):
        if match := _DATE_LABEL.match(text):
            if date_label is not None:
                raise BriefImportError("a second 'Date:' block", line=line)
            date_label, current = line, "date"
            if match["value"].strip():
                date = _parse_date(match["value"], line)
            continue
        if match := _PEOPLE_LABEL.match(text):
            label = match["label"]
            role = _PEOPLE_ROLES[label.lower().rstrip("s")]
            if role in blocks:
                raise BriefImportError(f"a second '{label}:' block", line=line)
            blocks[role] = (line, label, [])
            current = role
            continue
        if current == "date":
            if date is not None:
                raise BriefImportError(
                    f"unexpected {_quote(text)} after the date; the 'Date:' block "
                    "holds one date",
                    line=line,
                )
            date = _parse_date(text, line)
            continue
        assert current is not None  # the credits start at a label line
        name, _, affiliation = (part.strip() for part in text.partition(","))
        if re.search(r"\d", name):
            if any(_is_label(later) for _, later in lines[index + 1 :]):
                raise BriefImportError(
                    f"{_quote(text)} is not a 'Name, Affiliation' line", line=line
                )
            break
        if len(name) > 200 or len(affiliation) > 200:
            raise BriefImportError(
                "a name or affiliation is longer than 200 characters", line=line
            )
        if not re.search(r"[^\W\d_]", name):
            raise BriefImportError(
                f"{_quote(text)} does not start with a name", line=line
            )
        people = blocks[current][2]
        if any(ascii_slug(p.name) == ascii_slug(name) for p in people):
            raise BriefImportError(
                f"{name} is listed twice in the same block", line=line
            )
        people.append(
            ParsedContributor(
                name=name, affiliation=affiliation, role=current, line=line
            )
        )
    first_line = lines[0][0]
    if date_label is None:
        raise BriefImportError(
            "the 'Date:' block is missing: the credits must include 'Date:' and "
            "the date on the next line",
            line=first_line,
        )
    if date is None:
        raise BriefImportError(
            "'Date:' is not followed by a date such as 'May 21, 2025'",
            line=date_label,
        )
    if Role.AUTHOR not in blocks:
        raise BriefImportError(
            "the 'Authors:' block is missing: a brief names at least one author",
            line=first_line,
        )
    for label_line, label, people in blocks.values():
        if not people:
            raise BriefImportError(
                f"the '{label}:' block lists no names; write one "
                "'Name, Affiliation' per line",
                line=label_line,
            )
    # Credits in the order the file gives them, block by block.
    ordered = sorted(blocks.values(), key=lambda block: block[0])
    return date, [person for _, _, people in ordered for person in people]


def _canonical_affiliations(
    contributors: list[ParsedContributor],
) -> tuple[list[ParsedContributor], list[str]]:
    """One spelling per institution: a misspelt affiliation takes the usual one.

    Spellings within `name_distance` of each other are one institution; the
    most frequent spelling wins (the earliest on a tie).
    """
    counts = Counter(c.affiliation for c in contributors if c.affiliation)
    spellings = sorted(counts, key=lambda name: -counts[name])  # stable: earliest
    canonical: dict[str, str] = {}
    for spelling in spellings:
        canonical[spelling] = next(
            (
                chosen
                for chosen in dict.fromkeys(canonical.values())
                if names_match(spelling, chosen)
            ),
            spelling,
        )
    result, warnings = [], []
    for contributor in contributors:
        name = canonical.get(contributor.affiliation, "")
        if name != contributor.affiliation:
            warnings.append(
                f"line {contributor.line}: read the affiliation "
                f"{contributor.affiliation!r} as {name!r}"
            )
        result.append(
            ParsedContributor(
                name=contributor.name,
                affiliation=name,
                role=contributor.role,
                line=contributor.line,
            )
        )
    return result, warnings


# Creative Commons 4.0 licences by the elements they combine, in the words
# of their short (by-nc-sa) and long (Attribution-NonCommercial-ShareAlike)
# names; anything else named "Creative Commons" is refused, not guessed.
_CC_LICENCES = {
    frozenset(): Licence.CC_BY,
    frozenset({"sa"}): Licence.CC_BY_SA,
    frozenset({"nc"}): Licence.CC_BY_NC,
    frozenset({"nc", "sa"}): Licence.CC_BY_NC_SA,
    frozenset({"nd"}): Licence.CC_BY_ND,
    frozenset({"nc", "nd"}): Licence.CC_BY_NC_ND,
}
_CC_ELEMENTS = {
    "nc": re.compile(r"\bnc\b|non-?\s?commercial", re.I),
    "nd": re.compile(r"\bnd\b|no-?\s?deriv", re.I),
    "sa": re.compile(r"\bsa\b|share-?\s?alike", re.I),
}
_CC_NAMED = re.compile(r"creative\s+commons|\bcc[\s-]*(by|0)\b", re.I)
_RESERVED = re.compile(r"all\s+rights\s+reserved|sva\s+prava\s+zadrzana", re.I)


def read_licence(statement: str, *, line: int | None = None) -> str | None:
    """The Licence a footer's rights statement states, or None if it states none.

    A Creative Commons 4.0 licence when the statement names one ("CC BY 4.0",
    "Creative Commons Attribution-NonCommercial 4.0 International"); all
    rights reserved when it says so in English or Serbian (either script),
    or gives a copyright notice and no licence, which is what the law makes
    of a bare "©". A Creative Commons licence the archive does not offer
    (another version, CC0) is refused with BriefImportError rather than
    recorded as something it is not.

    >>> read_licence("© 2024 Пупин Иницијатива. Сва права задржана.")
    'all-rights-reserved'
    >>> read_licence("Licensed under CC BY-NC 4.0.")
    'CC-BY-NC-4.0'
    """
    text = ascii_fold(statement)
    if _CC_NAMED.search(text):
        version = re.search(r"\b(\d\.\d)\b", text)
        if re.search(r"\bcc[\s-]*0\b|public\s+domain", text, re.I) or (
            version and version[1] != "4.0"
        ):
            raise BriefImportError(
                f"the footer names a licence the archive does not offer "
                f"({_quote(statement)}); it records Creative Commons 4.0 "
                "licences and all rights reserved",
                line=line,
            )
        elements = frozenset(
            name for name, pattern in _CC_ELEMENTS.items() if pattern.search(text)
        )
        licence = _CC_LICENCES.get(elements)
        if licence is None:
            raise BriefImportError(
                f"the footer's licence is not one Creative Commons offers "
                f"({_quote(statement)})",
                line=line,
            )
        return licence
    if _RESERVED.search(text) or _COPYRIGHT.match(statement.strip()):
        return Licence.ALL_RIGHTS_RESERVED
    return None


def parse_brief(text: str) -> ParsedBrief:
    """Read a brief in the plain-text layout described at the top of this module.

    Pure: no database access. Raises BriefImportError naming the line of the
    first thing it cannot understand.
    """
    if len(text) > IMPORT_MAX_CHARS:
        raise BriefImportError(
            f"the file has {len(text):,} characters; a brief file may have at most "
            f"{IMPORT_MAX_CHARS:,}"
        )
    raw_lines = text.removeprefix("\ufeff").split("\n")
    numbered: list[tuple[int, str]] = []
    footer: list[tuple[int, str]] = []
    in_credits = False
    for number, raw in enumerate(raw_lines, 1):
        if match := _CONTROL.search(raw):
            raise BriefImportError(
                f"control character U+{ord(match.group()):04X} in the text: "
                "the file is binary or damaged",
                line=number,
            )
        line = raw.strip()
        if not line:
            continue
        if footer:
            footer.append((number, line))
            continue
        in_credits = in_credits or _is_label(line)
        if numbered and (
            _COPYRIGHT.match(line) or (in_credits and _LICENCE_LINE.match(line))
        ):
            # The footer: copyright or licence, then addresses.
            footer.append((number, line))
            continue
        numbered.append((number, line))
    if not numbered:
        raise BriefImportError("the file is empty", line=1)

    title_line, title = numbered[0]
    stripped = title.rstrip(_CLOSING_QUOTES)
    if (
        "|" in title
        or _is_label(title)
        or len(title) > Brief._meta.get_field("title").max_length
        or stripped[-1:] in {".", ",", ":", ";"}
    ):
        raise BriefImportError(
            "expected the brief's title (a line without a full stop), found "
            f"{_quote(title)}",
            line=title_line,
        )
    if not ascii_slug(title):
        raise BriefImportError(
            "the title has no letters or digits to make an address from",
            line=title_line,
        )

    rest = numbered[1:]
    credits_start = next(
        (index for index, (_, line) in enumerate(rest) if _is_label(line)), None
    )
    if credits_start is None:
        last_line = numbered[-1][0]
        raise BriefImportError(
            "the 'Date:' block is missing: a brief ends with 'Date:', the date, "
            "then 'Authors:' and one 'Name, Affiliation' per line",
            line=last_line,
        )
    body, sections, tables, recommendations = _parse_body(rest[:credits_start])
    if not body:
        raise BriefImportError(
            "there is no text between the title and the credits", line=title_line + 1
        )
    if len(body) > BODY_MAX_CHARS:
        raise BriefImportError(
            f"the text between the title and the credits is {len(body):,} "
            f"characters once written as Markdown; a brief's body may have at most "
            f"{BODY_MAX_CHARS:,}",
            line=title_line + 1,
        )
    for recommendation in recommendations:
        if len(recommendation.body) > RECOMMENDATION_BODY_MAX_CHARS:
            raise BriefImportError(
                f"this recommendation's text is {len(recommendation.body):,} "
                "characters; a recommendation may have at most "
                f"{RECOMMENDATION_BODY_MAX_CHARS:,}",
                line=recommendation.line,
            )
    publication_date, contributors = _parse_credits(rest[credits_start:])
    contributors, warnings = _canonical_affiliations(contributors)
    # The rights statement: the footer's copyright and licence lines (not its
    # addresses).
    rights_statement = " ".join(
        line
        for index, (_, line) in enumerate(footer)
        if index == 0
        or _COPYRIGHT.match(line)
        or _LICENCE_LINE.match(line)
        or _RESERVED.search(ascii_fold(line))
    )
    licence = read_licence(rights_statement, line=footer[0][0] if footer else None)
    return ParsedBrief(
        title=title,
        publication_date=publication_date,
        body=body,
        sections=sections,
        recommendations=recommendations,
        contributors=contributors,
        tables=tables,
        warnings=warnings,
        licence=licence,
        rights_statement=rights_statement if licence else "",
    )


# --- Writing ---------------------------------------------------------------


@dataclass
class ImportResult:
    brief: Brief
    created: bool
    dry_run: bool = False
    people_created: int = 0
    people_matched: int = 0
    institutions_created: int = 0
    institutions_matched: int = 0
    contributions: int = 0
    recommendations: int = 0
    sections: int = 0
    tables: int = 0
    warnings: list[str] = field(default_factory=list)
    # What an editor must still do (write the summary...): the import is not
    # refused for it, and the editorial checks ask for it again at publishing.
    to_do: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the command (or an admin message) to show."""
        action = "Created" if self.created else "Updated"
        state = " as a draft" if self.created else ""
        text = (
            f"{action} brief {self.brief.title!r} ({self.brief.slug}){state}: "
            f"{_plural(self.sections, 'section')}, {_plural(self.tables, 'table')}, "
            f"{_plural(self.recommendations, 'recommendation')}, "
            f"{_plural(self.contributions, 'contributor')} "
            f"({_plural(self.people_created, 'person', 'people')} created, "
            f"{self.people_matched} matched; "
            f"{_plural(self.institutions_created, 'institution')} created, "
            f"{self.institutions_matched} matched); "
            f"rights: {self.brief.get_licence_display().lower()}."
        )
        if self.dry_run:
            text = "Dry run, nothing saved. " + text
        return text


def _plural(count: int, singular: str, plural: str = "") -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def _clean(instance: models.Model, *, where: str) -> None:
    # The importer bypasses forms, so it runs the model's own validation; a
    # failure here is a conflict with the database, not a parsing problem.
    try:
        instance.full_clean()
    except ValidationError as exc:
        details = "; ".join(
            f"{name}: {' '.join(messages)}"
            for name, messages in exc.message_dict.items()
        )
        raise BriefImportError(f"{where} is not valid ({details})") from exc


def _resolve_institution(
    name: str, known: list[Institution]
) -> tuple[Institution, bool]:
    """The institution `name` refers to, created if no known one is close enough."""
    slug = ascii_slug(name)
    for institution in known:
        if institution.slug == slug:
            return institution, False
    candidates = []
    for institution in known:
        distances = [
            name_distance(name, spelling)
            for spelling in (institution.name, institution.local_name)
            if spelling
        ]
        distances = [d for d in distances if d is not None]
        if distances:
            candidates.append((min(distances), institution.name, institution))
    if candidates:
        return min(candidates, key=lambda c: (c[0], c[1]))[2], False
    institution = Institution(name=name, slug=slug)
    _clean(institution, where=f"the institution {name!r}")
    institution.save()
    known.append(institution)
    return institution, True


def _sync_recommendations(
    brief: Brief, recommendations: list[ParsedRecommendation]
) -> None:
    """Make the brief's recommendations those of the file, in the file's order.

    A recommendation whose title is unchanged is updated in place, so the
    addressees and policy area an editor gave it survive a re-import; the
    others are deleted or created.
    """
    existing: dict[str, list[Recommendation]] = {}
    for recommendation in brief.recommendations.all():
        existing.setdefault(_normalise_name(recommendation.title), []).append(
            recommendation
        )
    kept: list[tuple[Recommendation, ParsedRecommendation, int]] = []
    new: list[tuple[ParsedRecommendation, int]] = []
    for order, parsed in enumerate(recommendations, 1):
        matches = existing.get(_normalise_name(parsed.title))
        if matches:
            kept.append((matches.pop(0), parsed, order))
        else:
            new.append((parsed, order))
    brief.recommendations.exclude(pk__in=[rec.pk for rec, _, _ in kept]).delete()
    # Move kept rows out of the way first: (brief, order) is unique and the
    # file may have reordered them.
    brief.recommendations.update(order=F("order") + 1000)
    for recommendation, parsed, order in kept:
        recommendation.order, recommendation.title = order, parsed.title
        recommendation.body = parsed.body
        _clean(recommendation, where=f"recommendation {order}")
        recommendation.save(update_fields=["order", "title", "body"])
    for parsed, order in new:
        recommendation = Recommendation(
            brief=brief, order=order, title=parsed.title, body=parsed.body
        )
        _clean(recommendation, where=f"recommendation {order}")
        recommendation.save()


@transaction.atomic
def import_brief(
    parsed: ParsedBrief,
    *,
    slug: str | None = None,
    dry_run: bool = False,
    source: str = "",
) -> ImportResult:
    """Create or update the brief `parsed` describes, matched by slug.

    A new brief is a DRAFT: editors publish it through the workflow. An
    existing brief gets the file's title, body, date, credits and
    recommendations, while its workflow fields (status, published_at,
    withdrawn and trash state, featured) and what the file does not hold
    (summary, topics, actors) are left alone. People and institutions are
    matched by slug, institutions also by a typo-tolerant name match, so a
    re-import creates nothing new. With `dry_run` everything is validated and
    then rolled back.
    """
    slug = slug or ascii_slug(parsed.title)
    brief = Brief.objects.select_for_update().filter(slug=slug).first()
    if brief is not None and brief.status in CONTENT_FROZEN:
        # Stable publication: approved and public text never changes in place.
        raise BriefImportError(
            f"the brief {slug!r} is {brief.get_status_display().lower()}; its text "
            "changes only through a correction: start one in the admin, then "
            "import into it with --slug set to the correction draft's slug"
        )
    created = brief is None
    if brief is None:
        brief = Brief(slug=slug, status=Status.DRAFT)
    brief.title = parsed.title
    brief.body = parsed.body
    brief.publication_date = parsed.publication_date
    # The licence is what the file states. A file that states nothing leaves
    # an existing brief's licence alone; a new brief gets the model's default,
    # all rights reserved, which is what the law gives it.
    if parsed.licence is not None:
        brief.licence = parsed.licence
    _clean(brief, where=f"the brief {slug!r}")
    brief.save()

    result = ImportResult(
        brief=brief,
        created=created,
        dry_run=dry_run,
        sections=len(parsed.sections),
        tables=len(parsed.tables),
        recommendations=len(parsed.recommendations),
        contributions=len(parsed.contributors),
        warnings=list(parsed.warnings),
    )
    if brief.deleted_at is not None:
        result.warnings.append(f"the brief {slug!r} is in the trash; it stays there")
    # What is left to do before the brief can be published or is complete;
    # the import itself is not refused for it.
    if not brief.summary.strip():
        result.to_do.append(
            "Write a summary: the file has none, and the brief cannot be "
            "published without one (two or three sentences under “Summary” in "
            "the admin)."
        )
    if parsed.licence is None and created:
        result.to_do.append(
            "The file states no licence or rights, so the brief is recorded as "
            "all rights reserved; choose a licence in the admin if the "
            "institute grants one."
        )

    known_institutions = (
        list(Institution.objects.all())
        if any(c.affiliation for c in parsed.contributors)
        else []
    )
    institutions: dict[str, Institution] = {}
    for affiliation in dict.fromkeys(c.affiliation for c in parsed.contributors):
        if affiliation:
            institution, made = _resolve_institution(affiliation, known_institutions)
            institutions[affiliation] = institution
            result.institutions_created += made
            result.institutions_matched += not made

    slugs = {c.name: ascii_slug(c.name) for c in parsed.contributors}
    people = {p.slug: p for p in Person.objects.filter(slug__in=slugs.values())}
    for contributor in parsed.contributors:
        person_slug = slugs[contributor.name]
        if not person_slug:
            raise BriefImportError(
                f"{contributor.name!r} has no letters to make an address from",
                line=contributor.line,
            )
        institution = institutions.get(contributor.affiliation)
        person = people.get(person_slug)
        if person is None:
            person = Person(name=contributor.name, slug=person_slug)
            person.affiliation = institution
            _clean(person, where=f"line {contributor.line}: {contributor.name!r}")
            person.save()
            people[person_slug] = person
            result.people_created += 1
            continue
        if institution is not None and person.affiliation_id is None:
            # Fill a gap, but never overwrite an affiliation an editor set:
            # an old brief must not move someone back to a former employer.
            person.affiliation = institution
            person.save(update_fields=["affiliation", "updated_at"])
        elif institution is not None and person.affiliation_id != institution.pk:
            result.warnings.append(
                f"line {contributor.line}: {person.name} is affiliated with "
                f"{person.affiliation} in the archive, {institution} in the file; "
                "the archive was left as it is"
            )
        result.people_matched += 1

    brief.contributions.all().delete()
    for order, contributor in enumerate(parsed.contributors, 1):
        contribution = Contribution(
            brief=brief,
            person=people[slugs[contributor.name]],
            role=contributor.role,
            order=order,
        )
        _clean(contribution, where=f"line {contributor.line}: the credit")
        contribution.save()

    _sync_recommendations(brief, parsed.recommendations)
    # Mentions and the search document need the credits and recommendations,
    # which are saved after the brief row.
    refresh_brief(brief=brief)
    # The editorial history records the import as a revision (if it changed
    # the content): editorial listens, since briefs does not import it.
    brief_imported.send(
        sender=Brief, brief=brief, comment=f"Imported from {source or 'a file'}"
    )

    if dry_run:
        transaction.set_rollback(True)
    return result


def import_brief_file(
    path: Path, *, slug: str | None = None, dry_run: bool = False
) -> ImportResult:
    """Read, decode, parse and import one brief file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BriefImportError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return import_brief(
        parse_brief(decode_brief(data)),
        slug=slug,
        dry_run=dry_run,
        source=Path(path).name,
    )
