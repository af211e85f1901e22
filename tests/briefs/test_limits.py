"""Size limits on typed text, and the pathological corpus: bounded, never a 500.

Timings are not asserted here (bench/pathological.py measures them); these
tests prove that every known worst case renders or is refused with the
limit's message, through the renderer, the importer, `full_clean` and the
admin's change form.
"""

import pytest
from django.core.exceptions import ValidationError

from briefs.importers import IMPORT_MAX_CHARS, BriefImportError, parse_brief
from briefs.markdown import render_markdown
from briefs.models import (
    BIO_MAX_CHARS,
    BODY_MAX_CHARS,
    RECOMMENDATION_BODY_MAX_CHARS,
    SUMMARY_MAX_CHARS,
    TITLE_MAX_CHARS,
    Brief,
    Status,
)
from editorial.revisions import diff_body, word_diff
from tests import factories
from tests.editorial.test_admin_workflow import form_data, messages_of
from tests.fixtures import pathological


@pytest.mark.parametrize("name", list(pathological.BODY_CASES))
def test_pathological_body_renders_at_the_limit(name):
    text = pathological.BODY_CASES[name](BODY_MAX_CHARS)
    assert BODY_MAX_CHARS * 0.99 <= len(text) <= BODY_MAX_CHARS
    html, toc = render_markdown(text)  # no RecursionError, no exception
    assert isinstance(html, str) and isinstance(toc, list)


def test_deep_nesting_is_cut_not_recursed():
    html, _ = render_markdown("".join("  " * i + "- x\n" for i in range(480)))
    assert 0 < html.count("<ul>") <= 20


def test_deeply_nested_raw_html_is_shown_as_text():
    html, _ = render_markdown("<div>" * 1000 + "x")
    assert "<div>" not in html and "&lt;div&gt;" in html
    html, _ = render_markdown("<sub>2</sub> and <abbr title='t'>T</abbr>")
    assert "<sub>2</sub>" in html and '<abbr title="t">T</abbr>' in html


@pytest.mark.parametrize("name", list(pathological.import_bodies(2000)))
def test_pathological_import_file_parses_or_is_refused(name):
    text = pathological.import_bodies(BODY_MAX_CHARS)[name]
    try:
        parsed = parse_brief(pathological.import_file(text))
    except BriefImportError as exc:
        assert "at most" in str(exc) or "line" in str(exc)
    else:
        render_markdown(parsed.body)


def test_import_file_over_the_limit_is_refused_naming_it():
    with pytest.raises(BriefImportError) as error:
        parse_brief(pathological.import_file("x" * IMPORT_MAX_CHARS))
    assert f"at most {IMPORT_MAX_CHARS:,}" in str(error.value)


def test_import_body_over_the_limit_is_refused_naming_it():
    paragraph = "Words and more words. " * 50 + "\n"
    body = paragraph * (BODY_MAX_CHARS // len(paragraph) + 1)
    with pytest.raises(BriefImportError) as error:
        parse_brief(pathological.import_file(body))
    assert f"a brief's body may have at most {BODY_MAX_CHARS:,}" in str(error.value)
    assert error.value.line == 2


def test_import_recommendation_over_the_limit_is_refused_naming_its_line():
    text = pathological.import_file(
        "Some text.\n\nRecommendations\n\nAct Now: "
        + "do it " * RECOMMENDATION_BODY_MAX_CHARS
    )
    with pytest.raises(BriefImportError) as error:
        parse_brief(text)
    assert f"at most {RECOMMENDATION_BODY_MAX_CHARS:,}" in str(error.value)
    assert error.value.line == 9


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "field", "limit"),
    [
        (lambda: factories.make_brief(status=Status.DRAFT), "body", BODY_MAX_CHARS),
        (lambda: factories.make_brief(), "summary", SUMMARY_MAX_CHARS),
        (lambda: factories.make_brief(), "title", TITLE_MAX_CHARS),
        (lambda: factories.make_person(), "bio", BIO_MAX_CHARS),
        (
            lambda: factories.make_brief(recommendations=1).recommendations.get(),
            "body",
            RECOMMENDATION_BODY_MAX_CHARS,
        ),
        (
            lambda: factories.make_brief(recommendations=1).recommendations.get(),
            "title",
            TITLE_MAX_CHARS,
        ),
    ],
)
def test_full_clean_holds_each_text_to_its_limit(make, field, limit):
    instance = make()
    setattr(instance, field, "x" * limit)
    instance.full_clean()
    setattr(instance, field, "x" * (limit + 1))
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    [message] = error.value.message_dict[field]
    assert f"at most {limit} characters" in message
    assert str(limit + 1) in message


def _change_form(client, brief: Brief) -> dict:
    response = client.get(f"/admin/briefs/brief/{brief.pk}/change/")
    assert response.status_code == 200
    return form_data(response)


# The slowest entries at the limit and a spread of the others: every entry is
# rendered at the limit above; here the whole save path (revision, mentions,
# search document) runs on them.
ADMIN_CASES = [
    "[ run (issue #11)",
    "![ run (issue #11)",
    "&amp; flood (issue #11)",
    "nested list items (480+)",
    "nested <div>",
    "huge table",
    "thousands of footnotes",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ADMIN_CASES)
def test_admin_saves_pathological_body_at_the_limit(admin_client, name):
    brief = factories.make_brief(status=Status.DRAFT, recommendations=1)
    data = _change_form(admin_client, brief)
    data["body"] = pathological.BODY_CASES[name](BODY_MAX_CHARS)
    response = admin_client.post(f"/admin/briefs/brief/{brief.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    assert any("changed successfully" in m for m in messages_of(response))
    brief.refresh_from_db()
    assert brief.body == data["body"].strip()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ADMIN_CASES[:3])
def test_admin_refuses_pathological_body_over_the_limit(admin_client, name):
    # The limit is checked before anything renders, whatever the content.
    brief = factories.make_brief(status=Status.DRAFT)
    data = _change_form(admin_client, brief)
    # Ends in a letter: the form strips trailing white space before counting.
    data["body"] = (
        pathological.fill(pathological.BODY_CASES[name](1000), BODY_MAX_CHARS) + "x"
    )
    response = admin_client.post(f"/admin/briefs/brief/{brief.pk}/change/", data)
    assert response.status_code == 200
    assert (
        f"A brief&#x27;s body may be at most {BODY_MAX_CHARS} characters"
        in response.content.decode()
    )
    brief.refresh_from_db()
    assert len(brief.body) < BODY_MAX_CHARS


@pytest.mark.parametrize("name", ["[ run (issue #11)", "headings, same title"])
def test_revision_diff_of_pathological_bodies_is_bounded(name):
    # One repeated token makes SequenceMatcher quadratic; past MAX_DIFF_PAIRS
    # the common start and end are kept and the middle shows as replaced.
    text = pathological.BODY_CASES[name](BODY_MAX_CHARS)
    middle = len(text) // 2
    changes = diff_body(text, text[:middle] + "x" + text[middle:])
    assert changes
    assert word_diff("a " * 3000, "a " * 2999 + "b ")[-1] == ("equal", " ")
