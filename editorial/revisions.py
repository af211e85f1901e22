"""Revisions: the whole content of a brief at a moment, and how two of them differ.

A revision is a JSON snapshot of everything an editor can change: the brief's
own content fields, its topics, contributors, recommendations (with their
addressees), linked actors and linked agreements. Ids are kept so a snapshot
can be applied again (restore, publishing a correction); names are kept so
that a diff stays readable after the person or actor is renamed or deleted.

Permission checks are not made here: `editorial.workflow` decides who may restore
what, then calls `apply_content` and `record_revision`.
"""

import datetime
import difflib
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractUser
from django.db import connections, models, router, transaction
from django.db.models import Field, Subquery, Value, signals
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Coalesce

from actors.models import Actor, Agreement
from briefs.markdown import Block, split_blocks, table_rows
from briefs.models import (
    Brief,
    BriefActor,
    BriefAgreement,
    Contribution,
    Person,
    PolicyArea,
    Recommendation,
    Role,
    Topic,
    content_loaded,
    load_content,
)
from editorial.models import BriefRevision, RevisionKind

# Fields that belong to the workflow, not to the content: a revision neither
# records nor restores them, so restoring an old text never unpublishes it.
WORKFLOW_FIELDS = {
    "id",
    "status",
    "published_at",
    "withdrawn_reason",
    "withdrawn_at",
    "deleted_at",
    "created_by",
    "draft_of",
    "version",
}
# Kept in snapshots (for the record) but never written back: a brief's public
# address changes only on purpose, and a working copy's slug is not the live one.
NOT_RESTORED = {"slug"}


def content_fields() -> list[Field]:
    """Every field an editor can change on the brief itself, in model order.

    Derived from the model so that a content field added later (a PDF, a
    subtitle) is versioned without anyone remembering to list it here.
    """
    return [
        f
        for f in Brief._meta.concrete_fields
        if f.editable and f.name not in WORKFLOW_FIELDS
    ]


def _json_value(value: object) -> object:
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def snapshot_brief(brief: Brief) -> dict:
    """The whole editable content of `brief` as JSON-ready data.

    Free when `brief` has its content loaded (briefs.models.content_prefetches,
    as when a correction is published); else 7 queries.
    """
    fields = {f.name: _json_value(f.value_from_object(brief)) for f in content_fields()}
    if not content_loaded(brief):
        [brief] = load_content(brief)
    return {
        "fields": fields,
        "topics": [{"id": t.pk, "name": t.name} for t in brief.topics.all()],
        "contributions": [
            {
                "person": c.person_id,
                "name": c.person.name,
                "role": c.role,
                "order": c.order,
            }
            for c in brief.contributions.all()
        ],
        "recommendations": [
            {
                "key": str(r.key),
                "order": r.order,
                "title": r.title,
                "body": r.body,
                "policy_area": r.policy_area,
                "addressees": [
                    {"id": a.pk, "name": a.name} for a in r.addressees.all()
                ],
            }
            for r in brief.recommendations.all()
        ],
        "actors": [
            {
                "actor": link.actor_id,
                "name": link.actor.name,
                "state": link.state,
                "mention_count": link.mention_count,
                "first_position": link.first_position,
            }
            for link in brief.actor_links.all()
        ],
        "agreements": [
            {"agreement": link.agreement_id, "title": link.agreement.title}
            for link in brief.agreement_links.all()
        ],
    }


