"""Markdown for brief bodies: rendered, then sanitised, once per saved version.

Editors write Markdown; readers get HTML. Rendering happens when a brief is
saved (see `Brief.save`), never per request. The HTML is sanitised with nh3
(ammonia) after rendering because Markdown passes raw HTML through: a
`<script>` or an `onerror=` typed into the admin must never reach a reader.
"""

import re
import unicodedata

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
