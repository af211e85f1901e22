"""Editorial checks: small rules that run on submit and on publish.

Each check is a function that takes a brief and yields `Finding`s; the
`@editorial_check` decorator registers it. An ERROR blocks publishing; a
WARNING is shown on the admin page and written to the workflow log with the
transition. To add a check: write a function here, decorate it, and give it a
test in tests/editorial/test_checks.py (one that fails without the check).
"""

import bisect
import contextvars
import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Length, Trim
from django.urls import NoReverseMatch, Resolver404, ResolverMatch, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from actors import comparisons
from actors.models import (
    Actor,
    ActorAlias,
    ActorKind,
    Agreement,
    Indicator,
    Membership,
    Metric,
    Office,
)
from archive.search import fold
from briefs.hooks import public_record
from briefs.markdown import (
    comparison_blocks,
    figure_blocks,
    split_blocks,
    table_caption,
    table_rows,
)
from briefs.mentions import MentionScanner
from briefs.models import (
    Brief,
    BriefActor,
    Contribution,
    Institution,
    MentionState,
    Person,
    Role,
    Status,
    content_loaded,
)
from editorial import record_checks
from kernel.pagecache import current_generation
from library.models import Image

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    level: str  # ERROR or WARNING
    check: str  # the check function's name
    message: str
    link: str = ""  # the admin page of the record the finding names, if any

    def as_dict(self) -> dict:
        return asdict(self)


Check = Callable[[Brief], Iterable[Finding]]
CHECKS: list[Check] = []


def editorial_check(func: Check) -> Check:
    CHECKS.append(func)
    return func


# What the checks of one `run_checks` share (the reference snapshot, the
# brief's reading): read once per run, not once per check.
_run: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "editorial_checks_run", default=None
)


def run_checks(brief: Brief) -> list[Finding]:
    """Every registered check's findings for `brief`, errors first."""
    token = _run.set({})
    try:
        findings = [finding for check in CHECKS for finding in check(brief)]
    finally:
        _run.reset(token)
    return sorted(findings, key=lambda f: f.level != ERROR)


# Messages are in the language of the request that runs the checks (the
# editor's); a lazy one is made a string here, as the workflow log stores it.
def _error(check: str, message: str) -> Finding:
    return Finding(ERROR, check, str(message))


def _warning(check: str, message: str, link: str = "") -> Finding:
    return Finding(WARNING, check, str(message), link)


# What the two checks an import most often fails say, and so what the
# dashboard's "Blocked from publishing" list says too (`blocked_briefs`).
NO_SUMMARY = gettext_lazy(
    "The brief has no summary: write two or three sentences under “Summary” "
    "(lists, search, feeds and citations show it), then publish."
)
NO_AUTHOR = gettext_lazy(
    "The brief names no author: add one under “Contributions” with the role “Author”."
)


@editorial_check
def summary_present(brief: Brief) -> Iterator[Finding]:
    if not brief.summary.strip():
        yield _error("summary_present", NO_SUMMARY)


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
        yield _error("author_present", NO_AUTHOR)


# -- Briefs blocked from publishing, for the dashboard ----------------------------


@dataclass(frozen=True)
class Blocker:
    """An error-level check the database can answer for many briefs at once.

    `fails` is true of a brief the check would refuse; `anchor` is where on
    the brief's change page the fix is made.
    """

    check: str
    message: str
    anchor: str

    def fails(self) -> Q | Exists:
        if self.check == "summary_present":
            return Q(summary="") | Q(_trimmed_summary=0)
        return ~Exists(
            Contribution.objects.filter(brief=OuterRef("pk"), role=Role.AUTHOR)
        )


BLOCKERS = (
    Blocker("summary_present", NO_SUMMARY, "id_summary"),
    Blocker("author_present", NO_AUTHOR, "contributions-group"),
)


@dataclass(frozen=True)
class BlockedBrief:
    brief: Brief
    fixes: list[Blocker]


def blocked_briefs(briefs: QuerySet[Brief], *, limit: int) -> list[BlockedBrief]:
    """Which of `briefs` an error-level check keeps from being published, and why.

    One query, whatever the number of briefs: only the checks the database
    can answer (`BLOCKERS`: the summary and the author, which an imported
    brief lacks) are asked here; the others, which read the text, run on
    the brief's own page and whenever it moves. Most advanced first: an
    approved brief is one click from publication.
    """
    status_rank = Case(
        *(
            When(status=status, then=Value(rank))
            for rank, status in enumerate(
                [Status.APPROVED, Status.IN_REVIEW, Status.CHANGES_REQUESTED]
            )
        ),
        default=Value(3),
    )
    annotated = briefs.annotate(
        _trimmed_summary=Length(Trim("summary")),
        **{
            f"_fails_{blocker.check}": ExpressionWrapper(
                blocker.fails(), output_field=BooleanField()
            )
            for blocker in BLOCKERS
        },
    )
    any_fails = Q()
    for blocker in BLOCKERS:
        any_fails |= Q(**{f"_fails_{blocker.check}": True})
    rows = (
        annotated.filter(any_fails)
        .alias(_rank=status_rank)
        .order_by("_rank", "-updated_at", "pk")[:limit]
    )
    return [
        BlockedBrief(
            brief,
            [b for b in BLOCKERS if getattr(brief, f"_fails_{b.check}")],
        )
        for brief in rows
    ]


