import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from briefs.markdown import mark_empty_cells, name_footnote_backlinks, render_markdown
from briefs.models import (
    Brief,
    BriefActor,
    Contribution,
    MentionState,
    Recommendation,
    Role,
    Status,
    validate_orcid,
)
from tests import factories


@pytest.mark.django_db
def test_published_gate_admits_only_live_published_briefs():
    now = timezone.now()
    live = factories.make_brief()
    factories.make_brief(status=Status.DRAFT)
    factories.make_brief(status=Status.IN_REVIEW)
    factories.make_brief(status=Status.APPROVED)
    factories.make_brief(published_at=now + datetime.timedelta(hours=1))  # scheduled
    factories.make_brief(status=Status.WITHDRAWN, withdrawn_reason="Superseded")
    factories.make_brief(deleted_at=now)  # in the trash
    assert list(Brief.objects.published()) == [live]


@pytest.mark.django_db
def test_scheduled_brief_turns_public_at_its_time_without_any_job():
    release = timezone.now() + datetime.timedelta(hours=2)
    brief = factories.make_brief(published_at=release)
    assert not Brief.objects.published().exists()
    assert not brief.is_public
    later = release + datetime.timedelta(seconds=1)
    assert list(Brief.objects.published(at=later)) == [brief]


@pytest.mark.django_db
def test_published_brief_must_have_a_release_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_brief(published_at=None)


@pytest.mark.django_db
def test_withdrawn_brief_must_say_why():
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_brief(status=Status.WITHDRAWN, withdrawn_reason="")


@pytest.mark.django_db
def test_brief_slug_is_unique():
    factories.make_brief(slug="balkan-alliances")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.make_brief(slug="balkan-alliances")


@pytest.mark.django_db
def test_one_contribution_per_person_and_role():
    person = factories.make_person()
    brief = factories.make_brief(authors=[person])
    # The same person may also be credited in another role...
    Contribution.objects.create(brief=brief, person=person, role=Role.RESEARCHER)
    # ...but not twice in the same one.
    with pytest.raises(IntegrityError), transaction.atomic():
        Contribution.objects.create(brief=brief, person=person, role=Role.AUTHOR)


@pytest.mark.django_db
def test_recommendation_order_is_unique_within_a_brief():
    brief = factories.make_brief(recommendations=1)
    other = factories.make_brief(recommendations=1)
    assert Recommendation.objects.filter(order=1).count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(brief=brief, order=1, title="Again", body="x")
    assert other.recommendations.count() == 1


@pytest.mark.django_db
def test_only_confirmed_actor_links_count_for_an_actor():
    actor = factories.make_actor()
    confirmed = factories.make_brief(actors=[actor])
    suggested = factories.make_brief()
    BriefActor.objects.create(
        brief=suggested, actor=actor, state=MentionState.SUGGESTED
    )
    rejected = factories.make_brief()
    BriefActor.objects.create(brief=rejected, actor=actor, state=MentionState.REJECTED)
    assert list(Brief.objects.for_actor(actor)) == [confirmed]


@pytest.mark.parametrize(
    "orcid", ["0000-0002-1825-0097", "0000-0001-5109-3700", "0000-0002-1694-233X"]
)
def test_valid_orcid_ids_pass(orcid):
    validate_orcid(orcid)


@pytest.mark.parametrize(
    "orcid",
    [
        "0000-0002-1825-0098",
        "0000000218250097",
        "0000-0002-1825-009",
        "abcd-0002-1825-0097",
        "0000-0002-1694-2331",
    ],
)
def test_invalid_orcid_ids_are_refused(orcid):
    with pytest.raises(ValidationError):
        validate_orcid(orcid)


@pytest.mark.django_db
def test_person_full_clean_checks_orcid():
    person = factories.make_person()
    person.orcid = "0000-0002-1825-0098"
    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()
    assert "orcid" in excinfo.value.message_dict


@pytest.mark.django_db
def test_saving_a_brief_renders_its_body_once():
    brief = factories.make_brief(
        body="## First\n\nText[^1].\n\n## Second\n\n[^1]: A note."
    )
    assert '<h2 id="first">First</h2>' in brief.body_html
    assert [entry["title"] for entry in brief.toc] == ["First", "Second"]
    brief.body = "## Changed"
    brief.save(update_fields=["body"])
    brief.refresh_from_db()
    assert brief.toc == [{"level": 2, "id": "changed", "title": "Changed"}]


def test_markdown_renders_tables_with_empty_cells():
    html, _ = render_markdown("| A | B |\n|---|---|\n| x |  |\n")
    assert "<table>" in html
    assert "<td></td>" in html


def test_empty_cells_become_an_accessible_no_data_mark():
    html, _ = render_markdown("| A | B |\n|--:|---|\n|  | 2 |\n| 3 |  |\n")
    marked = mark_empty_cells(html, "no data")
    mark = (
        '<span aria-hidden="true">\u2014</span>'
        '<span class="visually-hidden">no data</span>'
    )
    # Alignment kept; filled cells untouched; the sanitiser's own attributes
    # only, so no editor can write the mark's class by hand.
    assert f'<td class="no-data" align="right">{mark}</td>' in marked
    assert f'<td class="no-data">{mark}</td>' in marked
    assert "<td>2</td>" in marked and '<td align="right">3</td>' in marked
    assert "<td></td>" not in marked
    assert mark_empty_cells("<p>No table.</p>", "no data") == "<p>No table.</p>"


