"""Editorial checks: small rules that run on submit and on publish.

Each check is a function that takes a brief and yields `Finding`s; the
`@editorial_check` decorator registers it. An ERROR blocks publishing; a
WARNING is shown on the admin page and written to the workflow log with the
transition. To add a check: write a function here, decorate it, and give it a
test in tests/editorial/test_checks.py (one that fails without the check).
"""

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Count
from django.urls import Resolver404, ResolverMatch, resolve

from actors import comparisons
from actors.models import Actor
from briefs.markdown import comparison_blocks, split_blocks, table_rows
from briefs.models import (
    Brief,
    BriefActor,
    Contribution,
    MentionState,
    Role,
    content_loaded,
)

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    level: str  # ERROR or WARNING
    check: str  # the check function's name
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


Check = Callable[[Brief], Iterable[Finding]]
CHECKS: list[Check] = []


def editorial_check(func: Check) -> Check:
    CHECKS.append(func)
    return func


def run_checks(brief: Brief) -> list[Finding]:
    """Every registered check's findings for `brief`, errors first."""
    findings = [finding for check in CHECKS for finding in check(brief)]
    return sorted(findings, key=lambda f: f.level != ERROR)


def _error(check: str, message: str) -> Finding:
    return Finding(ERROR, check, message)


def _warning(check: str, message: str) -> Finding:
    return Finding(WARNING, check, message)


@editorial_check
def summary_present(brief: Brief) -> Iterator[Finding]:
    if not brief.summary.strip():
        yield _error("summary_present", "The brief has no summary.")


# A brief may come with its content loaded (`briefs.models.load_content`, as
# publishing a correction does before it checks): then the checks read the
# rows in hand instead of querying them again (issue #10's query budget).


@editorial_check
def author_present(brief: Brief) -> Iterator[Finding]:
    if content_loaded(brief):
        named = any(c.role == Role.AUTHOR for c in brief.contributions.all())
    else:
        named = Contribution.objects.filter(brief=brief, role=Role.AUTHOR).exists()
    if not named:
        yield _error("author_present", "The brief names no author.")


@editorial_check
def recommendations_addressed(brief: Brief) -> Iterator[Finding]:
    if content_loaded(brief):  # loaded in "order", addressees with them
        unaddressed = [r for r in brief.recommendations.all() if not r.addressees.all()]
    else:
        unaddressed = (
            brief.recommendations.annotate(n=Count("addressees"))
            .filter(n=0)
            .order_by("order")
        )
    for rec in unaddressed:
        yield _warning(
            "recommendations_addressed",
            f"Recommendation {rec.order} (“{rec.title}”) is addressed to no one.",
        )


@editorial_check
def table_cells_filled(brief: Brief) -> Iterator[Finding]:
    """An empty cell is ambiguous (zero? unknown? forgotten?); any mark is explicit."""
    number = 0
    for block in split_blocks(brief.body):
        if block.kind != "table":
            continue
        number += 1
        rows = table_rows(block.text)
        header = rows[0]
        where = f" under “{block.section}”" if block.section else ""
        # The header row is skipped: an empty corner cell is common and harmless.
        for r, row in enumerate(rows[1:], start=1):
            for c, cell in enumerate(row):
                if not cell.strip():
                    column = header[c] if c < len(header) and header[c] else c + 1
                    yield _warning(
                        "table_cells_filled",
                        f"Table {number}{where}, row {r}, column “{column}” is "
                        "empty; write “no data” (or —) if nothing is known.",
                    )


def _name_pattern(name: str, case_sensitive: bool) -> re.Pattern:
    # (?<!\w) and (?!\w) are word boundaries that also work for Cyrillic.
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", flags)


@editorial_check
def mentioned_actors_linked(brief: Brief) -> Iterator[Finding]:
    """An actor named in the summary or body should be linked to the brief.

    A link an editor rejected counts as decided; a suggested one does not.
    Names match as written (proper nouns); aliases honour their own flag.
    """
    text = f"{brief.summary}\n{brief.body}"
    # Every name's regex search scans the whole text (its look-behind defeats
    # the regex engine's literal scan): about 4 ms per name on a 60,000
    # character body, 1.7 s for the demo's 400 names on "![" * 30000. A plain
    # substring test first (C, fast) keeps a search for the names present.
    lowered = text.lower()
    if content_loaded(brief):
        states = {link.actor_id: link.state for link in brief.actor_links.all()}
    else:
        states = dict(
            BriefActor.objects.filter(brief=brief).values_list("actor_id", "state")
        )
    for actor in Actor.objects.prefetch_related("aliases").order_by("name"):
        if states.get(actor.pk) in {MentionState.CONFIRMED, MentionState.REJECTED}:
            continue
        names = [(actor.name, True)] + [
            (alias.alias, alias.case_sensitive) for alias in actor.aliases.all()
        ]
        for name, case_sensitive in names:
            present = name in text if case_sensitive else name.lower() in lowered
            if (
                name.strip()
                and present
                and _name_pattern(name, case_sensitive).search(text)
            ):
                pending = " (its suggested link awaits a decision)" * (
                    actor.pk in states
                )
                yield _warning(
                    "mentioned_actors_linked",
                    f"“{actor.name}” is named in the text (as “{name}”) but not "
                    f"linked to the brief{pending}.",
                )
                break


