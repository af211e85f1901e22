"""The recommendation tracker in public: the brief page, the scorecard, feeds, API.

Assessments are live facts about the recommendations a public edition
makes: only published ones show, only for recommendations of public
editions, beside the frozen text, at a constant number of queries.
"""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import ActorKind
from briefs.models import Recommendation, Status
from editorial.workflow import Action, transition_brief
from kernel.pagecache import current_generation
from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date


def brief_with(n: int, **kwargs):
    nato = kwargs.pop("nato", None) or factories.make_actor(
        name="NATO", slug="nato", kind=ActorKind.ORGANIZATION
    )
    kwargs.setdefault("authors", [factories.make_person()])
    brief = factories.make_brief(recommendations=n, edition=False, **kwargs)
    for rec in brief.recommendations.all():
        rec.addressees.set([nato])
    factories.publish(brief)
    return brief, nato


def rec(brief, order: int) -> Recommendation:
    return Recommendation.objects.get(brief=brief, order=order)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- The brief page ----------------------------------------------------------------


def test_brief_page_shows_each_status_and_its_dated_history_with_evidence(client):
    brief, _ = brief_with(2)
    factories.make_assessment(
        rec(brief, 1),
        status="no_action",
        assessed_on=D(2025, 9, 1),
        justification="Nothing happened.",
    )
    factories.make_assessment(
        rec(brief, 1),
        status="in_progress",
        assessed_on=D(2026, 3, 1),
        justification="Talks <began> & continue.",
        sources=[
            ("https://www.nato.int/cps/en/natohq/news.htm", "NATO news", D(2026, 2, 27))
        ],
    )
    text = page(client, f"/briefs/{brief.slug}/")
    first = text.split('id="recommendation-1"')[1].split("</li>\n")[0]
    assert '<span class="status-badge status-in-progress">In progress</span>' in first
    assert '<time datetime="2026-03-01">1 March 2026</time>' in first
    assert "No action" in first and "Nothing happened." in first
    # Newest first; the justification is text, escaped once.
    assert first.index("Talks") < first.index("Nothing happened.")
    assert "Talks &lt;began&gt; &amp; continue." in first
    assert 'href="https://www.nato.int/cps/en/natohq/news.htm"' in first
    second = text.split('id="recommendation-2"')[1]
    assert "Not yet assessed" in second.split("</li>")[0]
    assert "1 not yet assessed, 1 in progress" in text
    assert f'href="/recommendations/?brief={brief.slug}"' in text
    assert "<!--tracker" not in text


def test_brief_page_costs_the_same_queries_for_one_or_many_assessments(client):
    small, nato = brief_with(1)
    factories.make_assessment(rec(small, 1))
    large, _ = brief_with(6, nato=nato)
    for r in large.recommendations.all():
        for day in (D(2025, 10, 1), D(2026, 1, 1), D(2026, 2, 1)):
            factories.make_assessment(
                r,
                assessed_on=day,
                sources=[
                    ("https://example.org/a", "A", day),
                    ("https://example.org/b", "B", day),
                ],
            )
    counts = []
    for brief in (small, large):
        with CaptureQueriesContext(connection) as queries:
            page(client, f"/briefs/{brief.slug}/")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_assessments_survive_a_published_correction(client):
    """Recommendation rows are replaced when a correction is published; the
    assessments follow the recommendation's key, not its row."""
    editor = factories.make_user(role="Editor")
    publisher = factories.make_user(role="Publisher")
    brief, _ = brief_with(2, created_by=editor)
    first_row = rec(brief, 1).pk
    factories.make_assessment(rec(brief, 1), status="implemented")
    copy = transition_brief(brief, user=publisher, action=Action.START_CORRECTION).brief
    # The correction rewrites the first recommendation and swaps the order.
    Recommendation.objects.filter(brief=copy, order=1).update(order=9)
    Recommendation.objects.filter(brief=copy, order=2).update(order=1)
    Recommendation.objects.filter(brief=copy, order=9).update(
        order=2, title="A sharper title"
    )
    copy.refresh_from_db()
    transition_brief(copy, user=publisher, action=Action.SUBMIT)
    transition_brief(copy, user=editor, action=Action.APPROVE)
    with factories.commit():
        transition_brief(copy, user=publisher, action=Action.PUBLISH)
    moved = Recommendation.objects.get(brief=brief, title="A sharper title")
    assert moved.pk != first_row and moved.order == 2
    text = page(client, f"/briefs/{brief.slug}/")
    assert "Implemented" in text.split('id="recommendation-2"')[1].split("</li>")[0]
    assert "Implemented" not in text.split('id="recommendation-1"')[1].split("</li>")[0]


