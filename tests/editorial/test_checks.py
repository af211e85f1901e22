"""Editorial checks: each one fires on its problem and stays quiet otherwise."""

import pytest
from django.test import override_settings

from actors.models import ActorAlias
from briefs.models import BriefActor, MentionState, Recommendation, Status
from editorial import checks
from tests import factories


def findings(brief, check) -> list[checks.Finding]:
    return list(check(brief))


def test_every_check_is_registered():
    assert {c.__name__ for c in checks.CHECKS} >= {
        "summary_present",
        "author_present",
        "recommendations_addressed",
        "table_cells_filled",
        "mentioned_actors_linked",
        "linked_briefs_published",
        "heading_levels_in_order",
    }


@pytest.mark.django_db
def test_missing_summary_is_an_error():
    assert findings(factories.make_brief(summary="  "), checks.summary_present) == [
        checks.Finding("error", "summary_present", checks.NO_SUMMARY)
    ]
    assert findings(factories.make_brief(), checks.summary_present) == []


@pytest.mark.django_db
def test_missing_author_is_an_error():
    researcher_only = factories.make_brief(researchers=[factories.make_person()])
    assert [f.level for f in findings(researcher_only, checks.author_present)] == [
        "error"
    ]
    authored = factories.make_brief(authors=[factories.make_person()])
    assert findings(authored, checks.author_present) == []


@pytest.mark.django_db
def test_recommendation_without_addressee_is_a_warning():
    brief = factories.make_brief(recommendations=2)
    Recommendation.objects.get(brief=brief, order=1).addressees.add(
        factories.make_actor()
    )
    [finding] = findings(brief, checks.recommendations_addressed)
    assert finding.level == "warning"
    assert "Recommendation 2" in finding.message


@pytest.mark.django_db
def test_empty_table_cell_is_a_warning_unless_marked():
    body = (
        "## Forces\n\n| Country | Troops | Reserve |\n|---|---|---|\n"
        "| Albania | 6,600 | no data |\n| Kosovo |  | — |\n| Serbia | 28,000 |\n"
    )
    found = findings(factories.make_brief(body=body), checks.table_cells_filled)
    assert [f.message for f in found] == [
        "Table 1 under “Forces”, row 2, column “Troops” is empty; write “no data” "
        "(or —) if nothing is known.",
        "Table 1 under “Forces”, row 3, column “Reserve” is empty; write “no data” "
        "(or —) if nothing is known.",
    ]
    marked = body.replace("| Kosovo |  |", "| Kosovo | n/a |").replace(
        "| 28,000 |\n", "| 28,000 | — |\n"
    )
    assert findings(factories.make_brief(body=marked), checks.table_cells_filled) == []


@pytest.mark.django_db
def test_a_table_without_a_caption_is_a_warning():
    body = (
        "## Forces\n\nTable: Troops\n\n| A |\n|---|\n| 1 |\n\n"
        "Tabela: Vojska\n| A |\n|---|\n| 1 |\n\n"
        "## Tanks\n\n| B |\n|---|\n| 2 |\n\n"
        "Table:\n\n| C |\n|---|\n| 3 |\n"
    )
    found = findings(factories.make_brief(body=body), checks.tables_captioned)
    assert [(f.level, f.message) for f in found] == [
        (
            "warning",
            "Table 3 under “Tanks” has no caption; write “Table: …” on the "
            "line above it.",
        ),
        (
            "warning",
            "Table 4 under “Tanks” has no caption; write “Table: …” on the "
            "line above it.",
        ),
    ]


@pytest.mark.django_db
def test_actor_named_but_not_linked_is_a_warning():
    kosovo = factories.make_actor(name="Kosovo")
    albania = factories.make_actor(name="Albania")
    croatia = factories.make_actor(name="Croatia")
    kfor = factories.make_actor(name="Kosovo Force")
    ActorAlias.objects.create(actor=kfor, alias="KFOR", case_sensitive=True)
    serbia = factories.make_actor(name="Serbia")
    body = "Albania, Croatia and Kosovo signed in Tirana. KFOR stays. Serbian views."
    brief = factories.make_brief(body=body, actors=[albania])
    BriefActor.objects.create(brief=brief, actor=croatia, state=MentionState.SUGGESTED)
    BriefActor.objects.create(brief=brief, actor=serbia, state=MentionState.REJECTED)
    messages = [f.message for f in findings(brief, checks.mentioned_actors_linked)]
    assert messages == [
        "“Croatia” is named in the text (as “Croatia”) but not linked to the brief "
        "(its suggested link awaits a decision).",
        "“Kosovo” is named in the text (as “Kosovo”) but not linked to the brief.",
        "“Kosovo Force” is named in the text (as “KFOR”) but not linked to the brief.",
    ]
    assert kosovo  # "Serbian" is not "Serbia"; Serbia's link was rejected anyway


@pytest.mark.django_db
@override_settings(SITE_URL="https://archive.example.org")
def test_link_to_an_unpublished_brief_is_an_error():
    public = factories.make_brief(slug="public-one")
    draft = factories.make_brief(slug="draft-one", status=Status.DRAFT)
    body = (
        f"See [the other brief]({public.get_absolute_url()}), [its PDF]"
        f"(/briefs/public-one.pdf), [its permanent link](/b/{public.pk}/), "
        "[the draft](https://archive.example.org/briefs/draft-one/), "
        f"[the draft's permanent link](/b/{draft.pk}/), "
        "[a missing one](/briefs/never-written), "
        "[elsewhere](https://other.example.org/briefs/draft-one/), "
        "[a person](/people/someone/).\n\n"
        "[ref]: /briefs/draft-one.pdf"
    )
    brief = factories.make_brief(body=body)
    assert [f.message for f in findings(brief, checks.linked_briefs_published)] == [
        "The text links to https://archive.example.org/briefs/draft-one/, which is "
        "not a published brief.",
        f"The text links to /b/{draft.pk}/, which is not a published brief.",
        "The text links to /briefs/never-written, which is not a published brief.",
    ]


@pytest.mark.django_db
def test_skipped_heading_levels_are_a_warning():
    brief = factories.make_brief(body="## One\n\n#### Too deep\n\n## Two\n\n### Fine")
    [finding] = findings(brief, checks.heading_levels_in_order)
    assert finding.message.startswith("“Too deep” is a level-4 heading after level 2")
    top = factories.make_brief(body="# Not a section\n\ntext")
    assert (
        "only the title is" in findings(top, checks.heading_levels_in_order)[0].message
    )
    assert findings(factories.make_brief(), checks.heading_levels_in_order) == []


@pytest.mark.django_db
def test_run_checks_lists_errors_first():
    brief = factories.make_brief(summary="", recommendations=1)
    levels = [f.level for f in checks.run_checks(brief)]
    assert levels == sorted(levels, key=lambda level: level != "error")
    assert levels.count("error") == 2 and "warning" in levels


@pytest.mark.django_db
def test_adding_a_check_is_one_decorated_function(monkeypatch):
    monkeypatch.setattr(checks, "CHECKS", list(checks.CHECKS))

    @checks.editorial_check
    def no_lorem(brief):
        if "lorem" in brief.body:
            yield checks.Finding("error", "no_lorem", "Placeholder text left in.")

    brief = factories.make_brief(body="lorem ipsum", authors=[factories.make_person()])
    assert [f.check for f in checks.run_checks(brief)] == ["no_lorem"]
