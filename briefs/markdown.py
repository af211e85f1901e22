"""Markdown for brief bodies: rendered, then sanitised, once per saved version.

Editors write Markdown; readers get HTML. Rendering happens when a brief is
saved (see `Brief.save`), never per request. The HTML is sanitised with nh3
(ammonia) after rendering because Markdown passes raw HTML through: a
`<script>` or an `onerror=` typed into the admin must never reach a reader.

The parser is markdown-it-py (CommonMark, plus pipe tables and footnotes from
mdit-py-plugins) because its work is linear in the input: the former
Python-Markdown took 27 s on `"![" * 10000` and hit the recursion limit at 480
nested list items. Nesting deeper than `MAX_NESTING` blocks or inline spans is
not parsed further (what is inside is dropped), which also bounds recursion.
The output keeps Python-Markdown's shape: heading ids from `slugify_heading`
(duplicates get `_1`, `_2`), `align=` on table cells, footnotes as
`<sup id="fnref:x">` and `<div class="footnote">`, and "smart" punctuation.

How much text is accepted is decided next to the model: `briefs.models`
holds `BODY_MAX_CHARS` and the other limits; see README, *Limits*.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

from languages.transliteration import KEEP_CLOSE, KEEP_OPEN

# Blocks (lists, quotes) and inline spans (emphasis, links) nested deeper than
# this are not parsed further; no brief needs more than a few levels.
MAX_NESTING = 20

# Raw HTML nested deeper than this is shown as text: the sanitiser's HTML parser
# (html5ever) does work proportional to the depth for each block tag, so
# `"<div>" * 40000` costs it 2 s. Markdown's own nesting stops at MAX_NESTING.
MAX_HTML_DEPTH = 100

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "del", "div", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"id"},
    # lang: the footnote backlink's title is English (see below).
    "a": {"href", "title", "class", "lang"},
    "abbr": {"title"},
    "div": {"class"},
    "li": {"id"},
    # class="table-source": the source line under a table (_table_captions).
    "p": {"class"},
    # {=kept as written=}: the one span, not transliterated (see _keep_span).
    "span": {"translate"},
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


# -- markdown-it rules that keep the output as Python-Markdown's was ----------


def _smart_dashes(state: StateCore) -> None:
    """--- → em dash, -- → en dash, ... → ellipsis, in text only (not code).

    Takes the place of markdown-it's `replacements`, which would also turn
    "(c)" into "©" and "+-" into "±": text an editor did not ask to change.
    """
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        for child in token.children:
            text = child.content
            if child.type == "text" and ("--" in text or "..." in text):
                child.content = (
                    child.content.replace("---", "\u2014")
                    .replace("--", "\u2013")
                    .replace("...", "\u2026")
                )


def _heading_text(inline: Token) -> str:
    return "".join(
        child.content
        for child in inline.children or []
        if child.type in {"text", "code_inline", "text_special"}
    )


def _heading_ids(state: StateCore) -> None:
    """Give every heading an id and record the table of contents in `env`."""
    used: set[str] = set()
    # The last number given to each id, so that a thousand headings of the
    # same name cost a thousand steps, not half a million.
    last: dict[str, int] = {}
    toc: list[dict] = []
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        title = _heading_text(tokens[index + 1])
        base = anchor = slugify_heading(title)
        number = last.get(base, 0)
        while anchor in used:
            number += 1
            anchor = f"{base}_{number}"
        last[base] = number
        used.add(anchor)
        token.attrSet("id", anchor)
        toc.append({"level": int(token.tag[1]), "id": anchor, "title": title})
    state.env["toc"] = toc


def _table_align(state: StateCore) -> None:
    # align="" rather than style="": no inline CSS survives sanitising.
    for token in state.tokens:
        if token.type in {"th_open", "td_open"}:
            style = token.attrGet("style")
            if style and style.startswith("text-align:"):
                token.attrs.pop("style")
                token.attrSet("align", style.removeprefix("text-align:"))


def _footnote_label(token: Token) -> str:
    meta = token.meta or {}
    return str(meta.get("label") or meta["id"] + 1)


def _footnote_ref_id(token: Token) -> str:
    sub = token.meta.get("subId", 0)
    return f"fnref{sub + 1 if sub else ''}:{_footnote_label(token)}"


def _render_footnote_ref(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: dict,
) -> str:
    token = tokens[idx]
    return (
        f'<sup id="{_footnote_ref_id(token)}"><a class="footnote-ref" '
        f'href="#fn:{_footnote_label(token)}">{token.meta["id"] + 1}</a></sup>'
    )


def _render_footnote_block_open(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: dict,
) -> str:
    return '<div class="footnote">\n<hr>\n<ol>\n'


def _render_footnote_block_close(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: dict,
) -> str:
    return "</ol>\n</div>\n"


def _render_footnote_open(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: dict,
) -> str:
    return f'<li id="fn:{_footnote_label(tokens[idx])}">\n'


def _render_footnote_anchor(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: dict,
) -> str:
    token = tokens[idx]
    number = token.meta["id"] + 1
    # Python-Markdown's spacing: one no-break space before the first backlink.
    space = "" if token.meta.get("subId", 0) else "\u00a0"
    return (
        # lang="en": the title is English in bodies of every language, and
        # says so, so that screen readers read it as English and
        # languages.transliteration.html_to_script leaves it alone.
        f'{space}<a class="footnote-backref" href="#{_footnote_ref_id(token)}" '
        f'lang="en" title="Jump back to footnote {number} in the text">\u21a9</a>'
    )


# A fenced block with this info string embeds a bloc comparison
# (actors/comparisons.py): ```compare, then lines such as "a: Serbia, Hungary".
# The body's HTML keeps a placeholder per block, numbered in document order;
# the edition puts the table computed at publication in its place
# (publishing/rendering.py, embed_comparisons).
COMPARE_INFO = "compare"


def comparison_placeholder(index: int) -> str:
    return f'<div class="comparison-embed" id="comparison-embed-{index}"></div>\n'


# A fenced block with this info string shows an image of the media library
# (library/models.py) as a figure: its first line is the image's name (slug),
# the lines after it, if any, the caption (else the library's caption):
#
#     ```figure
#     belgrade-protest-2024
#     Students march on Slavija square, March 2024.
#     ```
#
# Like ```compare, the body's HTML keeps a numbered placeholder and the
# edition fills it with what it froze at publication (publishing/rendering.py,
# embed_figures). A fence's content is kept as written when a body changes
# script (languages.transliteration), so the name survives; the caption is
# converted with the edition's other text.
FIGURE_INFO = "figure"


def figure_placeholder(index: int) -> str:
    return f'<div class="figure-embed" id="figure-embed-{index}"></div>\n'


def _render_fence(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: dict,
) -> str:
    token = tokens[idx]
    if token.info.strip().lower() == COMPARE_INFO:
        index = env.get("comparisons", 0)
        env["comparisons"] = index + 1
        return comparison_placeholder(index)
    if token.info.strip().lower() == FIGURE_INFO:
        index = env.get("figures", 0)
        env["figures"] = index + 1
        return figure_placeholder(index)
    return RendererHTML.fence(self, tokens, idx, options, env)


def figure_blocks(text: str) -> list[tuple[str, str]]:
    """(image name, caption or "") of each ```figure block, in the order
    their placeholders are numbered. Cheap when there is none."""
    if not text or FIGURE_INFO not in text:
        return []
    blocks = []
    for token in _PARSER.parse(text):
        if token.type == "fence" and token.info.strip().lower() == FIGURE_INFO:
            lines = token.content.strip().split("\n")
            caption = " ".join(line.strip() for line in lines[1:] if line.strip())
            blocks.append((lines[0].strip(), caption))
    return blocks


def comparison_blocks(text: str) -> list[str]:
    """The text of each ```compare block, in the order their placeholders
    are numbered (the same parser finds them). Cheap when there is none."""
    if not text or COMPARE_INFO not in text:
        return []
    return [
        token.content
        for token in _PARSER.parse(text)
        if token.type == "fence" and token.info.strip().lower() == COMPARE_INFO
    ]


def _keep_span(state: StateInline, silent: bool) -> bool:
    """{=Microsoft=}: text kept as written in both scripts (README, *Serbian in
    two scripts*). Rendered as <span translate="no">, which the conversion of
    rendered bodies (languages.transliteration.html_to_script), browsers and
    translation tools leave alone; the marks themselves are never shown.

    What is between the marks is text, not Markdown. The closing mark is
    looked up once per paragraph and remembered, so a run of openers with
    no closer costs one scan, not one per opener.
    """
    start = state.pos
    if not state.src.startswith(KEEP_OPEN, start):
        return False
    known = state.cache.get("keep_close")
    if known and known[0] <= start and (known[1] == -1 or known[1] >= start):
        close = known[1]
    else:
        close = state.src.find(KEEP_CLOSE, start + len(KEEP_OPEN), state.posMax)
        state.cache["keep_close"] = (start, close)
    if close == -1 or close == start + len(KEEP_OPEN):
        return False
    if not silent:
        token = state.push("keep_span", "span", 0)
        token.content = state.src[start + len(KEEP_OPEN) : close]
        token.markup = KEEP_OPEN
    state.pos = close + len(KEEP_CLOSE)
    return True


def _render_keep_span(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    options: OptionsDict,
    env: dict,
) -> str:
    return f'<span translate="no">{escapeHtml(tokens[idx].content)}</span>'


# A table's caption and source (README, *Tables*): a paragraph of its own right
# above a pipe table that begins "Table:" is the table's <caption>, one right
# below it that begins "Source:" its source line. The Serbian words work in
# either script, because a Serbian body is written in either.
_CAPTION_RE = re.compile(r"(?:table|tabela|табела)\s*:\s*", re.IGNORECASE)
_SOURCE_RE = re.compile(r"(?:sources?|izvori?|извори?)\s*:", re.IGNORECASE)


def _paragraph_at(
    tokens: list[Token], start: int, pattern: re.Pattern, level: int
) -> bool:
    """Whether tokens[start:start + 3] are a paragraph at `level` whose text
    begins with `pattern` (as plain text, not inside emphasis or a link)."""
    if start < 0 or start + 3 > len(tokens):
        return False
    opening, inline, closing = tokens[start : start + 3]
    if not (
        opening.type == "paragraph_open"
        and closing.type == "paragraph_close"
        and opening.level == level
        and inline.children
        and inline.children[0].type == "text"
    ):
        return False
    label = pattern.match(inline.children[0].content)
    # "Table:" alone names nothing: it stays a paragraph.
    return label is not None and (
        label.end() < len(inline.children[0].content) or len(inline.children) > 1
    )


def _table_captions(state: StateCore) -> None:
    """Wrap each table in <div class="table-block"> (scrollable on a phone)
    with its caption inside the table and its source line under it."""
    if not any(token.type == "table_open" for token in state.tokens):
        return
    tokens: list[Token] = []
    number = 0
    source = state.tokens
    i = 0
    while i < len(source):
        token = source[i]
        if token.type != "table_open":
            tokens.append(token)
            i += 1
            continue
        number += 1
        anchor = f"tbl-{number}"
        caption = None
        if _paragraph_at(tokens, len(tokens) - 3, _CAPTION_RE, token.level):
            caption = tokens[-2]
            del tokens[-3:]
            first = caption.children[0]
            first.content = first.content[_CAPTION_RE.match(first.content).end() :]
        block = Token("table_block_open", "div", 1)
        block.attrs = {"class": "table-block", "id": anchor}
        block.block = True
        tokens += [block, token]
        if caption is not None:
            opening = Token("caption_open", "caption", 1)
            opening.attrs = {"id": f"{anchor}-caption"}
            tokens += [opening, caption, Token("caption_close", "caption", -1)]
        end = next(
            (j for j in range(i + 1, len(source)) if source[j].type == "table_close"),
            len(source) - 1,
        )
        tokens += source[i + 1 : end + 1]
        i = end + 1
        if _paragraph_at(source, i, _SOURCE_RE, token.level):
            source[i].attrs = {"class": "table-source"}
            tokens += source[i : i + 3]
            i += 3
        closing = Token("table_block_close", "div", -1)
        closing.block = True
        tokens.append(closing)
    state.tokens = tokens


# The table wrapper as the sanitiser writes it: keyboard users scroll a wide
# table by focusing it, and a captioned one is a region named by its caption.
# Added after sanitising, so no author can write tabindex or role.
_TABLE_BLOCK_RE = re.compile(
    r'<div class="table-block" id="(tbl-\d+)">(\s*<table>\s*<caption)?'
)


def _focusable_table_blocks(html: str) -> str:
    if "table-block" not in html:
        return html

    def attributes(block: re.Match) -> str:
        anchor, captioned = block[1], block[2]
        if captioned:
            opening = (
                f'<div class="table-block" id="{anchor}" tabindex="0" role="region" '
                f'aria-labelledby="{anchor}-caption">'
            )
            return opening + captioned
        return f'<div class="table-block" id="{anchor}" tabindex="0">'

    return _TABLE_BLOCK_RE.sub(attributes, html)


def _build_parser(*, html: bool) -> MarkdownIt:
    md = MarkdownIt(
        "commonmark",
        {"typographer": True, "maxNesting": MAX_NESTING, "html": html},
    )
    md.enable(["table", "smartquotes"])
    md.disable("replacements")
    md.use(footnote_plugin, inline=False)
    md.core.ruler.after("smartquotes", "smart_dashes", _smart_dashes)
    md.core.ruler.push("heading_ids", _heading_ids)
    md.core.ruler.push("table_align", _table_align)
    md.core.ruler.push("table_captions", _table_captions)
    md.add_render_rule("footnote_ref", _render_footnote_ref)
    md.add_render_rule("footnote_block_open", _render_footnote_block_open)
    md.add_render_rule("footnote_block_close", _render_footnote_block_close)
    md.add_render_rule("footnote_open", _render_footnote_open)
    md.add_render_rule("footnote_anchor", _render_footnote_anchor)
    md.add_render_rule("fence", _render_fence)
    md.inline.ruler.after("text", "keep_span", _keep_span)
    md.add_render_rule("keep_span", _render_keep_span)
    return md


_PARSER = _build_parser(html=True)
# For bodies whose raw HTML nests deeper than MAX_HTML_DEPTH: tags become text.
_TEXT_PARSER = _build_parser(html=False)

_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*>")
_VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "source", "track", "wbr",
}  # fmt: skip


def _html_depth_exceeds(html: str, limit: int) -> bool:
    """Whether open tags (closed or not) ever nest deeper than `limit`."""
    depth = 0
    for match in _TAG_RE.finditer(html):
        if match[2].lower() in _VOID_TAGS or match[0].endswith("/>"):
            continue
        if match[1]:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > limit:
                return True
    return False


def render_markdown(text: str) -> tuple[str, list[dict]]:
    """Render Markdown to sanitised HTML and return it with its table of contents.

    The table of contents is a flat list of {"level", "id", "title"} for every
    heading, in document order; ids match the anchors in the HTML and titles
    are plain text (templates escape them).
    """
    if not text:
        return "", []
    env: dict = {}
    html = _PARSER.render(text, env)
    if "<" in text and _html_depth_exceeds(html, MAX_HTML_DEPTH):
        env = {}
        html = _TEXT_PARSER.render(text, env)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _focusable_table_blocks(clean), env.get("toc", [])


# An empty data cell, as the sanitiser writes it (`<td>` with nh3's attributes
# only: align, colspan, rowspan; no class, so the mark below is never forged).
_EMPTY_CELL_RE = re.compile(r"<td((?:\s+[a-z]+=\"[^\"<>]*\")*)>\s*</td>")


def mark_empty_cells(html: str, label: str) -> str:
    """Show every empty table cell of sanitised HTML as an explicit "no data" mark.

    A dash for the eye and `label` (translated by the caller: the edition is
    rendered once per language) for screen readers, so an empty cell never
    reads as a missing value or a rendering fault. Runs on the edition's
    final HTML, after sanitising, so nh3 needs to allow nothing new; the
    pre-publish check (editorial.checks) still warns about the empty cells.
    """
    if "<td" not in html:
        return html
    mark = (
        '<span aria-hidden="true">\u2014</span>'
        f'<span class="visually-hidden">{escapeHtml(label)}</span>'
    )
    return _EMPTY_CELL_RE.sub(
        lambda cell: f'<td class="no-data"{cell[1]}>{mark}</td>', html
    )


# A footnote's way back, as _render_footnote_anchor writes it and the
# sanitiser keeps it (attribute order included).
_BACKREF_RE = re.compile(
    r'<a class="footnote-backref" href="#(fnref\d*:[^"<>]*)" lang="en" '
    r'title="Jump back to footnote (\d+) in the text"'
)


def name_footnote_backlinks(html: str, label: str) -> str:
    """Name each footnote's "↩" link for screen readers, in the edition's
    language: `label` (translated by the caller) with %(number)s, the
    footnote's number. Without it the link is read as an arrow."""
    if "footnote-backref" not in html:
        return html
    return _BACKREF_RE.sub(
        lambda link: (
            f'<a class="footnote-backref" href="#{link[1]}" '
            f'aria-label="{escapeHtml(label % {"number": link[2]})}"'
        ),
        html,
    )


