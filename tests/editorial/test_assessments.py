"""Assessments are written, reviewed and published like other editorial changes.

Drafts in the admin, a revision for every save, a stale form never
overwrites, history viewable and restorable, publication by someone with the
permission, two pairs of eyes (settings.FOUR_EYES), limits on what is typed.
"""

import datetime

import pytest
from django.urls import reverse

from briefs.models import (
    JUSTIFICATION_MAX_CHARS,
    Assessment,
    AssessmentState,
    Recommendation,
)
from editorial.assessments import (
    AssessmentError,
    publish_assessment,
    recommendations_due,
    restore_assessment_revision,
    unpublish_assessment,
)
from editorial.models import AssessmentRevision, AssessmentRevisionKind
from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def recommendation():
    brief = factories.make_brief(recommendations=2)
    return Recommendation.objects.get(brief=brief, order=1)


def logged_in(client, user):
    client.force_login(user)
    return client


def add_form(rec, **overrides) -> dict:
    data = {
        "recommendation": f"{rec.brief_id}:{rec.key}",
        "status": "in_progress",
        "assessed_on": "2026-03-01",
        "justification": "Talks have started.",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-MIN_NUM_FORMS": "1",
        "sources-MAX_NUM_FORMS": "1000",
        "sources-0-url": "https://www.nato.int/cps/en/natohq/news.htm",
        "sources-0-title": "NATO news",
        "sources-0-published_on": "2026-02-27",
        "sources-0-order": "0",
    }
    data.update(overrides)
    return data


def change_form(assessment, token: str, **overrides) -> dict:
    source = assessment.sources.get()
    data = {
        "status": assessment.status,
        "assessed_on": assessment.assessed_on.isoformat(),
        "justification": assessment.justification,
        "edit_token": token,
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "1",
        "sources-MIN_NUM_FORMS": "1",
        "sources-MAX_NUM_FORMS": "1000",
        "sources-0-id": str(source.pk),
        "sources-0-assessment": str(assessment.pk),
        "sources-0-url": source.url,
        "sources-0-title": source.title,
        "sources-0-published_on": source.published_on.isoformat(),
        "sources-0-order": "0",
    }
    data.update(overrides)
    return data


ADD = reverse("admin:briefs_assessment_add")