# No savepoint: one read and one INSERT, nothing to undo halfway, and a
# savepoint costs two queries inside every caller's transaction.
@transaction.atomic(savepoint=False)
def record_revision(
    *,
    brief: Brief,
    user: AbstractUser | None,
    comment: str = "",
    kind: str = RevisionKind.EDIT,
    content: dict | None = None,
    if_changed: bool = False,
) -> BriefRevision | None:
    """Store a revision of `brief`: its current content unless `content` is given.

    With `if_changed`, content equal to the latest applied revision is not
    stored again (an unchanged re-import adds no noise to the history).
    """
    content = snapshot_brief(brief) if content is None else content
    if if_changed:
        latest = (
            BriefRevision.objects.filter(brief=brief)
            .exclude(kind=RevisionKind.CONFLICT)
            .order_by("-id")
            .values_list("content", flat=True)
            .first()
        )
        if latest == content:
            return None
    return BriefRevision.objects.create(
        brief=brief,
        number=next_revision_number(brief),
        kind=kind,
        content=content,
        comment=comment[:2000],
        created_by=user if user is not None and user.is_authenticated else None,
    )


def next_revision_number(brief: Brief) -> models.Expression:
    """The number `brief`'s next revision takes, as an expression for its INSERT.

    Computed by the INSERT itself (and returned by it), so numbering costs no
    query of its own. The brief's row lock, which every writer holds, keeps
    two revisions from taking one number; the unique constraint is the net.
    A correction draft counts its published brief's revisions too, so that
    its numbers go on from theirs and stay unique when the histories join.
    """
    ids = [brief.pk] + ([brief.draft_of_id] if brief.draft_of_id else [])
    latest = (
        BriefRevision.objects.filter(brief_id__in=ids)
        .order_by("-number")
        .values("number")[:1]
    )
    return Coalesce(Subquery(latest), Value(0)) + Value(1)


def record_imported_revision(*, brief: Brief, comment: str, **kwargs: object) -> None:
    """Receiver of `briefs.hooks.brief_imported`: the import as a revision.

    Nobody's edit (`user=None`), and only if the content changed, so an
    unchanged re-import adds nothing to the history.
    """
    record_revision(brief=brief, user=None, comment=comment, if_changed=True)