@editorial_check
def translator_credited(brief: Brief) -> Iterator[Finding]:
    """A translation credits who translated it (readers and citations name them)."""
    if not brief.translation_of_id:
        return
    if content_loaded(brief):
        named = any(c.role == Role.TRANSLATOR for c in brief.contributions.all())
    else:
        named = Contribution.objects.filter(brief=brief, role=Role.TRANSLATOR).exists()
    if not named:
        yield _warning(
            "translator_credited",
            gettext(
                "This translation credits no translator: add one under "
                "contributors (role: translator)."
            ),
        )


@editorial_check
def translation_up_to_date(brief: Brief) -> Iterator[Finding]:
    """A translation made from an older version than its original's public one.

    Publishing it anyway is allowed (a warning): its page will tell readers
    it is behind and link the corrected original.
    """
    if not brief.translation_of_id:
        return
    newer = public_record().newer_original(
        original_id=brief.translation_of_id, made_from=brief.translated_from_number
    )
    if newer is None:
        return
    values = {
        "made_from": brief.translated_from_number,
        "title": newer.title,
        "number": newer.number,
    }
    if newer.updated_on:
        message = gettext(
            "This translation was made from version %(made_from)d of “%(title)s”, "
            "which is at version %(number)d now (corrected %(date)s). Bring the "
            "text up to it and raise “made from version”, or publish it knowing "
            "that its page will say it is out of date."
        ) % {**values, "date": f"{newer.updated_on:%Y-%m-%d}"}
    else:
        message = (
            gettext(
                "This translation was made from version %(made_from)d of “%(title)s”, "
                "which is at version %(number)d now. Bring the text up to it and "
                "raise “made from version”, or publish it knowing that its page will "
                "say it is out of date."
            )
            % values
        )
    yield _warning(
        "translation_up_to_date",
        message,
        link=reverse("admin:briefs_brief_change", args=[brief.translation_of_id]),
    )


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
            gettext("Recommendation %(number)d (“%(title)s”) is addressed to no one.")
            % {"number": rec.order, "title": rec.title},
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
        # The header row is skipped: an empty corner cell is common and harmless.
        for r, row in enumerate(rows[1:], start=1):
            for c, cell in enumerate(row):
                if not cell.strip():
                    column = header[c] if c < len(header) and header[c] else c + 1
                    values = {
                        "table": number,
                        "section": block.section,
                        "row": r,
                        "column": column,
                    }
                    yield _warning(
                        "table_cells_filled",
                        (
                            gettext(
                                "Table %(table)d under “%(section)s”, row %(row)d, "
                                "column “%(column)s” is empty; write “no data” "
                                "(or —) if nothing is known."
                            )
                            if block.section
                            else gettext(
                                "Table %(table)d, row %(row)d, column “%(column)s” "
                                "is empty; write “no data” (or —) if nothing is "
                                "known."
                            )
                        )
                        % values,
                    )


