"""Markdown for brief bodies: rendered, then sanitised, once per saved version.

Editors write Markdown; readers get HTML. Rendering happens when a brief is
saved (see `Brief.save`), never per request. The HTML is sanitised with nh3
(ammonia) after rendering because Markdown passes raw HTML through: a
`<script>` or an `onerror=` typed into the admin must never reach a reader.
"""

import re
import unicodedata
from dataclasses import dataclass

import markdown
import nh3

MARKDOWN_EXTENSIONS = ["tables", "footnotes", "toc", "sane_lists", "smarty"]

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "del", "div", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id"},
    "a": {"href", "title", "class"},
    "abbr": {"title"},
    "div": {"class"},
    "li": {"id"},
    "ol": {"start"},
    "sup": {"id"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def slugify_heading(value: str, separator: str = "-") -> str:
    """Anchor ids that keep letters of any script ("Приштина" stays readable)."""
    value = unicodedata.normalize("NFKC", value).strip().lower()
    value = re.sub(r"[^\w\s-]", "", value)
    return re.sub(r"[\s_-]+", separator, value).strip(separator) or "section"


def _flatten_toc(tokens: list[dict]) -> list[dict]:
    entries: list[dict] = []
    for token in tokens:
        entries.append(
            {"level": token["level"], "id": token["id"], "title": token["name"]}
        )
        entries.extend(_flatten_toc(token.get("children", [])))
    return entries


def render_markdown(text: str) -> tuple[str, list[dict]]:
    """Render Markdown to sanitised HTML and return it with its table of contents.

    The table of contents is a flat list of {"level", "id", "title"} for every
    heading, in document order; ids match the anchors in the HTML.
    """
    if not text:
        return "", []
    md = markdown.Markdown(
        extensions=MARKDOWN_EXTENSIONS,
        extension_configs={
            "toc": {"slugify": slugify_heading, "permalink": False},
            "footnotes": {"BACKLINK_TEXT": "↩"},
            # align="" rather than style="": no inline CSS survives sanitising.
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )
    html = md.convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    toc = [
        {**entry, "title": nh3.clean(entry["title"], tags=set())}
        for entry in _flatten_toc(md.toc_tokens)
    ]
    return clean, toc


# -- Reading the structure of a Markdown body (for revision diffs and checks) --

_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_TABLE_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_CELL_SPLIT_RE = re.compile(r"(?<!\\)\|")


@dataclass(frozen=True)
class Block:
    """A paragraph-level piece of a body: a heading, a pipe table or other text.

    `section` is the title of the nearest heading above it ("" before any).
    """

    kind: str  # "heading", "table" or "text"
    text: str
    section: str
    level: int = 0  # headings only


def split_blocks(text: str) -> list[Block]:
    """Split Markdown into headings, tables and text blocks, in order.

    Blocks are separated by blank lines; a heading line is its own block even
    when text follows it directly. Pure and cheap: no rendering involved.
    """
    blocks: list[Block] = []
    section = ""
    for chunk in re.split(r"\n[ \t]*\n", (text or "").replace("\r\n", "\n")):
        # Lines between headings form one block; a heading line ends it.
        run: list[str] = []
        for line in chunk.strip("\n").split("\n"):
            heading = _HEADING_RE.match(line.strip())
            if heading and not line.startswith("    "):
                blocks += _text_block(section, run)
                section, run = heading.group(2), []
                blocks.append(Block("heading", section, section, len(heading.group(1))))
            else:
                run.append(line)
        blocks += _text_block(section, run)
    return blocks


def _text_block(section: str, lines: list[str]) -> list[Block]:
    body = "\n".join(lines).strip()
    if not body:
        return []
    return [Block("table" if is_table(body) else "text", body, section)]


def is_table(block: str) -> bool:
    lines = block.strip().split("\n")
    return (
        len(lines) >= 2
        and "|" in lines[0]
        and bool(_TABLE_SEPARATOR_RE.match(lines[1]))
    )


def table_rows(block: str) -> list[list[str]]:
    """The cells of a pipe table, header row first, separator row dropped.

    Short rows are padded with empty cells to the header's width, because
    Markdown renders a missing cell as an empty one.
    """
    lines = block.strip().split("\n")
    rows = []
    for number, line in enumerate(lines):
        if number == 1:
            continue
        line = line.strip()
        if line.startswith("|"):
            line = line[1:]
        if line.endswith("|") and not line.endswith("\\|"):
            line = line[:-1]
        rows.append([cell.strip() for cell in _CELL_SPLIT_RE.split(line)])
    width = len(rows[0]) if rows else 0
    return [row + [""] * (width - len(row)) for row in rows]