def current_edit_token(brief: Brief) -> str:
    """The optimistic-concurrency token of `brief`: its latest applied revision.

    Every applied save records a revision, so a form whose token is not the
    current one was loaded before somebody else's save. Conflicting edits are
    stored but not applied, so they do not move the token.
    """
    latest = (
        BriefRevision.objects.filter(brief=brief)
        .exclude(kind=RevisionKind.CONFLICT)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    return str(latest or "")


@transaction.atomic
def apply_content(brief: Brief, content: dict) -> list[str]:
    """Make `brief`'s content equal to a snapshot; return notes on what was skipped.

    Replaces the content fields and every related row. A person, actor, topic
    or agreement that no longer exists cannot be linked again; it is skipped
    and named in the notes rather than failing the whole restore. Callers
    hold the brief's row lock and check permissions (editorial/workflow.py).
    """
    notes: list[str] = []
    by_name = {f.name: f for f in content_fields()}
    for name, value in content.get("fields", {}).items():
        if name in by_name and name not in NOT_RESTORED:
            setattr(brief, by_name[name].attname, by_name[name].to_python(value))
    if brief.translation_of_id and not (
        Brief.objects.filter(pk=brief.translation_of_id).exists()
    ):
        # The original it translated then has been purged since.
        notes.append("the original it translated no longer exists")
        brief.translation_of_id = brief.translated_from_number = None
    brief.save()

    topics = Topic.objects.in_bulk([t["id"] for t in content.get("topics", [])])
    brief.topics.set(topics.values())
    notes += [
        f"topic “{t['name']}” no longer exists"
        for t in content.get("topics", [])
        if t["id"] not in topics
    ]

    # Bulk writes: one INSERT per relation whatever the number of rows (a
    # published correction comes through here; see the budget tests).
    Contribution.objects.filter(brief=brief).delete()
    people = Person.objects.in_bulk(
        [c["person"] for c in content.get("contributions", [])]
    )
    contributions = []
    for c in content.get("contributions", []):
        if c["person"] not in people:
            notes.append(f"contributor “{c['name']}” no longer exists")
            continue
        contributions.append(
            Contribution(
                brief=brief,
                person=people[c["person"]],
                role=c["role"],
                order=c["order"],
            )
        )
    Contribution.objects.bulk_create(contributions)

    # A recommendation keeps its identity (its key, which its assessments
    # follow). Revisions written before keys existed give none: those take
    # the key of the recommendation that has their number now.
    keys_now = dict(
        Recommendation.objects.filter(brief=brief).values_list("order", "key")
    )
    Recommendation.objects.filter(brief=brief).delete()
    recommendations = content.get("recommendations", [])
    addressees = Actor.objects.in_bulk(
        [a["id"] for r in recommendations for a in r["addressees"]]
    )
    created = Recommendation.objects.bulk_create(
        Recommendation(
            brief=brief,
            order=r["order"],
            title=r["title"],
            body=r["body"],
            policy_area=r["policy_area"],
            key=_recommendation_key(r, keys_now),
        )
        for r in recommendations
    )
    through = Recommendation.addressees.through
    through.objects.bulk_create(
        through(recommendation_id=recommendation.pk, actor_id=a["id"])
        for recommendation, r in zip(created, recommendations, strict=True)
        for a in r["addressees"]
        if a["id"] in addressees
    )
    for r in recommendations:
        notes += [
            f"addressee “{a['name']}” no longer exists"
            for a in r["addressees"]
            if a["id"] not in addressees
        ]

    BriefActor.objects.filter(brief=brief).delete()
    actors = Actor.objects.in_bulk([a["actor"] for a in content.get("actors", [])])
    links = []
    for a in content.get("actors", []):
        if a["actor"] not in actors:
            notes.append(f"actor “{a['name']}” no longer exists")
            continue
        links.append(
            BriefActor(
                brief=brief,
                actor=actors[a["actor"]],
                state=a["state"],
                mention_count=a["mention_count"],
                first_position=a["first_position"],
            )
        )
    BriefActor.objects.bulk_create(links)

    BriefAgreement.objects.filter(brief=brief).delete()
    agreements = Agreement.objects.in_bulk(
        [a["agreement"] for a in content.get("agreements", [])]
    )
    agreement_links = []
    for a in content.get("agreements", []):
        if a["agreement"] not in agreements:
            notes.append(f"agreement “{a['title']}” no longer exists")
            continue
        agreement_links.append(
            BriefAgreement(brief=brief, agreement=agreements[a["agreement"]])
        )
    BriefAgreement.objects.bulk_create(agreement_links)
    return notes


def _recommendation_key(data: dict, keys_now: dict[int, uuid.UUID]) -> uuid.UUID:
    if data.get("key"):
        return uuid.UUID(data["key"])
    return keys_now.get(data["order"]) or uuid.uuid4()


def _rows(brief: Brief, relation: str) -> list:
    return list(brief._prefetched_objects_cache[relation])


# What makes two briefs' rows of a relation the same content (ids aside).
_CONTENT_KEYS = {
    "contributions": lambda c: (c.person_id, c.role, c.order),
    "topics": lambda t: t.pk,
    "actor_links": lambda a: (a.actor_id, a.state, a.mention_count, a.first_position),
    "agreement_links": lambda a: a.agreement_id,
    "recommendations": lambda r: (
        r.key,
        r.order,
        r.title,
        r.body,
        r.policy_area,
        [a.pk for a in r.addressees.all()],
    ),
}


def delete_emptied(model: type[models.Model], *, column: str, value: int) -> None:
    """DELETE the rows of `model` whose `column` is `value`, without the collector.

    Only for rows whose children the caller has already moved or deleted.
    `QuerySet.delete()` would ask the database about every reverse relation
    of the model first (for a brief, one query per each of its ~14 related
    tables: issue #10's query budget), and Django documents no way to skip
    that but raw SQL. Nothing is lost by skipping it: the database's foreign
    keys still guard the rows, so a child row the caller forgot makes the
    transaction fail instead of leaving an orphan (PostgreSQL and SQLite with
    its foreign keys on, as Django turns them on, check Django's deferred
    constraints at commit; tests/editorial/test_workflow.py shows it).
    Delete signals are a reason to take the collector's way: it sends them.
    """
    if signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(
        model
    ):
        model._base_manager.filter(**{column: value}).delete()
        return
    using = router.db_for_write(model)
    quote = connections[using].ops.quote_name
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(model._meta.db_table)} WHERE {quote(column)} = %s",
            [value],
        )