@editorial_check
def tables_captioned(brief: Brief) -> Iterator[Finding]:
    """A table without a caption is announced to a screen reader as "table"
    and cited as nothing; its caption names it everywhere it is shown."""
    previous = None
    number = 0
    for block in split_blocks(brief.body):
        if block.kind == "table":
            number += 1
            if not table_caption(previous):
                values = {"table": number, "section": block.section}
                yield _warning(
                    "tables_captioned",
                    (
                        gettext(
                            "Table %(table)d under “%(section)s” has no caption; "
                            "write “Table: …” on the line above it."
                        )
                        if block.section
                        else gettext(
                            "Table %(table)d has no caption; write “Table: …” "
                            "on the line above it."
                        )
                    )
                    % values,
                )
        previous = block


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
    snapshot = _snapshot()
    for actor in snapshot.actors.values():  # by name, as the model orders them
        if states.get(actor.pk) in {MentionState.CONFIRMED, MentionState.REJECTED}:
            continue
        names = [(actor.name, True)] + snapshot.aliases.get(actor.pk, [])
        for name, case_sensitive in names:
            present = name in text if case_sensitive else name.lower() in lowered
            if (
                name.strip()
                and present
                and _name_pattern(name, case_sensitive).search(text)
            ):
                message = (
                    gettext(
                        "“%(actor)s” is named in the text (as “%(name)s”) but not "
                        "linked to the brief (its suggested link awaits a decision)."
                    )
                    if actor.pk in states
                    else gettext(
                        "“%(actor)s” is named in the text (as “%(name)s”) but not "
                        "linked to the brief."
                    )
                )
                yield _warning(
                    "mentioned_actors_linked",
                    message % {"actor": actor.name, "name": name},
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
                gettext("The text links to %(url)s, which is not a published brief.")
                % {"url": url},
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
                gettext(
                    "“%(title)s” is a level-1 heading; only the title is. "
                    "Use ## instead."
                )
                % {"title": title},
            )
        elif level > previous + 1:
            yield _warning(
                "heading_levels_in_order",
                gettext(
                    "“%(title)s” is a level-%(level)d heading after level "
                    "%(previous)d; a level is skipped (use %(marks)s)."
                )
                % {
                    "title": title,
                    "level": level,
                    "previous": previous,
                    "marks": "#" * (previous + 1),
                },
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
                gettext(
                    "Comparison %(number)d: at most %(limit)d comparisons in one brief."
                )
                % {"number": number, "limit": comparisons.MAX_DIRECTIVES},
            )
            return
        try:
            spec = comparisons.parse_directive(text)
            _, table = comparisons.compute(spec, by_name=True)
        except comparisons.ComparisonError as exc:
            for part, message in exc.errors.items():
                yield _error(
                    "embedded_comparisons_complete",
                    gettext("Comparison %(number)d (%(part)s): %(message)s")
                    % {"number": number, "part": part, "message": message},
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
                ngettext(
                    "Comparison %(number)d has %(count)d missing value, shown as "
                    "“no data”: %(shown)s.",
                    "Comparison %(number)d has %(count)d missing values, shown as "
                    "“no data”: %(shown)s.",
                    len(gaps),
                )
                % {"number": number, "count": len(gaps), "shown": shown},
            )


@editorial_check
def figures_in_library(brief: Brief) -> Iterator[Finding]:
    """A ```figure block must name an image of the media library that is not
    decorative and is cleared for public display; else the edition would
    show a notice in its place. One query when the body has figures."""
    blocks = figure_blocks(brief.body)
    if not blocks:
        return
    images = {i.slug: i for i in Image.objects.filter(slug__in={s for s, _ in blocks})}
    for number, (slug, _caption) in enumerate(blocks, start=1):
        image = images.get(slug)
        if image is None:
            problem = f"no image named “{slug}” is in the media library"
        elif image.decorative:
            problem = f"“{slug}” is marked decorative, and a figure carries meaning"
        elif not image.cleared:
            problem = f"“{slug}” is not cleared for public display"
        else:
            continue
        yield _error("figures_in_library", f"Figure {number}: {problem}.")


# --- Checks against the record (issue #13) --------------------------------------
#
# The prose is compared with the reference layer as of the brief's date: its
# printed date, else the day it was (or is to be) released, else today. Each
# check recognises only a few strict phrasings (editorial/record_checks.py),
# so a statement it cannot read is left alone: a warning must be worth reading.

MAX_RECORD_FINDINGS = 20  # per check and brief: past that, the editor has the idea


def brief_date(brief: Brief) -> datetime.date:
    if brief.publication_date:
        return brief.publication_date
    if brief.published_at:
        return timezone.localdate(brief.published_at)
    return timezone.localdate()


def admin_link(obj) -> str:
    meta = obj._meta
    try:
        return reverse(
            f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]
        )
    except NoReverseMatch:
        return ""


@dataclass
class _Sentence:
    start: int
    end: int
    masked: str
    ids: list[int]  # actor id per marker
    spans: list[tuple[int, int, int]]  # in the text
    years: set[int]


@dataclass
class _Reading:
    text: str
    on: datetime.date
    sentences: list[_Sentence]
    spans: list[tuple[int, int, int]]
    snapshot: "_Snapshot"

    def quote(self, sentence: _Sentence) -> str:
        return record_checks.quote(self.text, sentence.start, sentence.end)

    def marker_text(self, sentence: _Sentence, marker: int) -> str:
        start, end, _ = sentence.spans[marker]
        return self.text[start:end]


@dataclass(frozen=True)
class _ActorRow:
    pk: int
    name: str
    kind: str


@dataclass
class _Snapshot:
    """What the record checks read of the reference layer on every run, kept
    per process and rebuilt when `_fingerprint()` changes."""

    scanner: MentionScanner  # actor names and aliases (as briefs.mentions)
    actors: dict[int, _ActorRow]  # in the model's order (by name)
    aliases: dict[int, list[tuple[str, bool]]]  # (alias, case_sensitive) by alias
    titles: set[str]  # every Office title
    index: record_checks.NameIndex  # actors, aliases, people, institutions
    spellings: dict[int, list[str]]  # actor id -> its name and aliases
    people: MentionScanner  # people and institutions, keys index `records`
    records: list[tuple[str, int, str]]  # (model, pk, name)
    twins: dict[tuple[str, int], tuple[str, int, str]]  # near-duplicate records


