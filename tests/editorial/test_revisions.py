"""Revisions: whole-content snapshots, readable diffs, restores that destroy nothing."""

import pytest

from briefs.models import Recommendation, Role, Status
from editorial.models import BriefRevision, RevisionKind
from editorial.revisions import (
    apply_content,
    diff_body,
    diff_contents,
    record_revision,
    snapshot_brief,
)
from editorial.workflow import TransitionError, restore_revision
from tests import factories

TABLE_BODY = """## Forces

Albania fields a small force.

| Country | Active troops | Reserve |
|---|---|---|
| Albania | 6,600 | no data |
| Croatia | 14,300 | 18,300 |

## Outlook

The alliance is young.
"""


@pytest.fixture
def rich_brief(db):
    nato = factories.make_actor(name="NATO")
    kosovo = factories.make_actor(name="Kosovo")
    agreement = factories.make_agreement(title="Tirana declaration")
    brief = factories.make_brief(
        status=Status.DRAFT,
        body=TABLE_BODY,
        authors=[factories.make_person(name="Ana Author")],
        researchers=[factories.make_person(name="Rade Researcher")],
        actors=[nato, kosovo],
        agreements=[agreement],
        topics=[factories.make_topic(name="Security")],
        recommendations=2,
    )
    Recommendation.objects.get(brief=brief, order=1).addressees.set([nato])
    return brief


def test_a_snapshot_holds_the_whole_content(rich_brief):
    content = snapshot_brief(rich_brief)
    assert content["fields"]["title"] == rich_brief.title
    assert content["fields"]["body"] == TABLE_BODY
    assert content["fields"]["publication_date"] == "2025-05-21"
    assert "status" not in content["fields"] and "published_at" not in content["fields"]
    assert [(c["name"], c["role"]) for c in content["contributions"]] == [
        ("Ana Author", Role.AUTHOR),
        ("Rade Researcher", Role.RESEARCHER),
    ]
    assert [r["title"] for r in content["recommendations"]] == [
        "Recommendation 1",
        "Recommendation 2",
    ]
    assert [a["name"] for a in content["recommendations"][0]["addressees"]] == ["NATO"]
    assert [a["name"] for a in content["actors"]] == ["Kosovo", "NATO"]
    assert [a["title"] for a in content["agreements"]] == ["Tirana declaration"]
    assert [t["name"] for t in content["topics"]] == ["Security"]


def test_diff_names_the_changed_paragraph_and_its_words():
    old = "## Outlook\n\nThe alliance is young.\n\nIt signed in Tirana."
    new = "## Outlook\n\nThe alliance is very young.\n\nIt signed in Tirana."
    [change] = diff_body(old, new)
    assert (change.area, change.label, change.kind) == (
        "Body",
        "Paragraph under “Outlook”",
        "changed",
    )
    assert ("insert", "very ") in change.segments or ("insert", "very") in (
        change.segments
    )
    assert "".join(t for op, t in change.segments if op != "insert") == change.old


def test_diff_names_changed_table_cells_by_row_and_column():
    new = TABLE_BODY.replace("14,300", "14,500").replace("no data", "—")
    changes = diff_body(TABLE_BODY, new)
    assert [(c.label, c.old, c.new) for c in changes] == [
        ("Table 1 under “Forces”, row 1, column “Reserve”", "no data", "—"),
        ("Table 1 under “Forces”, row 2, column “Active troops”", "14,300", "14,500"),
    ]


def test_diff_reports_added_and_removed_paragraphs_and_rows():
    new = TABLE_BODY.replace(
        "| Croatia | 14,300 | 18,300 |",
        "| Croatia | 14,300 | 18,300 |\n| Kosovo | 5,000 | — |",
    ).replace("The alliance is young.\n", "")
    changes = diff_body(TABLE_BODY, new)
    assert ("Table 1 under “Forces”, row 3", "added") in [
        (c.label, c.kind) for c in changes
    ]
    assert ("Paragraph under “Outlook”", "removed", "The alliance is young.") in [
        (c.label, c.kind, c.old) for c in changes
    ]


