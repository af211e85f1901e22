"""Time the pathological corpus through everything that reads a brief's text.

    .venv/bin/python bench/pathological.py              # at the limits
    .venv/bin/python bench/pathological.py --size 100000

For each entry of tests/fixtures/pathological.py, at `BODY_MAX_CHARS` (or
`--size`), reports the seconds taken by:

- render:  `briefs.markdown.render_markdown` (what every save runs);
- index:   `archive.search.markdown_to_text` (the search document);
- blocks:  `briefs.markdown.split_blocks` and `briefs.checks.linked_briefs`
  (revision diffs and editorial checks, which run on submit and publish);
- diff:    `briefs.revisions.diff_body` against the entry with one character
  inserted in the middle (the History page's comparison);
- script:  `languages.transliteration.markdown_to_script` to Cyrillic, then
  `html_to_script` of the rendered body (a Serbian body in its other script);
- import:  `briefs.importers.parse_brief` on the entry as a plain-text file, then
  rendering of the Markdown it produced. Escaping makes the Markdown longer
  than the file, so an entry refused for its body's length is also imported
  cut to the longest text that fits; the column is the slower of the two.

Each is run once, as a save runs it (the parsers are built at import).
Times are CPU seconds of this process (`time.process_time`), so that other
jobs on a shared machine do not inflate them; the wall-clock maximum is
printed too. The target is under 1 s for each. No database is needed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
os.environ.setdefault("SECRET_KEY", "bench")

import django  # noqa: E402

django.setup()

from archive.search import markdown_to_text  # noqa: E402
from briefs.importers import (  # noqa: E402
    BriefImportError,
    escape_markdown,
    parse_brief,
)
from briefs.markdown import render_markdown, split_blocks  # noqa: E402
from briefs.models import BODY_MAX_CHARS  # noqa: E402
from editorial.checks import linked_briefs  # noqa: E402
from editorial.revisions import diff_body  # noqa: E402
from languages.codes import CYRILLIC  # noqa: E402
from languages.transliteration import html_to_script, markdown_to_script  # noqa: E402
from tests.fixtures import pathological  # noqa: E402

TARGET_SECONDS = 1.0


WALL: list[float] = []


def timed(function, *args) -> tuple[float, object]:
    start, wall = time.process_time(), time.perf_counter()
    result = function(*args)
    WALL.append(time.perf_counter() - wall)
    return time.process_time() - start, result


def import_and_render(text: str) -> str:
    try:
        parsed = parse_brief(text)
    except BriefImportError as exc:
        return f"refused: {exc}"
    render_markdown(parsed.body)
    return ""


def import_time(text: str) -> tuple[float, str]:
    seconds, note = timed(import_and_render, pathological.import_file(text))
    if "body may have at most" not in note:
        return seconds, note or "imported"
    fitted = text[: int(len(text) * BODY_MAX_CHARS / len(escape_markdown(text)) * 0.98)]
    again, note = timed(import_and_render, pathological.import_file(fitted))
    return max(seconds, again), (
        f"{len(text):,} refused (body over limit); {len(fitted):,} "
        + (note or "imported")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=BODY_MAX_CHARS)
    args = parser.parse_args()

    bodies = pathological.bodies(args.size)
    files = pathological.import_bodies(args.size)
    columns = ["render", "index", "blocks", "diff", "script", "import"]
    print(f"Pathological corpus at {args.size:,} characters (CPU seconds)\n")
    print(f"| {'input':<38} | {'chars':>7} | " + " | ".join(columns) + " | note |")
    print(f"|{'-' * 40}|{'-' * 9}|" + "|".join("-" * 8 for _ in columns) + "|---|")
    rows = []
    for name, text in files.items():
        row = {"name": name, "chars": len(text)}
        if name in bodies:
            row["render"], _ = timed(render_markdown, text)
            row["index"], _ = timed(markdown_to_text, text)
            row["blocks"], _ = timed(
                lambda t: (split_blocks(t), linked_briefs(t)), text
            )
            middle = len(text) // 2
            edited = text[:middle] + "x" + text[middle:]
            row["diff"], _ = timed(diff_body, text, edited)
            html, _ = render_markdown(text)
            row["script"], _ = timed(
                lambda t, h: (
                    markdown_to_script(t, CYRILLIC, {}),
                    html_to_script(h, CYRILLIC, {}),
                ),
                text,
                html,
            )
        row["import"], note = import_time(text)
        row["note"] = note[:70]
        rows.append(row)
        cells = " | ".join(f"{row[c]:6.3f}" if c in row else f"{'':6}" for c in columns)
        print(
            f"| {row['name']:<38} | {row['chars']:>7,} | {cells} | {row['note']} |",
            flush=True,
        )
    print()
    worst = 0.0
    for column in columns:
        values = [(row[column], row["name"]) for row in rows if column in row]
        slowest, name = max(values)
        worst = max(worst, slowest)
        print(f"max {column:<7} {slowest:.3f} s  ({name})")
    verdict = "met" if worst < TARGET_SECONDS else "NOT met"
    print(
        f"\nslowest {worst:.3f} s CPU; target under {TARGET_SECONDS:.0f} s: {verdict}"
    )
    print(f"slowest wall-clock time {max(WALL):.3f} s (inflated by other jobs)")


if __name__ == "__main__":
    main()