_snapshot_cache: dict[str, tuple[tuple, _Snapshot]] = {}


def _fingerprint() -> tuple:
    """One query: changes when an actor, alias, person, institution or
    office title is added, removed or edited (counts, highest ids, latest
    edits; aliases and office titles, which have no edit time, by their
    total length and flags), plus the page cache's generation, which every
    committed change to those records retires (an edit that keeps the
    lengths is caught by it)."""
    tables = {
        model: connection.ops.quote_name(model._meta.db_table)
        for model in (Actor, ActorAlias, Person, Institution, Office)
    }
    parts = [
        f"SELECT COUNT(*) FROM {tables[Actor]}",
        f"SELECT MAX(updated_at) FROM {tables[Actor]}",
        f"SELECT COUNT(*) FROM {tables[ActorAlias]}",
        f"SELECT MAX(id) FROM {tables[ActorAlias]}",
        f"SELECT SUM(LENGTH(alias) + CASE WHEN case_sensitive THEN 1000 ELSE 0 END)"
        f" FROM {tables[ActorAlias]}",
        f"SELECT COUNT(*) FROM {tables[Person]}",
        f"SELECT MAX(updated_at) FROM {tables[Person]}",
        f"SELECT COUNT(*) FROM {tables[Institution]}",
        f"SELECT MAX(updated_at) FROM {tables[Institution]}",
        f"SELECT COUNT(*) FROM {tables[Office]}",
        f"SELECT MAX(id) FROM {tables[Office]}",
        f"SELECT SUM(LENGTH(title)) FROM {tables[Office]}",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"({part})" for part in parts))
        row = tuple(cursor.fetchone())
    # Every committed change to those records also retires the page cache's
    # generation (kernel.changes): that catches the edits the sums miss.
    return (*row, current_generation())


def _snapshot() -> _Snapshot:
    run = _run.get()
    if run is not None and "snapshot" in run:
        return run["snapshot"]
    fingerprint = _fingerprint()
    cached = _snapshot_cache.get("snapshot")
    if cached and cached[0] == fingerprint:
        if run is not None:
            run["snapshot"] = cached[1]
        return cached[1]
    actors = {
        pk: _ActorRow(pk, name, kind)
        for pk, name, kind in Actor.objects.values_list("id", "name", "kind")
    }
    aliases = list(
        ActorAlias.objects.values_list("actor_id", "alias", "case_sensitive")
    )
    by_actor: dict[int, list[tuple[str, bool]]] = {}
    for pk, alias, case_sensitive in aliases:
        by_actor.setdefault(pk, []).append((alias, case_sensitive))
    names: list[tuple[object, str]] = []
    spellings: dict[int, list[str]] = {}
    for pk, row in actors.items():
        names.append((("actor", pk), row.name))
        spellings.setdefault(pk, []).append(row.name)
    for pk, alias, _ in aliases:
        names.append((("actor", pk), alias))
        spellings.setdefault(pk, []).append(alias)
    records: list[tuple[str, int, str]] = []
    for pk, name in Person.objects.values_list("id", "name"):
        records.append(("person", pk, name))
    for pk, name, local in Institution.objects.values_list("id", "name", "local_name"):
        records.append(("institution", pk, name))
        if local.strip():
            records.append(("institution", pk, local))
    names += [((model, pk), name) for model, pk, name in records]
    index = record_checks.NameIndex(names)
    twins = _near_twins(index, records)
    snapshot = _Snapshot(
        scanner=MentionScanner(
            [(pk, row.name, False) for pk, row in actors.items()] + aliases
        ),
        actors=actors,
        aliases=by_actor,
        titles=set(Office.objects.values_list("title", flat=True).distinct()),
        index=index,
        spellings=spellings,
        people=MentionScanner(
            (i, name, False) for i, (_, _, name) in enumerate(records)
        ),
        records=records,
        twins=twins,
    )
    _snapshot_cache["snapshot"] = (fingerprint, snapshot)
    if run is not None:
        run["snapshot"] = snapshot
    return snapshot


_reading_cache: dict[str, tuple] = {}