def test_an_editor_records_a_draft_with_its_evidence_and_a_revision(
    client, recommendation
):
    editor = factories.make_user(role="Editor")
    response = logged_in(client, editor).post(ADD, add_form(recommendation))
    assert response.status_code == 302, response.content.decode()[:3000]
    assessment = Assessment.objects.get()
    assert assessment.state == AssessmentState.DRAFT
    assert assessment.brief_id == recommendation.brief_id
    assert assessment.recommendation_key == recommendation.key
    assert assessment.created_by == editor
    assert assessment.sources.get().title == "NATO news"
    [revision] = AssessmentRevision.objects.filter(assessment=assessment)
    assert revision.kind == AssessmentRevisionKind.EDIT
    assert revision.created_by == editor
    assert revision.content["sources"][0]["url"].startswith("https://www.nato.int/")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sources-0-url": "javascript:alert(1)"}, "http:// or https://"),
        ({"sources-0-url": "ftp://example.org/file"}, "http:// or https://"),
        (
            {"justification": "x" * (JUSTIFICATION_MAX_CHARS + 1)},
            f"at most {JUSTIFICATION_MAX_CHARS}",
        ),
        (
            {"sources-TOTAL_FORMS": "0"},
            "at least one evidence source",
        ),
    ],
)
def test_bad_assessments_are_refused_with_a_message(
    client, recommendation, overrides, message
):
    editor = factories.make_user(role="Editor")
    response = logged_in(client, editor).post(
        ADD, add_form(recommendation, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_stale_form_never_overwrites_and_the_edit_is_kept(client, recommendation):
    first, second = (
        factories.make_user(role="Editor"),
        factories.make_user(role="Editor"),
    )
    logged_in(client, first).post(ADD, add_form(recommendation))
    assessment = Assessment.objects.get()
    url = reverse("admin:briefs_assessment_change", args=[assessment.pk])
    token = client.get(url).context["adminform"].form.initial["edit_token"]
    # Somebody else saves first.
    client.force_login(second)
    client.post(url, change_form(assessment, token, justification="Second's text."))
    assessment.refresh_from_db()
    assert assessment.justification == "Second's text."
    # The first editor's form was loaded before: not applied, kept.
    client.force_login(first)
    response = client.post(
        url,
        change_form(assessment, token, justification="First's late text."),
        follow=True,
    )
    assert "were not applied" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.justification == "Second's text."
    conflict = AssessmentRevision.objects.filter(
        assessment=assessment, kind=AssessmentRevisionKind.CONFLICT
    ).get()
    assert conflict.content["justification"] == "First's late text."
    history = client.get(
        reverse("admin:briefs_assessment_history", args=[assessment.pk])
    )
    assert "First&#x27;s late text." in history.content.decode()
    # And it can be restored.
    restore_assessment_revision(assessment=assessment, revision=conflict, user=first)
    assessment.refresh_from_db()
    assert assessment.justification == "First's late text."


def test_publication_needs_the_permission_and_another_pair_of_eyes(recommendation):
    editor = factories.make_user(role="Editor")
    publisher = factories.make_user(role="Publisher")
    draft = factories.make_assessment(recommendation, published=False, user=publisher)
    with pytest.raises(AssessmentError, match="not allowed"):
        publish_assessment(assessment=draft, user=editor)
    with pytest.raises(AssessmentError, match="two pairs of eyes"):
        publish_assessment(assessment=draft, user=publisher)
    other = factories.make_user(role="Publisher")
    published = publish_assessment(assessment=draft, user=other, comment="Checked.")
    assert published.state == AssessmentState.PUBLISHED
    assert published.published_by == other
    entry = AssessmentRevision.objects.filter(assessment=draft).first()
    assert entry.kind == AssessmentRevisionKind.PUBLISH and entry.comment == "Checked."


def test_whoever_edited_a_draft_is_an_author_too(client, recommendation):
    publisher = factories.make_user(role="Publisher")
    draft = factories.make_assessment(recommendation, published=False)
    AssessmentRevision.objects.create(
        assessment=draft,
        kind=AssessmentRevisionKind.EDIT,
        content={},
        created_by=publisher,
    )
    with pytest.raises(AssessmentError, match="two pairs of eyes"):
        publish_assessment(assessment=draft, user=publisher)


def test_a_superuser_author_publishes_only_with_a_reason(recommendation, settings):
    boss = factories.make_user(is_superuser=True)
    draft = factories.make_assessment(recommendation, published=False, user=boss)
    with pytest.raises(AssessmentError, match="give the reason"):
        publish_assessment(assessment=draft, user=boss)
    publish_assessment(assessment=draft, user=boss, comment="Nobody else is in.")
    entry = AssessmentRevision.objects.filter(assessment=draft).first()
    assert entry.comment.startswith("Override of two pairs of eyes")
    settings.FOUR_EYES = False
    other = factories.make_assessment(recommendation, published=False, user=boss)
    publish_assessment(assessment=other, user=boss)


def test_publishing_needs_evidence_and_a_recommendation_still_made(recommendation):
    publisher = factories.make_user(role="Publisher")
    bare = factories.make_assessment(recommendation, published=False, sources=())
    with pytest.raises(AssessmentError, match="evidence source"):
        publish_assessment(assessment=bare, user=publisher)


def test_published_assessments_are_read_only_until_taken_back(client, recommendation):
    publisher = factories.make_user(role="Publisher")
    published = factories.make_assessment(recommendation)
    url = reverse("admin:briefs_assessment_change", args=[published.pk])
    client.force_login(publisher)
    page = client.get(url).content.decode()
    assert "Take back to draft" in page
    token = ""
    response = client.post(url, change_form(published, token, justification="Edited"))
    assert response.status_code == 403
    with pytest.raises(AssessmentError, match="comment is required"):
        unpublish_assessment(assessment=published, user=publisher, comment=" ")
    unpublish_assessment(assessment=published, user=publisher, comment="Source moved.")
    published.refresh_from_db()
    assert published.state == AssessmentState.DRAFT and published.published_at is None


def test_publish_button_publishes_through_the_rules(client, recommendation):
    author = factories.make_user(role="Editor")
    draft = factories.make_assessment(recommendation, published=False, user=author)
    publisher = factories.make_user(role="Publisher")
    client.force_login(publisher)
    url = reverse("admin:briefs_assessment_publish", args=[draft.pk])
    assert client.get(url).status_code == 405
    client.post(url, {"comment": ""})
    draft.refresh_from_db()
    assert draft.state == AssessmentState.PUBLISHED


def test_dashboard_lists_recommendations_due_for_reassessment(client, settings):
    settings.REASSESS_AFTER_DAYS = 183
    old = factories.make_brief(
        recommendations=2,
        published_at=datetime.datetime(2025, 1, 10, tzinfo=datetime.UTC),
    )
    fresh = factories.make_brief(recommendations=1)
    r1, r2 = old.recommendations.order_by("order")
    factories.make_assessment(r1, assessed_on=D(2025, 3, 1))
    factories.make_assessment(r2, assessed_on=datetime.date.today())
    factories.make_assessment(
        fresh.recommendations.get(), assessed_on=D(2020, 1, 1), published=False
    )
    due = recommendations_due()
    assert [(r.brief_id, r.order) for r in due] == [(old.pk, 1)]
    assert due[0].last_assessed == D(2025, 3, 1)
    client.force_login(factories.make_user(role="Editor"))
    page = client.get(reverse("admin:index")).content.decode()
    assert "Recommendations due for re-assessment" in page
    assert f"?recommendation={old.pk}:{r1.key}" in page
    assert "last assessed 2025-03-01" in page