# -- Reading the structure of a Markdown body (for revision diffs and checks) --

# Headings and separator rows are read with string methods: the regexes they
# replace (`^(#{1,6})\s+(.*?)\s*#*\s*$`, `^\s*\|?\s*:?-+:?\s*(\|…)*\|?\s*$`)
# backtracked cubically or quadratically over long runs of spaces.
_SEPARATOR_CELL_RE = re.compile(r":?-+:?")
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
            heading = _heading(line.strip())
            if heading and not line.startswith("    "):
                blocks += _text_block(section, run)
                level, section, run = *heading, []
                blocks.append(Block("heading", section, section, level))
            else:
                run.append(line)
        blocks += _text_block(section, run)
    return blocks


def _heading(line: str) -> tuple[int, str] | None:
    """(level, title) of an ATX heading line ("## Title ##"), else None."""
    level = len(line) - len(line.lstrip("#"))
    rest = line[level:]
    if not 1 <= level <= 6 or not rest[:1].isspace():
        return None
    return level, rest.strip().rstrip("#").rstrip()


def _is_separator_row(line: str) -> bool:
    """Whether a line is a pipe table's `|---|:--:|` row."""
    line = line.strip()
    line = line.removeprefix("|")
    line = line[:-1] if line.endswith("|") else line
    return all(_SEPARATOR_CELL_RE.fullmatch(cell.strip()) for cell in line.split("|"))


def _text_block(section: str, lines: list[str]) -> list[Block]:
    body = "\n".join(lines).strip()
    if not body:
        return []
    if not is_table(body) and len(lines) > 2 and is_table("\n".join(lines[1:])):
        # A caption line directly above a table ("Table: …"): a table
        # interrupts a paragraph, so the renderer reads two blocks here too.
        return [
            Block("text", lines[0].strip(), section),
            Block("table", "\n".join(lines[1:]).strip(), section),
        ]
    return [Block("table" if is_table(body) else "text", body, section)]


def table_caption(block: Block | None) -> str:
    """The caption a text block gives the table right below it, else ""."""
    if block is None or block.kind != "text":
        return ""
    label = _CAPTION_RE.match(block.text)
    return " ".join(block.text[label.end() :].split()) if label else ""


def is_table(block: str) -> bool:
    lines = block.strip().split("\n")
    return len(lines) >= 2 and "|" in lines[0] and _is_separator_row(lines[1])


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