def _reading(brief: Brief) -> _Reading:
    """The brief's summary and body, split into sentences with actors marked.

    Read once for all the record checks of one run (a one-entry cache keyed by
    the text, the date and the scanner in use).
    """
    text = record_checks.without_fences(f"{brief.summary}\n\n{brief.body}")
    on = brief_date(brief)
    snapshot = _snapshot()
    cached = _reading_cache.get("last")
    if cached and cached[0] == (text, on) and cached[1] is snapshot:
        return cached[2]
    scanner = snapshot.scanner
    spans = scanner.spans(text)
    starts = [s[0] for s in spans]
    sentences = []
    for start, end in record_checks.sentences(text):
        if end - start > record_checks.MAX_SENTENCE:
            continue
        first = bisect.bisect_left(starts, start)
        inside = []
        for span in spans[first:]:
            if span[0] >= end:
                break
            if span[1] <= end:
                inside.append(span)
        if not inside:
            continue
        relative = [(s - start, e - start, a) for s, e, a in inside]
        masked, ids = record_checks.masked(text[start:end], relative)
        sentences.append(
            _Sentence(
                start, end, masked, ids, inside, record_checks.years(text[start:end])
            )
        )
    reading = _Reading(text, on, sentences, spans, snapshot)
    _reading_cache["last"] = ((text, on), snapshot, reading)
    return reading


@editorial_check
def offices_as_recorded(brief: Brief) -> Iterator[Finding]:
    """ "President X" when X was not President on the brief's date, by X's
    Office records. A title the records do not know for X is not judged
    (the records may be incomplete); neither is "then-President X"."""
    reading = _reading(brief)
    titles = set(reading.snapshot.titles)
    if not titles:
        return
    titles |= {
        short
        for short, long in record_checks.TITLE_ABBREVIATIONS.items()
        if long in titles
    }
    prefix = record_checks.title_pattern(titles)
    appositive = record_checks.appositive_pattern(titles)
    found = []
    for sentence in reading.sentences:
        for claim in record_checks.title_claims(sentence.masked, prefix, appositive):
            found.append((sentence, claim))
    if not found:
        return
    ids = {s.ids[c.person] for s, c in found} | {
        s.ids[c.of] for s, c in found if c.of is not None
    }
    actors = reading.snapshot.actors
    ids = {i for i in ids if i in actors and actors[i].kind == ActorKind.PERSON}
    if not ids:
        return
    offices: dict[int, list[Office]] = {}
    for office in Office.objects.filter(holder_id__in=ids).select_related("of_actor"):
        offices.setdefault(office.holder_id, []).append(office)
    count = 0
    for sentence, claim in found:
        person = actors.get(sentence.ids[claim.person])
        if person is None or person.kind != ActorKind.PERSON:
            continue
        of_id = sentence.ids[claim.of] if claim.of is not None else None
        titled = [
            o
            for o in offices.get(person.pk, [])
            if record_checks.same_title(o.title, claim.title)
        ]
        if not titled:
            continue  # the records say nothing of this title for this person
        matching = [o for o in titled if of_id is None or o.of_actor_id == of_id]
        of_text = (
            gettext(" of %(actor)s") % {"actor": actors[of_id].name}
            if of_id in actors
            else ""
        )
        if claim.former:
            current = [
                o
                for o in matching
                if record_checks.held_on(o.since, o.until, reading.on)
            ]
            ended = [o for o in matching if o.until and o.until <= reading.on]
            if not current or ended:
                continue
            record = current[0]
            dates = record_checks.span_text(record.since, record.until)
            message = gettext(
                "“%(quote)s” calls %(person)s a former %(title)s%(of)s, but on "
                "%(date)s the record has %(person)s in office (%(office)s of "
                "%(actor)s, %(dates)s)."
            ) % {
                "quote": reading.quote(sentence),
                "person": person.name,
                "title": claim.title,
                "of": of_text,
                "date": reading.on.isoformat(),
                "office": record.title,
                "actor": record.of_actor.name,
                "dates": dates,
            }
        else:
            if any(
                record_checks.held_then(o.since, o.until, reading.on, sentence.years)
                for o in matching
            ):
                continue
            record = (matching or titled)[0]
            dates = record_checks.span_text(record.since, record.until)
            message = gettext(
                "“%(quote)s” names %(person)s %(title)s%(of)s, an office "
                "%(person)s did not hold on %(date)s: the record has %(office)s "
                "of %(actor)s, %(dates)s."
            ) % {
                "quote": reading.quote(sentence),
                "person": person.name,
                "title": claim.title,
                "of": of_text,
                "date": reading.on.isoformat(),
                "office": record.title,
                "actor": record.of_actor.name,
                "dates": dates,
            }
        yield _warning("offices_as_recorded", message, admin_link(record))
        count += 1
        if count >= MAX_RECORD_FINDINGS:
            return