# Markdown inline links, reference definitions, autolinks and raw HTML links.
_LINK_RES = [
    re.compile(r"\]\(\s*<?([^)\s>]+)"),
    re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE),
    re.compile(r"<(https?://[^>\s]+)>"),
    re.compile(r"""href=["']([^"']+)["']"""),
]


# Routes that show one brief, and the URL argument that names it.
BRIEF_ROUTES = {
    "briefs:detail": "slug",
    "briefs:pdf": "slug",
    "briefs:cite": "slug",
    "permalink": "pk",
}


def _resolve(path: str) -> ResolverMatch | None:
    for candidate in (path, f"{path}/"):
        try:
            return resolve(candidate)
        except Resolver404:
            continue
    return None


def linked_briefs(body: str) -> list[tuple[str, str, str]]:
    """(key, value, url) for each brief of this site that `body` links to.

    `key` is "slug" or "pk", as the link names the brief; in order, once each.
    """
    own_host = urlsplit(settings.SITE_URL).netloc
    found: dict[tuple[str, str], str] = {}
    for pattern in _LINK_RES:
        for url in pattern.findall(body or ""):
            parts = urlsplit(url)
            if parts.netloc and parts.netloc != own_host:
                continue
            if parts.scheme not in {"", "http", "https"}:
                continue
            if not parts.path.startswith("/"):
                continue
            match = _resolve(parts.path)
            if match is None or match.view_name not in BRIEF_ROUTES:
                continue
            key = BRIEF_ROUTES[match.view_name]
            found.setdefault((key, str(match.kwargs[key])), url)
    return [(key, value, url) for (key, value), url in found.items()]


@editorial_check
def linked_briefs_published(brief: Brief) -> Iterator[Finding]:
    links = linked_briefs(brief.body)
    if not links:
        return
    public = Brief.objects.published()
    slugs = {v for k, v, _ in links if k == "slug"}
    pks = {int(v) for k, v, _ in links if k == "pk"}
    public_slugs = set(public.filter(slug__in=slugs).values_list("slug", flat=True))
    public_pks = {
        str(pk) for pk in public.filter(pk__in=pks).values_list("pk", flat=True)
    }
    for key, value, url in links:
        if value not in (public_slugs if key == "slug" else public_pks):
            yield _error(
                "linked_briefs_published",
                f"The text links to {url}, which is not a published brief.",
            )


@editorial_check
def heading_levels_in_order(brief: Brief) -> Iterator[Finding]:
    # The title is the page's only level-1 heading; sections start at level 2.
    previous = 1
    for entry in brief.toc:
        level, title = entry["level"], entry["title"]
        if level == 1:
            yield _warning(
                "heading_levels_in_order",
                f"“{title}” is a level-1 heading; only the title is. Use ## instead.",
            )
        elif level > previous + 1:
            yield _warning(
                "heading_levels_in_order",
                f"“{title}” is a level-{level} heading after level {previous}; "
                f"a level is skipped (use {'#' * (previous + 1)}).",
            )
        previous = max(level, 1)


@editorial_check
def embedded_comparisons_complete(brief: Brief) -> Iterator[Finding]:
    """A ```compare block that names an unknown actor or cannot be read would
    publish a notice instead of a table (an error); one with gaps publishes
    "no data" cells and totals withheld (a warning naming each gap). The
    figures checked are today's: the ones publishing now would freeze."""
    for number, text in enumerate(comparison_blocks(brief.body), start=1):
        if number > comparisons.MAX_DIRECTIVES:
            yield _error(
                "embedded_comparisons_complete",
                f"Comparison {number}: at most {comparisons.MAX_DIRECTIVES} "
                "comparisons in one brief.",
            )
            return
        try:
            spec = comparisons.parse_directive(text)
            _, table = comparisons.compute(spec, by_name=True)
        except comparisons.ComparisonError as exc:
            for part, message in exc.errors.items():
                yield _error(
                    "embedded_comparisons_complete",
                    f"Comparison {number} ({part}): {message}",
                )
            continue
        gaps = [
            f"{cell['actor_name']} ({row['label']})"
            for row in table["rows"]
            for group in row["groups"]
            for cell in group["cells"]
            if not cell["known"]
        ]
        if gaps:
            shown = ", ".join(gaps[:12]) + (" …" if len(gaps) > 12 else "")
            yield _warning(
                "embedded_comparisons_complete",
                f"Comparison {number} has {len(gaps)} missing value"
                f"{'s' if len(gaps) != 1 else ''}, shown as “no data”: {shown}.",
            )
