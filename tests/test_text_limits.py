"""Limits on the other text staff type: actors, agreements, indicators, topics,
public notes, review and workflow comments (README, *Limits and security*).

A brief's own texts are held in tests/briefs/test_limits.py. Each limit is one
constant; `full_clean`, the admin's forms and the write functions refuse
longer text with a message naming it.
"""

import pytest
from django.core.exceptions import ValidationError

from actors.models import (
    ACTOR_DESCRIPTION_MAX_CHARS,
    AGREEMENT_SUMMARY_MAX_CHARS,
    INDICATOR_NOTE_MAX_CHARS,
    KEY_TERMS_MAX_CHARS,
    STATUS_NOTE_MAX_CHARS,
    Indicator,
    Metric,
)
from briefs.models import (
    PUBLIC_NOTE_MAX_CHARS,
    TOPIC_DESCRIPTION_MAX_CHARS,
    Correction,
    Status,
)
from editorial.models import (
    REVIEW_COMMENT_MAX_CHARS,
    WORKFLOW_COMMENT_MAX_CHARS,
    ReviewComment,
)
from editorial.workflow import Action, TransitionError, transition_brief
from tests import factories
from tests.editorial.test_admin_workflow import form_data

pytestmark = pytest.mark.django_db


def _indicator():
    return Indicator.objects.create(
        actor=factories.make_actor(), metric=Metric.POPULATION, source="Census"
    )


def _correction():
    return Correction.objects.create(
        brief=factories.make_brief(), published_on="2025-06-02"
    )


def _review_comment():
    return ReviewComment.objects.create(
        brief=factories.make_brief(status=Status.DRAFT), body="Tighten it."
    )


CASES = [
    (factories.make_actor, "description", ACTOR_DESCRIPTION_MAX_CHARS),
    (factories.make_actor, "status_note", STATUS_NOTE_MAX_CHARS),
    (factories.make_agreement, "summary", AGREEMENT_SUMMARY_MAX_CHARS),
    (factories.make_agreement, "key_terms", KEY_TERMS_MAX_CHARS),
    (_indicator, "note", INDICATOR_NOTE_MAX_CHARS),
    (factories.make_topic, "description", TOPIC_DESCRIPTION_MAX_CHARS),
    (factories.make_brief, "withdrawn_reason", PUBLIC_NOTE_MAX_CHARS),
    (_correction, "note", PUBLIC_NOTE_MAX_CHARS),
    (_review_comment, "body", REVIEW_COMMENT_MAX_CHARS),
]


@pytest.mark.parametrize(
    ("make", "field", "limit"),
    CASES,
    ids=[f"{make.__name__}.{field}" for make, field, _ in CASES],
)
def test_full_clean_holds_each_text_to_its_limit(make, field, limit):
    instance = make()
    setattr(instance, field, "x" * limit)
    instance.full_clean()
    setattr(instance, field, "x" * (limit + 1))
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    [message] = error.value.message_dict[field]
    assert f"may be at most {limit} characters; this one has {limit + 1}" in message


ADMIN_CASES = [
    ("actors", "actor", factories.make_actor, "description", 2_000),
    ("actors", "actor", factories.make_actor, "status_note", 1_000),
    ("actors", "agreement", factories.make_agreement, "summary", 5_000),
    ("actors", "agreement", factories.make_agreement, "key_terms", 5_000),
    ("actors", "indicator", _indicator, "note", 2_000),
    ("briefs", "topic", factories.make_topic, "description", 2_000),
]


@pytest.mark.parametrize(
    ("app", "model", "make", "field", "limit"),
    ADMIN_CASES,
    ids=[f"{model}.{field}" for _, model, _, field, _ in ADMIN_CASES],
)
def test_admin_form_refuses_text_over_its_limit_naming_it(
    admin_client, app, model, make, field, limit
):
    instance = make()
    url = f"/admin/{app}/{model}/{instance.pk}/change/"
    data = form_data(admin_client.get(url))
    data[field] = "word " * (limit // 5) + "x"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert f"at most {limit} characters; this one has {limit + 1}." in (
        response.content.decode()
    )
    instance.refresh_from_db()
    assert len(getattr(instance, field)) <= limit
    data[field] = "word " * 10
    assert admin_client.post(url, data).status_code == 302


def test_review_comment_over_its_limit_is_refused_with_a_message(admin_client):
    brief = factories.make_brief(status=Status.IN_REVIEW)
    url = f"/admin/briefs/brief/{brief.pk}/comment/"
    response = admin_client.post(
        url, {"body": "x" * (REVIEW_COMMENT_MAX_CHARS + 1)}, follow=True
    )
    assert f"A review comment may be at most {REVIEW_COMMENT_MAX_CHARS}" in (
        response.content.decode()
    )
    assert not brief.review_comments.exists()
    admin_client.post(url, {"body": "x" * REVIEW_COMMENT_MAX_CHARS})
    assert brief.review_comments.count() == 1


@pytest.mark.parametrize(
    ("argument", "limit"),
    [("comment", WORKFLOW_COMMENT_MAX_CHARS), ("public_note", PUBLIC_NOTE_MAX_CHARS)],
)
def test_workflow_texts_over_their_limit_are_refused_whatever_the_caller(
    argument, limit
):
    brief = factories.make_brief()
    chief = factories.make_user(is_superuser=True)
    with pytest.raises(TransitionError) as error:
        transition_brief(
            brief, user=chief, action=Action.WITHDRAW, **{argument: "x" * (limit + 1)}
        )
    assert f"may be at most {limit} characters" in error.value.message
    brief.refresh_from_db()
    assert brief.status == Status.PUBLISHED