def _names(actors: dict[int, Actor], ids: Iterable[int]) -> str:
    names = [actors[i].name for i in ids if i in actors]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _agreement_fits_noun(agreement: Agreement, noun: str, parties: int) -> bool:
    kind = record_checks.AGREEMENT_NOUNS.get(noun)
    if kind is not None:
        return agreement.kind == kind
    # A generic word ("pact", "trio") names a recorded agreement only when it
    # has at least three parties: two-party deals are too many to guess.
    return parties >= 3


@editorial_check
def agreement_parties_as_recorded(brief: Brief) -> Iterator[Finding]:
    """ "The Tirana declaration of Albania, Croatia and Montenegro" when the
    recorded parties are Albania, Croatia and Kosovo. The agreement is known
    by its place of signing ("the Tirana trio (…)") or by a dashed list of
    three or more parties ("the A–B–C pact") that differs from one recorded
    agreement's by one party; lists that share less are not judged."""
    reading = _reading(brief)
    found = []
    for sentence in reading.sentences:
        for claim in record_checks.party_lists(sentence.masked):
            found.append((sentence, claim))
    if not found:
        return
    agreements = [
        a
        for a in Agreement.objects.prefetch_related("parties")
        if a.signed_on is None or a.signed_on <= reading.on
    ]
    parties = {a.pk: [p.actor_id for p in a.parties.all()] for a in agreements}
    actors = reading.snapshot.actors
    count = 0
    for sentence, claim in found:
        listed = [sentence.ids[m] for m in claim.parties]
        listed_set = set(listed)
        if len(listed_set) != len(listed):
            continue
        if claim.place is not None:
            place = fold(reading.marker_text(sentence, claim.place))
            candidates = [
                a for a in agreements if a.signed_at and fold(a.signed_at) == place
            ]
        else:
            candidates = [
                a for a in agreements if len(parties[a.pk]) == len(listed) >= 3
            ]
        candidates = [
            a
            for a in candidates
            if _agreement_fits_noun(a, claim.noun, len(parties[a.pk]))
        ]
        if any(set(parties[a.pk]) == listed_set for a in candidates):
            continue
        differing = [
            a
            for a in candidates
            if record_checks.differing_parties(listed_set, set(parties[a.pk]))
        ]
        if len(differing) != 1:
            continue
        agreement = differing[0]
        signed = (
            gettext("signed %(date)s") % {"date": agreement.signed_on.isoformat()}
            if agreement.signed_on
            else gettext("undated")
        )
        yield _warning(
            "agreement_parties_as_recorded",
            gettext(
                "“%(quote)s” lists the parties of “%(agreement)s” (%(signed)s) as "
                "%(listed)s; on %(date)s the record has %(recorded)s."
            )
            % {
                "quote": reading.quote(sentence),
                "agreement": agreement.title,
                "signed": signed,
                "listed": _names(actors, listed),
                "date": reading.on.isoformat(),
                "recorded": _names(actors, parties[agreement.pk]),
            },
            admin_link(agreement),
        )
        count += 1
        if count >= MAX_RECORD_FINDINGS:
            return


@editorial_check
def memberships_as_recorded(brief: Brief) -> Iterator[Finding]:
    """ "Kosovo, a NATO member" when no Membership of Kosovo in NATO is in
    force on the brief's date (or in a year the sentence names), and "X, a
    non-NATO member" when one is. Only organizations with membership records
    are judged: their records are taken as complete."""
    reading = _reading(brief)
    found = []
    for sentence in reading.sentences:
        for claim in record_checks.membership_claims(sentence.masked):
            found.append((sentence, claim))
    if not found:
        return
    org_ids = {s.ids[c.organization] for s, c in found}
    records: dict[tuple[int, int], list[Membership]] = {}
    recorded_orgs = set()
    for membership in Membership.objects.filter(organization_id__in=org_ids):
        recorded_orgs.add(membership.organization_id)
        records.setdefault(
            (membership.member_id, membership.organization_id), []
        ).append(membership)
    actors = reading.snapshot.actors
    count = 0
    seen = set()
    for sentence, claim in found:
        member_id = sentence.ids[claim.member]
        org_id = sentence.ids[claim.organization]
        member, org = actors.get(member_id), actors.get(org_id)
        if org_id not in recorded_orgs or member is None or org is None:
            continue
        if member_id == org_id or member.kind in (
            ActorKind.PERSON,
            ActorKind.ORGANIZATION,
            ActorKind.MISSION,
        ):
            continue
        if (sentence.start, member_id, org_id) in seen:
            continue
        seen.add((sentence.start, member_id, org_id))
        held = records.get((member_id, org_id), [])
        date = reading.on.isoformat()
        if claim.member_of:
            if any(
                record_checks.held_then(m.since, m.until, reading.on, sentence.years)
                for m in held
            ):
                continue
            history = "; ".join(record_checks.span_text(m.since, m.until) for m in held)
            values = {
                "quote": reading.quote(sentence),
                "member": member.name,
                "org": org.name,
                "date": date,
                "history": history,
            }
            message = (
                gettext(
                    "“%(quote)s” says %(member)s is a member of %(org)s; the "
                    "membership records show none on %(date)s (recorded: "
                    "%(history)s)."
                )
                if history
                else gettext(
                    "“%(quote)s” says %(member)s is a member of %(org)s; the "
                    "membership records show none on %(date)s."
                )
            ) % values
            link = admin_link(held[0]) if held else _record_link("actor", org.pk)
        else:
            current = [
                m for m in held if record_checks.held_on(m.since, m.until, reading.on)
            ]
            if not current:
                continue
            message = gettext(
                "“%(quote)s” says %(member)s is not a member of %(org)s; the "
                "record has it a member on %(date)s (%(dates)s)."
            ) % {
                "quote": reading.quote(sentence),
                "member": member.name,
                "org": org.name,
                "date": date,
                "dates": record_checks.span_text(current[0].since, current[0].until),
            }
            link = admin_link(current[0])
        yield _warning("memberships_as_recorded", message, link)
        count += 1
        if count >= MAX_RECORD_FINDINGS:
            return