def test_restoring_an_old_revision_keeps_recommendation_identity():
    from editorial.revisions import apply_content, snapshot_brief

    brief = factories.make_brief(recommendations=2, status=Status.DRAFT)
    keys = {r.order: r.key for r in brief.recommendations.all()}
    content = snapshot_brief(brief)
    for r in content["recommendations"]:  # a revision from before keys existed
        del r["key"]
    apply_content(brief, content)
    assert {r.order: r.key for r in brief.recommendations.all()} == keys


# --- Leaks -------------------------------------------------------------------------


def test_unpublished_assessments_and_unpublic_briefs_never_leak(client):
    brief, nato = brief_with(1)
    factories.make_assessment(
        rec(brief, 1), status="rejected", justification="DRAFT-SECRET", published=False
    )
    hidden, _ = brief_with(1, nato=nato)
    factories.make_assessment(rec(hidden, 1), justification="WITHDRAWN-SECRET")
    with factories.commit():
        hidden.status, hidden.withdrawn_reason = Status.WITHDRAWN, "Wrong."
        hidden.save()
        from briefs.hooks import public_record

        public_record().withdrawn(brief=hidden)
    draft = factories.make_brief(recommendations=1, status=Status.DRAFT)
    factories.make_assessment(rec(draft, 1), justification="UNPUBLISHED-BRIEF-SECRET")
    urls = [
        f"/briefs/{brief.slug}/",
        "/recommendations/",
        "/recommendations/?addressee=nato",
        "/recommendations/?status=rejected",
        "/feeds/recommendation-status.rss",
        "/feeds/recommendation-status.atom",
        "/actors/nato/recommendation-status.rss",
        "/api/v1/recommendations/",
        "/api/v1/recommendations/?status=rejected",
    ]
    for url in urls:
        text = client.get(url).content.decode()
        for secret in ("SECRET", "Rejected</a></th><td>1"):
            assert secret not in text, url
    assert client.get("/api/v1/recommendations/?status=rejected").json()["count"] == 0


def test_assessment_of_a_recommendation_a_correction_removed_is_not_shown(client):
    editor = factories.make_user(role="Editor")
    publisher = factories.make_user(role="Publisher")
    brief, _ = brief_with(2, created_by=editor)
    factories.make_assessment(rec(brief, 2), justification="ABOUT-REMOVED")
    copy = transition_brief(brief, user=publisher, action=Action.START_CORRECTION).brief
    Recommendation.objects.filter(brief=copy, order=2).delete()
    transition_brief(copy, user=publisher, action=Action.SUBMIT)
    transition_brief(copy, user=editor, action=Action.APPROVE)
    with factories.commit():
        transition_brief(copy, user=publisher, action=Action.PUBLISH)
    for url in (
        f"/briefs/{brief.slug}/",
        "/feeds/recommendation-status.rss",
        "/api/v1/recommendations/",
    ):
        assert "ABOUT-REMOVED" not in client.get(url).content.decode(), url


# --- The page cache ----------------------------------------------------------------


def test_publishing_an_assessment_retires_the_page_cache_generation():
    from editorial.assessments import publish_assessment

    brief, _ = brief_with(1)
    assessment = factories.make_assessment(rec(brief, 1), published=False)
    before = current_generation()
    with factories.commit():
        publish_assessment(
            assessment=assessment, user=factories.make_user(is_superuser=True)
        )
    assert current_generation() != before


# --- The scorecard -----------------------------------------------------------------


def test_scorecard_per_addressee_counts_by_status_and_lists_them(client):
    brief, nato = brief_with(3)
    eu = factories.make_actor(name="EU", slug="eu", kind=ActorKind.ORGANIZATION)
    other = factories.make_brief(recommendations=1, edition=False)
    rec(other, 1).addressees.set([eu])
    factories.publish(other)
    factories.make_assessment(rec(brief, 1), status="implemented")
    factories.make_assessment(
        rec(brief, 2), status="rejected", assessed_on=D(2025, 1, 1)
    )
    factories.make_assessment(rec(brief, 2), status="in_progress")
    text = page(client, "/recommendations/?addressee=nato")
    assert "Scorecard: NATO" in text
    assert 'status=implemented">Implemented</a></th><td>1' in text
    assert 'status=in_progress">In progress</a></th><td>1' in text
    assert 'status=rejected">Rejected</a></th><td>0' in text
    assert 'status=not_assessed">Not yet assessed</a></th><td>1' in text
    assert text.count('<p class="tracker-status">') == 3
    filtered = page(client, "/recommendations/?addressee=nato&status=in_progress")
    assert filtered.count('<p class="tracker-status">') == 1
    per_brief = page(client, f"/recommendations/?brief={other.slug}")
    assert f"Scorecard: {other.title}" in per_brief
    assert 'status=not_assessed">Not yet assessed</a></th><td>1' in per_brief