def _delete_content(brief: Brief, relation: str) -> None:
    """Delete `brief`'s rows of one content relation, as loaded (none: no query)."""
    rows = _rows(brief, relation)
    if not rows:
        return
    if relation == "topics":
        Brief.topics.through.objects.filter(brief=brief).delete()
    elif relation == "recommendations":
        # Their addressees first (one fast DELETE), then the rows themselves
        # without the collector's SELECT of what it just saw deleted.
        Recommendation.addressees.through.objects.filter(
            recommendation__brief=brief
        ).delete()
        delete_emptied(Recommendation, column="brief_id", value=brief.pk)
    else:
        _CONTENT_MODELS[relation].objects.filter(brief=brief).delete()


_CONTENT_MODELS: dict[str, type[models.Model]] = {
    "contributions": Contribution,
    "actor_links": BriefActor,
    "agreement_links": BriefAgreement,
    "recommendations": Recommendation,
}


def move_content(source: Brief, target: Brief) -> None:
    """Give `target` the content of `source` by moving rows, not copying them.

    Publishing a correction: `source` is the working copy, `target` the live
    brief. Both must have their content loaded (`content_prefetches`);
    `target`'s prefetch cache is left describing its new rows, so the
    revision and the edition snapshot it next read no query. `source` is
    left with no content rows, ready to be deleted (`delete_emptied`).

    Per relation, a correction usually changes nothing: then the live rows
    stay and the copy's are deleted. Otherwise the live rows are deleted and
    the copy's rows are re-pointed at the live brief with one UPDATE, instead
    of being deleted and inserted again one relation at a time. Empty
    relations cost nothing.
    """
    for f in content_fields():
        if f.name not in NOT_RESTORED:
            setattr(target, f.attname, getattr(source, f.attname))
    target.save()
    for relation, key in _CONTENT_KEYS.items():
        new, old = _rows(source, relation), _rows(target, relation)
        if [key(row) for row in new] == [key(row) for row in old]:
            _delete_content(source, relation)
            continue
        _delete_content(target, relation)
        if not new:
            pass
        elif relation == "topics":
            Brief.topics.through.objects.filter(brief=source).update(brief=target)
        else:
            model = _CONTENT_MODELS[relation]
            model.objects.filter(brief=source).update(brief=target)
            for row in new:
                row.brief_id = target.pk
        target._prefetched_objects_cache[relation] = source._prefetched_objects_cache[
            relation
        ]


# -- Readable differences -----------------------------------------------------


@dataclass
class Change:
    """One difference between two revisions, in words an editor reads.

    `segments` is a word-level diff of `old` and `new` as (op, text) pairs,
    op being "equal", "delete" or "insert"; the template escapes the text.
    """

    area: str
    label: str
    kind: str  # "changed", "added" or "removed"
    old: str = ""
    new: str = ""
    segments: list[tuple[str, str]] = field(default_factory=list)


_TOKEN_RE = re.compile(r"\s+|\w+|[^\w\s]")
# SequenceMatcher (without autojunk) is quadratic when one item repeats, as in
# a body of "[" * 60000. Past this many item pairs, only the common start and
# end are found and the middle is shown as replaced (briefs/markdown.py and
# bench/pathological.py have the other bounds).
MAX_DIFF_PAIRS = 4_000_000

Opcode = tuple[str, int, int, int, int]


