"""Querysets compiled once and run with new values (kernel/compiled.py)."""

import datetime
import uuid

import pytest

from briefs.models import Assessment
from kernel.compiled import CompiledQuery
from tests import factories

pytestmark = pytest.mark.django_db


def _assessment() -> Assessment:
    brief = factories.make_brief(recommendations=1)
    recommendation = brief.recommendations.get()
    return factories.make_assessment(
        recommendation, assessed_on=datetime.date(2025, 9, 1)
    )


def _query(**options) -> CompiledQuery:
    return CompiledQuery(
        lambda brief: Assessment.objects.filter(brief_id=brief).values_list(
            "recommendation_key", "assessed_on", "published_at"
        ),
        brief=-1,
        **options,
    )


def test_converted_rows_are_what_the_orm_gives_on_every_database():
    assessment = _assessment()
    [row] = _query(convert=True)(brief=assessment.brief_id)
    assert row == tuple(
        Assessment.objects.filter(pk=assessment.pk).values_list(
            "recommendation_key", "assessed_on", "published_at"
        )[0]
    )
    key, day, published = row
    assert isinstance(key, uuid.UUID) and day == datetime.date(2025, 9, 1)
    assert published.tzinfo is not None


def test_the_same_sql_answers_each_new_value():
    first, second = _assessment(), _assessment()
    query = _query(convert=True)
    assert [r[0] for r in query(brief=first.brief_id)] == [first.recommendation_key]
    assert [r[0] for r in query(brief=second.brief_id)] == [second.recommendation_key]
    assert query(brief=-5) == []