def test_scorecard_page_costs_the_same_queries_for_few_or_many(client):
    brief, nato = brief_with(1)
    factories.make_assessment(rec(brief, 1))
    with CaptureQueriesContext(connection) as few:
        page(client, "/recommendations/?addressee=nato")
    for _ in range(3):
        more, _ = brief_with(4, nato=nato)
        for r in more.recommendations.all():
            factories.make_assessment(r, status="implemented")
            factories.make_assessment(r, status="rejected", assessed_on=D(2026, 4, 1))
    with CaptureQueriesContext(connection) as many:
        text = page(client, "/recommendations/?addressee=nato")
    assert 'status=rejected">Rejected</a></th><td>12' in text
    assert len(few) == len(many)


@pytest.mark.parametrize(
    "url",
    ["/recommendations/?status=maybe", "/recommendations/?assessed_after=soon"],
)
def test_bad_tracker_filters_are_a_400(client, url):
    assert client.get(url).status_code == 400
    assert (
        client.get(
            url.replace("/recommendations/", "/api/v1/recommendations/")
        ).status_code
        == 400
    )


# --- Feeds -------------------------------------------------------------------------


def test_status_feeds_list_changes_escaped_once_and_per_addressee(client):
    brief, nato = brief_with(1)
    factories.make_assessment(
        rec(brief, 1), status="no_action", assessed_on=D(2025, 9, 1)
    )
    factories.make_assessment(
        rec(brief, 1), status="in_progress", justification="Talks <b>began</b> & go on."
    )
    rss = client.get("/feeds/recommendation-status.rss")
    assert rss.status_code == 200
    channel = ET.fromstring(rss.content).find("channel")
    items = channel.findall("item")
    assert len(items) == 2
    assert items[0].findtext("title").startswith("In progress: Recommendation 1")
    description = items[0].findtext("description")
    # HTML-escaped text inside the XML: readers show the characters typed.
    assert "Talks &lt;b&gt;began&lt;/b&gt; &amp; go on." in description
    assert "was no action" in description
    assert items[0].findtext("link").endswith(f"/briefs/{brief.slug}/#recommendation-1")
    atom = ET.fromstring(client.get("/feeds/recommendation-status.atom").content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    summary = atom.find("a:entry/a:summary", ns)
    assert summary.get("type") == "text"
    assert "Talks <b>began</b> & go on." in summary.text
    assert client.get("/actors/nato/recommendation-status.rss").status_code == 200
    assert client.get("/actors/nato/recommendation-status.atom").status_code == 200
    lonely = factories.make_actor(slug="lonely")
    assert (
        client.get(f"/actors/{lonely.slug}/recommendation-status.rss").status_code
        == 404
    )


# --- API ---------------------------------------------------------------------------


def test_api_gives_status_and_assessments_and_filters_by_them(client):
    brief, _ = brief_with(2)
    factories.make_assessment(
        rec(brief, 1),
        status="partly_implemented",
        assessed_on=D(2026, 2, 1),
        sources=[("https://example.org/x", "X", D(2026, 1, 30))],
    )
    data = client.get("/api/v1/recommendations/").json()
    items = {item["order"]: item for item in data["results"]}
    assert items[2]["status"] == "not_assessed" and items[2]["assessments"] == []
    assert items[1]["status"] == "partly_implemented"
    [assessment] = items[1]["assessments"]
    assert assessment["assessed_on"] == "2026-02-01"
    assert assessment["sources"] == [
        {"url": "https://example.org/x", "title": "X", "date": "2026-01-30"}
    ]
    one = client.get(f"/api/v1/recommendations/{brief.slug}-1/").json()
    assert one["assessments"] == items[1]["assessments"]
    assert (
        client.get("/api/v1/recommendations/?status=partly_implemented").json()["count"]
        == 1
    )
    assert (
        client.get("/api/v1/recommendations/?status=not_assessed").json()["count"] == 1
    )
    assert (
        client.get("/api/v1/recommendations/?assessed_after=2026-01-31").json()["count"]
        == 1
    )
    assert (
        client.get("/api/v1/recommendations/?assessed_after=2026-02-01").json()["count"]
        == 0
    )


def test_api_list_costs_the_same_queries_for_few_or_many_assessments(client):
    brief, nato = brief_with(1)
    factories.make_assessment(rec(brief, 1))
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/recommendations/")
    for _ in range(3):
        more, _ = brief_with(3, nato=nato)
        for r in more.recommendations.all():
            factories.make_assessment(r)
            factories.make_assessment(r, assessed_on=D(2026, 5, 1))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/recommendations/").json()["count"] == 10
    assert len(few) == len(many)


def test_openapi_schema_documents_tracker_fields_and_filters(client):
    schema = client.get("/api/v1/schema/?format=json").content.decode()
    for word in ("assessed_after", "not_assessed", "assessments", "overtaken"):
        assert word in schema