def test_diff_covers_fields_recommendations_contributors_and_links(rich_brief):
    old = snapshot_brief(rich_brief)
    new = snapshot_brief(rich_brief)
    new["fields"]["title"] = "A new title"
    new["recommendations"][0]["addressees"] = []
    new["recommendations"][1]["body"] = "Do something else."
    new["recommendations"].append(
        {
            "order": 3,
            "title": "Talk to Belgrade",
            "body": "Now.",
            "policy_area": "diplomacy",
            "addressees": [],
        }
    )
    new["contributions"] = list(reversed(new["contributions"]))
    new["actors"] = new["actors"][:1]
    new["topics"] = []
    found = {(c.area, c.label, c.kind) for c in diff_contents(old, new)}
    assert found == {
        ("Title", "", "changed"),
        ("Recommendations", "Recommendation 1, addressed to", "changed"),
        ("Recommendations", "Recommendation 2, text", "changed"),
        ("Recommendations", "Recommendation 3", "added"),
        ("Contributors", "order", "changed"),
        ("Actors discussed", "NATO", "removed"),
        ("Topics", "Security", "removed"),
    }
    new["contributions"] = new["contributions"][:1]
    assert ("Contributors", "Ana Author (Author)", "removed") in {
        (c.area, c.label, c.kind) for c in diff_contents(old, new)
    }


def test_identical_snapshots_have_no_differences(rich_brief):
    assert diff_contents(snapshot_brief(rich_brief), snapshot_brief(rich_brief)) == []


def test_restore_brings_back_the_content_as_a_new_revision(rich_brief):
    editor = factories.make_user(role="Editor")
    first = record_revision(brief=rich_brief, user=editor, comment="First")
    rich_brief.title = "Changed"
    rich_brief.body = "## Forces\n\nNothing left."
    rich_brief.save()
    rich_brief.contributions.all().delete()
    rich_brief.recommendations.all().delete()
    second = record_revision(brief=rich_brief, user=editor, comment="Second")

    restored = restore_revision(brief=rich_brief, revision=first, user=editor)

    assert restored.kind == RevisionKind.RESTORE
    assert f"Restored revision {first.number}" in restored.comment
    assert restored.content == first.content
    rich_brief.refresh_from_db()
    assert snapshot_brief(rich_brief) == first.content
    # Nothing destroyed: every earlier revision is still there, unchanged.
    assert list(BriefRevision.objects.filter(brief=rich_brief).order_by("pk")) == [
        first,
        second,
        restored,
    ]
    assert BriefRevision.objects.get(pk=second.pk).content["fields"]["title"] == (
        "Changed"
    )


def test_restore_leaves_workflow_fields_and_the_address_alone(rich_brief):
    content = snapshot_brief(rich_brief)
    content["fields"]["slug"] = "some-other-address"
    rich_brief.status = Status.CHANGES_REQUESTED
    rich_brief.save()
    apply_content(rich_brief, content)
    rich_brief.refresh_from_db()
    assert rich_brief.status == Status.CHANGES_REQUESTED
    assert rich_brief.slug != "some-other-address"


def test_restore_skips_what_no_longer_exists_and_says_so(rich_brief):
    editor = factories.make_user(role="Editor")
    revision = record_revision(brief=rich_brief, user=editor)
    rich_brief.contributions.filter(person__name="Rade Researcher").delete()
    factories.Person.objects.filter(name="Rade Researcher").delete()
    restored = restore_revision(brief=rich_brief, revision=revision, user=editor)
    assert "contributor “Rade Researcher” no longer exists" in restored.comment
    assert list(rich_brief.contributions.values_list("person__name", flat=True)) == [
        "Ana Author"
    ]


def test_restore_is_refused_where_editing_is(rich_brief):
    editor = factories.make_user(role="Editor")
    revision = record_revision(brief=rich_brief, user=editor)
    published = factories.make_brief()
    with pytest.raises(TransitionError, match="start a correction"):
        restore_revision(
            brief=published,
            revision=record_revision(brief=published, user=editor),
            user=editor,
        )
    with pytest.raises(TransitionError, match="another brief"):
        restore_revision(
            brief=factories.make_brief(status=Status.DRAFT),
            revision=revision,
            user=editor,
        )
    with pytest.raises(TransitionError):
        restore_revision(
            brief=rich_brief,
            revision=revision,
            user=factories.make_user(role="Contributor"),
        )
