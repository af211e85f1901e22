"""Snippets: a window of the original text with the engine's matches marked."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from archive.search.engines import MARK_END, MARK_START, Engine, get_engine
from archive.search.query import Query
from archive.search.text import OffsetMap, fold, markdown_to_text


@dataclass
class Hit:
    """One result on a results page: the object and its highlighted snippet."""

    object: Any
    snippet: str = ""


SNIPPET_CHARACTERS = 280


def _locator(query: Query) -> list[str]:
    """What a match probably starts with in folded text: the query's words,
    trimmed a little so that English inflections still land ("alliances"
    finds "alliance"). Only picks the window; the engine does the marking."""
    keys = set()
    for group in query.groups:
        for term in group:
            for word in term.words:
                keep = len(word) if term.prefix or len(word) < 6 else len(word) - 2
                keys.add(word[:keep])
    return sorted(keys)


def _first_word_start(folded: str, keys: list[str]) -> int:
    """The first position where a key starts a word (str.find: C speed)."""
    best = -1
    for key in keys:
        position = folded.find(key)
        while position >= 0 and (best < 0 or position < best):
            before = folded[position - 1] if position else " "
            if not (before.isalnum()):
                best = position
                break
            position = folded.find(key, position + 1)
    return best


def snippet_window(text: str, keys: list[str]) -> tuple[int, int]:
    """Original-text offsets of a window of about SNIPPET_CHARACTERS around the
    first probable match (or the opening), cut at spaces."""
    start = 0
    if keys:
        position = _first_word_start(fold(text), keys)
        if position >= 0:
            start = OffsetMap(text).original(position)
    start = max(0, start - SNIPPET_CHARACTERS // 3)
    end = min(len(text), start + SNIPPET_CHARACTERS)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 40 else start
    if end < len(text):
        space = text.rfind(" ", end - 40, end)
        end = space if space > start else end
    return start, end


def add_snippets(
    hits: list[Hit],
    query: Query,
    engine: Engine | None = None,
    *,
    text_of: Callable[[Any], str] | None = None,
    script_of: Callable[[Any], Callable[[str], str] | None] | None = None,
) -> None:
    """Set `hit.snippet` to safe HTML: the original text, matches in <mark>.

    `script_of(object)` may give a function that writes the cut window for
    the reader (a Serbian text in the other script); it runs on the window
    only, before marking, and both scripts fold alike, so the marks land on
    the words the reader sees.

    The window is found in Python on `text_of(object)`, by default the summary
    and body (cheap: no engine reads the whole document); the engine marks
    its own matches in the window (`ts_headline` / FTS5 `highlight()`), so
    highlighting follows the exact stemming and folding of the search itself,
    and the marks are mapped back onto the original script by `highlight()`.
    """
    if not hits:
        return
    engine = engine or get_engine()
    keys = _locator(query)
    windows = []
    for hit in hits:
        obj = hit.object
        source = (text_of(obj) if text_of else f"{obj.summary}\n\n{obj.body}").strip()
        start, end = snippet_window(source, keys)
        text = markdown_to_text(source[start:end])
        convert = script_of(obj) if script_of else None
        if convert is not None:
            text = convert(text)
        windows.append((text, start > 0, end < len(source)))
    marked = engine.highlight(query, [fold(text) for text, _, _ in windows])
    for hit, (text, cut_start, cut_end), fragment in zip(
        hits, windows, marked, strict=True
    ):
        html_text = highlight(text, fragment)
        hit.snippet = (
            ("… " if cut_start else "") + html_text + (" …" if cut_end else "")
        )


def highlight(original: str, marked: str | None) -> str:
    """Turn an engine's marked copy of `fold(original)` into safe HTML.

    The engine saw only folded text ("vucic"); the reader must see the
    original ("Вучић"). Mark positions are mapped back through `OffsetMap`.
    Every piece of text is escaped; only our own <mark> tags are markup.
    """
    if not original:
        return ""
    spans: list[tuple[int, int]] = []
    position = 0
    pieces: list[str] = []
    for part in re.split(f"({MARK_START}|{MARK_END})", marked or ""):
        if part == MARK_START:
            spans.append((position, position))
        elif part == MARK_END and spans:
            spans[-1] = (spans[-1][0], position)
        else:
            pieces.append(part)
            position += len(part)
    if "".join(pieces) != fold(original):
        return html.escape(original)  # not our text: show it unmarked
    offsets = OffsetMap(original)
    out, cursor = [], 0
    for s, e in spans:
        start, end = offsets.original(s), offsets.original(e)
        if end <= start or start < cursor:
            continue
        out.append(html.escape(original[cursor:start]))
        out.append(f"<mark>{html.escape(original[start:end])}</mark>")
        cursor = end
    out.append(html.escape(original[cursor:]))
    return "".join(out)