CAPTIONED_TABLE = (
    "Table: Main battle tanks, *2025*\n\n"
    "| Country | Tanks |\n|---|--:|\n| Serbia | 262 |\n\n"
    "Source: IISS, The Military Balance 2025.\n"
)


def test_a_table_line_above_is_the_caption_and_a_source_line_below_is_the_source():
    html, _ = render_markdown(CAPTIONED_TABLE)
    assert html.startswith(
        '<div class="table-block" id="tbl-1" tabindex="0" role="region" '
        'aria-labelledby="tbl-1-caption">\n<table>\n'
        '<caption id="tbl-1-caption">Main battle tanks, <em>2025</em></caption>'
    )
    source = '<p class="table-source">Source: IISS, The Military Balance 2025.</p>'
    assert html.index("</table>") < html.index(source) < html.rindex("</div>")
    assert "Table:" not in html


def test_caption_and_source_words_work_in_both_serbian_scripts():
    for caption, source in [("Табела", "Извор"), ("Tabela", "Izvori")]:
        html, _ = render_markdown(
            f"{caption}: Тенкови\n\n| А |\n|---|\n| 1 |\n\n{source}: ИИСС\n"
        )
        assert '<caption id="tbl-1-caption">Тенкови</caption>' in html
        assert f'<p class="table-source">{source}: ИИСС</p>' in html


def test_a_caption_may_sit_on_the_line_directly_above_the_table():
    html, _ = render_markdown("Table: Troops\n| A |\n|---|\n| 1 |\n")
    assert '<caption id="tbl-1-caption">Troops</caption>' in html
    assert "<p>" not in html


def test_an_uncaptioned_table_still_scrolls_and_takes_focus_but_is_no_region():
    html, _ = render_markdown("Intro.\n\n| A |\n|---|\n| 1 |\n\nAfter.\n")
    assert '<div class="table-block" id="tbl-1" tabindex="0">\n<table>' in html
    assert "role=" not in html and "<caption" not in html
    assert "<p>After.</p>" in html


@pytest.mark.parametrize(
    "text",
    [
        "Table:\n\n| A |\n|---|\n| 1 |\n",  # names nothing
        "Table: far away\n\nA paragraph between.\n\n| A |\n|---|\n| 1 |\n",
        "- Table: in a list\n\n| A |\n|---|\n| 1 |\n",  # another level
        "**Table:** emphasised\n\n| A |\n|---|\n| 1 |\n",
        "Tables: plural is prose\n\n| A |\n|---|\n| 1 |\n",
    ],
)
def test_only_a_plain_table_line_right_above_is_a_caption(text):
    html, _ = render_markdown(text)
    assert "<caption" not in html
    assert "<p>" in html or "<li>" in html


def test_a_source_line_directly_under_a_table_is_one_more_row():
    # GFM: a table ends at a blank line; the README says so.
    html, _ = render_markdown("| A |\n|---|\n| 1 |\nSource: x\n")
    assert "<td>Source: x</td>" in html and "table-source" not in html


def test_an_author_cannot_forge_the_table_blocks_focus_or_role():
    html, _ = render_markdown(
        '<div class="table-block" id="x" tabindex="5" role="alert" onfocus="a()">'
        "hi</div>\n\n<table><caption>c</caption></table>"
    )
    assert "tabindex" not in html and "role" not in html and "onfocus" not in html


def test_a_footnotes_way_back_is_named_for_screen_readers():
    html, _ = render_markdown("A claim.[^x] Again.[^x]\n\n[^x]: The source.\n")
    named = name_footnote_backlinks(html, "Back to <footnote> %(number)s")
    assert named.count('aria-label="Back to &lt;footnote&gt; 1"') == 2
    assert 'href="#fnref:x"' in named and 'href="#fnref2:x"' in named
    assert "Jump back" not in named and 'lang="en"' not in named
    assert name_footnote_backlinks("<p>None.</p>", "x") == "<p>None.</p>"


def test_the_no_data_label_is_escaped():
    html, _ = render_markdown("| A |\n|---|\n|  |\n")
    assert "<b>" not in mark_empty_cells(html, "<b>none</b>")


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src='https://example.org'></iframe>",
        '<p style="background:url(x)">styled</p>',
    ],
)
def test_markdown_output_is_sanitised(hostile):
    html, _ = render_markdown(f"Text\n\n{hostile}\n")
    lowered = html.lower()
    # Markup may survive as visible text ("[click](javascript:…)" when the
    # link is refused), never as a tag, an attribute or a link.
    tags = re.findall(r"<[^>]*>", lowered)
    assert "<script" not in lowered
    assert not any("onerror" in tag or "style=" in tag for tag in tags)
    assert not any("javascript:" in tag for tag in tags)
    assert "<iframe" not in lowered


def test_heading_anchors_keep_cyrillic():
    _, toc = render_markdown("## Приштина и Београд")
    assert toc[0]["id"] == "приштина-и-београд"
