"""Facets: the most used values first, the rest behind "Show all", results first."""

import re

import pytest
from django.template.loader import render_to_string

from publishing.facets import FACET_SHOWN, Facet, FacetValue
from tests import factories

pytestmark = pytest.mark.django_db


def _topics_with_counts(counts: list[int]) -> list:
    """Topics discussed by `counts[i]` briefs each (created in that order)."""
    topics = [factories.make_topic(name=f"Topic {i:02d}") for i in range(len(counts))]
    for topic, n in zip(topics, counts, strict=True):
        for _ in range(n):
            factories.make_brief(topics=[topic])
    return topics


def _topic_facet(page: str) -> str:
    start = page.index("<h3>Topic</h3>")
    return page[start : page.index("<h3>", start + 1)]


def test_the_most_used_values_come_first_and_the_rest_behind_show_all(client):
    # Created least used first: the order on the page comes from the counts.
    topics = _topics_with_counts([1, 1, 1, 2, 2, 3, 4, 5])
    page = client.get("/briefs/").content.decode()
    facet = _topic_facet(page)
    shown, _, hidden = facet.partition("<details>")
    names = re.findall(r"Topic \d\d", facet)
    counts = [int(n) for n in re.findall(r'<span class="count">(\d+)</span>', facet)]
    assert counts == sorted(counts, reverse=True) == [5, 4, 3, 2, 2, 1, 1, 1]
    assert names[0] == topics[-1].name
    # The first FACET_SHOWN at once; all of them one "Show all" away, no script.
    assert len(re.findall(r"<li>", shown)) == FACET_SHOWN
    assert len(re.findall(r"<li>", hidden)) == len(topics) - FACET_SHOWN
    assert "Show all 8" in hidden and "<summary>" in hidden
    assert "<script" not in page


def test_a_facet_with_few_values_has_no_show_all(client):
    _topics_with_counts([2, 1])
    facet = _topic_facet(client.get("/briefs/").content.decode())
    assert "<details" not in facet


def test_a_selected_value_behind_show_all_opens_it():
    values = [FacetValue(str(i), f"V{i}", 10 - i) for i in range(FACET_SHOWN + 2)]
    facet = Facet("topic", "Topic", values)
    assert not facet.more_selected
    values[-1].selected = True
    assert facet.more_selected and values[-1] in facet.more
    html = render_to_string("includes/_facets.html", {"facets": [facet]})
    assert "<details open>" in html


@pytest.mark.parametrize("url", ["/briefs/", "/search/?q=brief", "/recommendations/"])
def test_results_come_before_the_filters_in_the_document(client, url):
    _topics_with_counts([1, 1])
    page = client.get(url).content.decode()
    assert page.index('class="results"') < page.index('class="facets"')