@editorial_check
def figures_as_recorded(brief: Brief) -> Iterator[Finding]:
    """ "Serbia has 30,000 active troops" when the recorded figure for that
    year is 28,000. The year is the one the sentence names (only one), else
    the brief's. Hedges widen the figure ("about": ±10 %, "over": a lower
    bound), ranges stay ranges, unknown records are not compared, and an
    order or a plan is compared only with ordered or planned figures."""
    reading = _reading(brief)
    found = []
    for sentence in reading.sentences:
        if len(sentence.years) > 1:
            continue
        for claim in record_checks.figure_claims(sentence.masked):
            found.append((sentence, claim))
    if not found:
        return
    actors = reading.snapshot.actors
    wanted_years = {next(iter(s.years), reading.on.year) for s, _ in found}
    indicators: dict[tuple[int, str, int], list[Indicator]] = {}
    for indicator in Indicator.objects.filter(
        actor_id__in={s.ids[c.actor] for s, c in found},
        metric__in={c.metric for _, c in found},
        year__in=wanted_years,
        value__isnull=False,
    ):
        indicators.setdefault(
            (indicator.actor_id, indicator.metric, indicator.year), []
        ).append(indicator)
    count = 0
    for sentence, claim in found:
        actor = actors.get(sentence.ids[claim.actor])
        if actor is None:
            continue
        deployed = claim.metric == Metric.PEACEKEEPERS
        if deployed != (actor.kind == ActorKind.MISSION):
            continue  # a state's "troops" are not its deployed ones, and back
        year = next(iter(sentence.years), reading.on.year)
        status = record_checks.status_named(reading.text[sentence.start : sentence.end])
        records = [
            i
            for i in indicators.get((actor.pk, claim.metric, year), [])
            if (i.status or "") == status or (not status and i.status == "in_service")
        ]
        if not records:
            continue
        stated = (claim.low, claim.high)
        if any(
            record_checks.overlaps(
                stated,
                (
                    float(i.value),
                    float(i.value_max if i.value_max is not None else i.value),
                ),
            )
            for i in records
        ):
            continue
        record = records[0]
        label = Metric(claim.metric).label.lower()
        yield _warning(
            "figures_as_recorded",
            gettext(
                "“%(quote)s” gives %(written)s for %(actor)s (%(metric)s, %(year)s); "
                "the record has %(value)s (source: %(source)s)."
            )
            % {
                "quote": reading.quote(sentence),
                "written": claim.written,
                "actor": actor.name,
                "metric": label,
                "year": year,
                "value": record.display_value
                + (" " + record.status_text if record.status_text else ""),
                "source": record.source,
            },
            admin_link(record),
        )
        count += 1
        if count >= MAX_RECORD_FINDINGS:
            return


_MODELS = {"actor": Actor, "person": Person, "institution": Institution}
MAX_NEAR_MISS_WORDS = 5000  # distinct capitalised words looked up per brief


def _record_link(model: str, pk: int) -> str:
    try:
        return reverse(
            f"admin:{_MODELS[model]._meta.app_label}_{model}_change", args=[pk]
        )
    except NoReverseMatch:
        return ""


