"""The demo's illustrative assessments: loaded once, public, saying what they are."""

import pytest

from briefs.models import Assessment, AssessmentState
from demo.loader import load_demo

pytestmark = pytest.mark.django_db


def test_demo_assessments_load_once_and_say_they_are_illustrative(client, seed_path):
    load_demo(seed_path=seed_path)
    count = Assessment.objects.count()
    assert count >= 7
    assert not Assessment.objects.exclude(state=AssessmentState.PUBLISHED).exists()
    for assessment in Assessment.objects.prefetch_related("sources"):
        assert assessment.justification.startswith("Illustrative demo entry")
        assert [s.url[:8] for s in assessment.sources.all()] != []
    load_demo(seed_path=seed_path)
    assert Assessment.objects.count() == count
    page = client.get("/briefs/serbia-hungary-defense-plan-2025/").content.decode()
    assert '<span class="status-badge status-in-progress">In progress</span>' in page
    card = client.get("/recommendations/?addressee=nato").content.decode()
    assert "Scorecard: NATO" in card
    assert client.get("/actors/nato/recommendation-status.rss").status_code == 200