def _opcodes(a: list[str], b: list[str]) -> list[Opcode]:
    if len(a) * len(b) <= MAX_DIFF_PAIRS:
        return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    opcodes: list[Opcode] = []
    if start:
        opcodes.append(("equal", 0, start, 0, start))
    if start < len(a) - end or start < len(b) - end:
        opcodes.append(("replace", start, len(a) - end, start, len(b) - end))
    if end:
        opcodes.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
    return opcodes


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
    segments: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        if tag == "equal":
            segments.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            segments.append(("insert", "".join(b[j1:j2])))
    return segments


def _changed(area: str, label: str, old: str, new: str) -> Change:
    return Change(area, label, "changed", old, new, word_diff(old, new))


def _display(name: str, value: object) -> str:
    try:
        model_field = Brief._meta.get_field(name)
    except Exception:  # a field that has since been removed from the model
        return "" if value is None else str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _field_label(name: str) -> str:
    try:
        return str(Brief._meta.get_field(name).verbose_name).capitalize()
    except Exception:
        return name.replace("_", " ").capitalize()


def _where(block: Block) -> str:
    return f" under “{block.section}”" if block.section else ""


def _table_changes(old: Block, new: Block, number: int) -> list[Change]:
    old_rows, new_rows = table_rows(old.text), table_rows(new.text)
    header = new_rows[0] if new_rows else []
    where = f"Table {number}{_where(new)}"
    changes = []
    for r in range(max(len(old_rows), len(new_rows))):
        row_name = "header row" if r == 0 else f"row {r}"
        if r >= len(old_rows):
            changes.append(
                Change(
                    "Body", f"{where}, {row_name}", "added", new=" | ".join(new_rows[r])
                )
            )
            continue
        if r >= len(new_rows):
            changes.append(
                Change(
                    "Body",
                    f"{where}, {row_name}",
                    "removed",
                    old=" | ".join(old_rows[r]),
                )
            )
            continue
        for c in range(max(len(old_rows[r]), len(new_rows[r]))):
            before = old_rows[r][c] if c < len(old_rows[r]) else ""
            after = new_rows[r][c] if c < len(new_rows[r]) else ""
            if before != after:
                column = header[c] if c < len(header) and header[c] else f"{c + 1}"
                changes.append(
                    _changed(
                        "Body", f"{where}, {row_name}, column “{column}”", before, after
                    )
                )
    return changes


def _block_name(block: Block) -> str:
    return {"heading": "Heading", "table": "Table"}.get(block.kind, "Paragraph")


def diff_body(old: str, new: str) -> list[Change]:
    """Changed paragraphs, headings and table cells between two Markdown bodies."""
    a, b = split_blocks(old), split_blocks(new)
    table_numbers: dict[int, int] = {}
    for index, block in enumerate(b):
        if block.kind == "table":
            table_numbers[index] = len(table_numbers) + 1
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in _opcodes([x.text for x in a], [x.text for x in b]):
        if tag == "equal":
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            before = a[i1 + k] if i1 + k < i2 else None
            after = b[j1 + k] if j1 + k < j2 else None
            if before and after and before.kind == after.kind == "table":
                changes += _table_changes(before, after, table_numbers[j1 + k])
            elif before and after:
                label = f"{_block_name(after)}{_where(after)}"
                changes.append(_changed("Body", label, before.text, after.text))
            elif after:
                label = f"{_block_name(after)}{_where(after)}"
                changes.append(Change("Body", label, "added", new=after.text))
            elif before:
                label = f"{_block_name(before)}{_where(before)}"
                changes.append(Change("Body", label, "removed", old=before.text))
    return changes


def _set_changes(area: str, old: Iterable[tuple], new: Iterable[tuple]) -> list[Change]:
    """Added and removed items of an unordered relation, as (key, name) pairs."""
    old_map, new_map = dict(old), dict(new)
    return [
        Change(area, name, "removed", old=name)
        for key, name in old_map.items()
        if key not in new_map
    ] + [
        Change(area, name, "added", new=name)
        for key, name in new_map.items()
        if key not in old_map
    ]