@editorial_check
def names_as_recorded(brief: Brief) -> Iterator[Finding]:
    """A name written nearly as a known one: "Vućić" for "Vučić" (the same
    letters once diacritics are folded, spelled as no record spells it), or
    "Pupin Initative" for "Pupin Initiative" (one edit in one word of a
    name whose other words match; a one-word name needs 7 letters, the same
    first letter and no inflection). In the summary and body, and in the
    credits: a credited person or affiliation whose name nearly matches
    another record is probably a duplicate."""
    reading = _reading(brief)
    known = reading.snapshot
    text = reading.text
    findings: dict[str, Finding] = {}

    def add(written: str, name: str, model: str, pk: int, where: str) -> None:
        if written in findings or len(findings) >= MAX_RECORD_FINDINGS:
            return
        findings[written] = _warning(
            "names_as_recorded",
            gettext(
                "%(where)s writes “%(written)s”; the record spells it “%(name)s” "
                "(%(model)s, as of %(date)s)."
            )
            % {
                "where": where,
                "written": written,
                "name": name,
                "model": model,
                "date": reading.on.isoformat(),
            },
            _record_link(model, pk),
        )

    def sentence_of(position: int) -> str:
        for start, end in record_checks.sentences(
            text[max(0, position - 300) : position + 300]
        ):
            base = max(0, position - 300)
            if base + start <= position < base + end:
                return record_checks.quote(text, base + start, base + end)
        return ""

    # Actor names folded alike but spelled as no record spells them.
    actor_names = {}
    for start, end, actor_id in reading.spans:
        written = text[start:end]
        if record_checks.misspelled(written, known.spellings.get(actor_id, [])):
            actor_names.setdefault(written, (start, actor_id))
    for written, (start, actor_id) in actor_names.items():
        name = known.actors[actor_id].name if actor_id in known.actors else ""
        add(written, name, "actor", actor_id, f"“{sentence_of(start)}”")
    # People and institutions, the same way.
    for start, end, i in known.people.spans(text):
        model, pk, name = known.records[i]
        written = text[start:end]
        if record_checks.misspelled(written, [name]):
            add(written, name, model, pk, f"“{sentence_of(start)}”")
    # One edit from a known name.
    taken_starts = [s for s, _, _ in reading.spans]
    looked_up = 0
    seen: set[str] = set()
    for words, spans in record_checks.capitalised_runs(text):
        for at, word in enumerate(words):
            folded = fold(word)
            if (
                folded in known.index.words
                or len(folded) < record_checks.NameIndex.MIN_WORD
            ):
                continue
            key = " ".join(words[max(0, at - 3) : at + 4])
            if key in seen:
                continue
            seen.add(key)
            looked_up += 1
            if looked_up > MAX_NEAR_MISS_WORDS:
                break
            start = spans[at][0]
            i = bisect.bisect_right(taken_starts, start) - 1
            if i >= 0 and start < reading.spans[i][1]:
                continue  # inside a name the scanner found
            miss = known.index.near_miss(words, at)
            if miss is None:
                continue
            (model, pk), name, first = miss
            count = len(record_checks._WORD.findall(name))
            written = text[spans[first][0] : spans[first + count - 1][1]]
            add(written, name, model, pk, f"“{sentence_of(start)}”")
    # Credits and affiliations: a near twin of another record. The twins are
    # known in advance, so a brief is read for its credits only if any exist.
    if brief.pk is None or not known.twins:
        contributions = []
    elif content_loaded(brief):
        contributions = brief.contributions.all()
    else:
        contributions = Contribution.objects.filter(brief=brief).select_related(
            "person__affiliation"
        )
    for contribution in contributions:
        person = contribution.person
        credited = [("person", person.pk, person.name)]
        if person.affiliation_id:
            credited.append(
                ("institution", person.affiliation_id, person.affiliation.name)
            )
        for model, pk, name in credited:
            twin = known.twins.get((model, pk))
            if twin:
                add(
                    name,
                    twin[2],
                    twin[0],
                    twin[1],
                    gettext("The credits (%(role)s)")
                    % {"role": contribution.get_role_display().lower()},
                )
    yield from findings.values()


def _near_twins(
    index: record_checks.NameIndex, records: list[tuple[str, int, str]]
) -> dict[tuple[str, int], tuple[str, int, str]]:
    """Each person or institution whose name is another record's of the same
    model once folded, or one edit from it in one word: (model, pk) -> the
    other (model, pk, name)."""
    twins: dict[tuple[str, int], tuple[str, int, str]] = {}
    by_folded: dict[tuple[str, str], list[tuple[str, int, str]]] = {}
    for model, pk, name in records:
        folded = fold(" ".join(record_checks._WORD.findall(name)))
        by_folded.setdefault((model, folded), []).append((model, pk, name))
    for group in by_folded.values():
        for model, pk, _ in group:
            other = next((g for g in group if g[1] != pk), None)
            if other:
                twins.setdefault((model, pk), other)
    for model, pk, name in records:
        words = record_checks._WORD.findall(name)
        for at in range(len(words)):
            miss = index.near_miss(words, at)
            if miss and miss[0][0] == model and miss[0][1] != pk and miss[2] == 0:
                twins.setdefault((model, pk), (model, miss[0][1], miss[1]))
                break
    return twins