def _contributor(c: dict) -> str:
    return f"{c['name']} ({dict(Role.choices).get(c['role'], c['role'])})"


def _recommendation_changes(old: list[dict], new: list[dict]) -> list[Change]:
    area = "Recommendations"
    old_map = {r["order"]: r for r in old}
    new_map = {r["order"]: r for r in new}
    areas = dict(PolicyArea.choices)
    changes = []
    for order in sorted(old_map.keys() | new_map.keys()):
        before, after = old_map.get(order), new_map.get(order)
        label = f"Recommendation {order}"
        if before is None:
            changes.append(Change(area, label, "added", new=after["title"]))
        elif after is None:
            changes.append(Change(area, label, "removed", old=before["title"]))
        else:
            for key, name in [("title", "title"), ("body", "text")]:
                if before[key] != after[key]:
                    changes.append(
                        _changed(area, f"{label}, {name}", before[key], after[key])
                    )
            if before["policy_area"] != after["policy_area"]:
                changes.append(
                    _changed(
                        area,
                        f"{label}, policy area",
                        areas.get(before["policy_area"], before["policy_area"]),
                        areas.get(after["policy_area"], after["policy_area"]),
                    )
                )
            names_before = ", ".join(a["name"] for a in before["addressees"])
            names_after = ", ".join(a["name"] for a in after["addressees"])
            if {a["id"] for a in before["addressees"]} != {
                a["id"] for a in after["addressees"]
            }:
                changes.append(
                    _changed(area, f"{label}, addressed to", names_before, names_after)
                )
    return changes


def diff_contents(old: dict, new: dict) -> list[Change]:
    """Everything that differs between two snapshots, in page order."""
    changes: list[Change] = []
    old_fields, new_fields = old.get("fields", {}), new.get("fields", {})
    for name in dict.fromkeys([*old_fields, *new_fields]):
        before, after = old_fields.get(name), new_fields.get(name)
        if before == after:
            continue
        if name == "body":
            changes += diff_body(before or "", after or "")
        else:
            changes.append(
                _changed(
                    _field_label(name),
                    "",
                    _display(name, before),
                    _display(name, after),
                )
            )

    before = [_contributor(c) for c in old.get("contributions", [])]
    after = [_contributor(c) for c in new.get("contributions", [])]
    if before != after:
        if sorted(before) == sorted(after):
            changes.append(
                _changed("Contributors", "order", ", ".join(before), ", ".join(after))
            )
        else:
            changes += _set_changes(
                "Contributors",
                [(name, name) for name in before],
                [(name, name) for name in after],
            )

    changes += _recommendation_changes(
        old.get("recommendations", []), new.get("recommendations", [])
    )
    changes += _set_changes(
        "Topics",
        [(t["id"], t["name"]) for t in old.get("topics", [])],
        [(t["id"], t["name"]) for t in new.get("topics", [])],
    )
    old_actors = {a["actor"]: a for a in old.get("actors", [])}
    new_actors = {a["actor"]: a for a in new.get("actors", [])}
    changes += _set_changes(
        "Actors discussed",
        [(k, a["name"]) for k, a in old_actors.items()],
        [(k, a["name"]) for k, a in new_actors.items()],
    )
    for key in old_actors.keys() & new_actors.keys():
        if old_actors[key]["state"] != new_actors[key]["state"]:
            changes.append(
                _changed(
                    "Actors discussed",
                    new_actors[key]["name"],
                    old_actors[key]["state"],
                    new_actors[key]["state"],
                )
            )
    changes += _set_changes(
        "Agreements discussed",
        [(a["agreement"], a["title"]) for a in old.get("agreements", [])],
        [(a["agreement"], a["title"]) for a in new.get("agreements", [])],
    )
    return changes
