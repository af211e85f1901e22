"""/api/v1/briefs/, /people/, /topics/, /recommendations/: contract, filters,
published-only, constant query counts."""

import datetime

import pytest
from django.utils import timezone

from briefs.models import BriefActor, Licence, MentionState, Status
from tests import factories

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _unpublished_briefs(**links):
    """One brief in each state that must never be public, all linked alike."""
    return [
        factories.make_brief(slug="draft", title="Draft", status=Status.DRAFT, **links),
        factories.make_brief(
            slug="scheduled",
            title="Scheduled",
            published_at=NOW + datetime.timedelta(days=3),
            **links,
        ),
        factories.make_brief(
            slug="withdrawn",
            title="Withdrawn",
            status=Status.WITHDRAWN,
            withdrawn_reason="Superseded.",
            **links,
        ),
        factories.make_brief(slug="trashed", title="Trashed", deleted_at=NOW, **links),
    ]


def test_brief_detail_payload(client):
    kfor = factories.make_actor(name="KFOR", slug="kfor", kind="mission")
    serbia = factories.make_actor(name="Serbia", slug="serbia")
    author = factories.make_person(name="Ana Author", slug="ana")
    editor = factories.make_person(name="Ed Editor", slug="ed")
    topic = factories.make_topic(name="Security", slug="security")
    pact = factories.make_agreement(title="Pact", slug="pact", parties=[serbia])
    brief = factories.make_brief(
        slug="kfor-future",
        title="The future of KFOR",
        summary="Short.",
        body="## Why\n\nBecause KFOR stays <script>alert(1)</script>.",
        licence=Licence.CC_BY,  # chosen: the default is all rights reserved
        authors=[author],
        agreements=[pact],
        topics=[topic],
        recommendations=1,
        publication_date=datetime.date(2025, 5, 21),
        published_at=datetime.datetime(2025, 5, 21, 10, 0, tzinfo=datetime.UTC),
        edition=False,
    )
    brief.contributions.create(person=editor, role="editor", order=5)
    BriefActor.objects.create(brief=brief, actor=kfor, first_position=10)
    BriefActor.objects.create(brief=brief, actor=serbia, first_position=None)
    suggested = factories.make_actor(slug="suggested")
    BriefActor.objects.create(
        brief=brief, actor=suggested, state=MentionState.SUGGESTED
    )
    brief.recommendations.get().addressees.add(kfor)
    edition = factories.publish(brief)

    response = client.get("/api/v1/briefs/kfor-future/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data == {
        "id": brief.pk,
        "slug": "kfor-future",
        "url": "http://testserver/briefs/kfor-future/",
        "api_url": "http://testserver/api/v1/briefs/kfor-future/",
        "title": "The future of KFOR",
        "kind": "policy_brief",
        "language": "en",
        "summary": "Short.",
        "publication_date": "2025-05-21",
        "published_at": "2025-05-21T12:00:00+02:00",
        "updated_at": "2025-05-21T12:00:00+02:00",
        "version": 1,
        "featured": False,
        "doi": "",
        "licence": "CC-BY-4.0",
        "contributors": [
            {
                "slug": "ana",
                "name": "Ana Author",
                "api_url": "http://testserver/api/v1/people/ana/",
                "role": "author",
            },
            {
                "slug": "ed",
                "name": "Ed Editor",
                "api_url": "http://testserver/api/v1/people/ed/",
                "role": "editor",
            },
        ],
        "actors": [
            {
                "slug": "kfor",
                "name": "KFOR",
                "api_url": "http://testserver/api/v1/actors/kfor/",
            },
            {
                "slug": "serbia",
                "name": "Serbia",
                "api_url": "http://testserver/api/v1/actors/serbia/",
            },
        ],
        "agreements": [
            {
                "slug": "pact",
                "title": "Pact",
                "api_url": "http://testserver/api/v1/agreements/pact/",
            }
        ],
        "topics": [
            {
                "slug": "security",
                "name": "Security",
                "api_url": "http://testserver/api/v1/topics/security/",
            }
        ],
        "licence_url": "https://creativecommons.org/licenses/by/4.0/",
        "toc": [{"level": 2, "id": "why", "title": "Why"}],
        "body_markdown": "## Why\n\nBecause KFOR stays <script>alert(1)</script>.",
        "body_html": edition.body_html,
        "recommendations": [
            {
                "slug": "kfor-future-1",
                "api_url": "http://testserver/api/v1/recommendations/kfor-future-1/",
                "order": 1,
                "title": "Recommendation 1",
                "body": "Do thing 1.",
                "policy_area": "other",
                "addressees": [
                    {
                        "slug": "kfor",
                        "name": "KFOR",
                        "api_url": "http://testserver/api/v1/actors/kfor/",
                    }
                ],
            }
        ],
        # No translation: read per request (tests/publishing/test_api_languages.py).
        "translations": [],
        "cover": None,
        "attachments": [],
    }
    assert "<script>" not in data["body_html"]
    # The body as the page shows it: first mentions link to the actor.
    assert '<a class="actor-link" href="/actors/kfor/">KFOR</a>' in data["body_html"]
    assert data["url"].endswith(brief.get_absolute_url())


def test_brief_list_items_are_the_detail_without_body_and_recommendations(client):
    factories.make_brief(slug="one", recommendations=2)

    item = client.get("/api/v1/briefs/").json()["results"][0]
    detail = client.get("/api/v1/briefs/one/").json()

    for key in [
        "body_markdown",
        "body_html",
        "toc",
        "recommendations",
        "licence_url",
        "cover",
        "attachments",
    ]:
        assert key not in item
        detail.pop(key)
    assert item == detail


def test_brief_list_is_paginated_newest_first(client):
    old = factories.make_brief(slug="old", publication_date=datetime.date(2023, 1, 1))
    new = factories.make_brief(slug="new", publication_date=datetime.date(2025, 1, 1))

    data = client.get("/api/v1/briefs/?page_size=1").json()

    assert data["count"] == 2
    assert [b["slug"] for b in data["results"]] == [new.slug]
    assert data["next"] == "http://testserver/api/v1/briefs/?page=2&page_size=1"
    assert data["previous"] is None
    page2 = client.get("/api/v1/briefs/?page_size=1&page=2").json()
    assert [b["slug"] for b in page2["results"]] == [old.slug]


def test_question_every_brief_discussing_kfor_since_2024(client):
    kfor = factories.make_actor(slug="kfor")
    hit = factories.make_brief(
        slug="hit", actors=[kfor], publication_date=datetime.date(2024, 3, 1)
    )
    factories.make_brief(
        slug="too-old", actors=[kfor], publication_date=datetime.date(2023, 12, 31)
    )
    factories.make_brief(slug="other", publication_date=datetime.date(2025, 1, 1))
    suggested_only = factories.make_brief(
        slug="suggested", publication_date=datetime.date(2025, 1, 1)
    )
    BriefActor.objects.create(
        brief=suggested_only, actor=kfor, state=MentionState.SUGGESTED
    )

    data = client.get("/api/v1/briefs/?actor=kfor&published_after=2024-01-01").json()

    assert [b["slug"] for b in data["results"]] == [hit.slug]


def test_brief_filters(client):
    kfor = factories.make_actor(slug="kfor")
    nato = factories.make_actor(slug="nato")
    ana = factories.make_person(slug="ana")
    topic = factories.make_topic(slug="security")
    pact = factories.make_agreement(slug="pact")
    both = factories.make_brief(
        slug="both",
        actors=[kfor, nato],
        authors=[ana],
        topics=[topic],
        agreements=[pact],
        kind="analysis",
        language="sr-Latn",
        title="Balkan security",
    )
    factories.make_brief(slug="kfor-only", actors=[kfor], researchers=[ana])

    def slugs(query):
        response = client.get(f"/api/v1/briefs/?{query}")
        assert response.status_code == 200, response.json()
        return [b["slug"] for b in response.json()["results"]]

    assert slugs("actor=kfor&actor=nato") == [both.slug]
    assert sorted(slugs("actor=kfor")) == ["both", "kfor-only"]
    assert slugs("author=ana") == [both.slug]  # researchers are not authors
    assert slugs("topic=security") == [both.slug]
    assert slugs("agreement=pact") == [both.slug]
    assert slugs("kind=analysis") == [both.slug]
    assert sorted(slugs("kind=analysis&kind=policy_brief")) == ["both", "kfor-only"]
    assert slugs("language=sr-Latn") == [both.slug]
    assert slugs("q=balkan") == [both.slug]
    assert slugs("published_before=2020-01-01") == []
    assert slugs("ordering=title&actor=kfor") == ["both", "kfor-only"]
    assert slugs("ordering=-title&actor=kfor") == ["kfor-only", "both"]


def test_unpublished_briefs_never_appear(client):
    kfor = factories.make_actor(slug="kfor")
    ana = factories.make_person(slug="ana")
    topic = factories.make_topic(slug="security")
    pact = factories.make_agreement(slug="pact")
    links = {
        "actors": [kfor],
        "authors": [ana],
        "topics": [topic],
        "agreements": [pact],
        "recommendations": 1,
    }
    public = factories.make_brief(slug="public", title="Kosovo", **links)
    hidden = _unpublished_briefs(**links)
    for brief in hidden:
        brief.recommendations.get().addressees.add(kfor)
    hidden_slugs = {b.slug for b in hidden}

    for url in [
        "/api/v1/briefs/",
        "/api/v1/briefs/?actor=kfor",
        "/api/v1/briefs/?author=ana",
        "/api/v1/briefs/?topic=security",
        "/api/v1/briefs/?agreement=pact",
        "/api/v1/briefs/?q=brief",
        "/api/v1/briefs/?published_after=2000-01-01",
    ]:
        data = client.get(url).json()
        assert data["count"] == 1, url
        assert [b["slug"] for b in data["results"]] == [public.slug], url

    for slug in hidden_slugs:
        assert client.get(f"/api/v1/briefs/{slug}/").status_code == 404
        assert client.get(f"/api/v1/recommendations/{slug}-1/").status_code == 404
        response = client.get(f"/api/v1/recommendations/?brief={slug}")
        assert response.status_code == 400
        assert "brief" in response.json()["errors"]

    recommendations = client.get("/api/v1/recommendations/?addressee=kfor").json()
    assert recommendations["count"] == 0
    recommendations = client.get("/api/v1/recommendations/").json()
    assert [r["brief"]["slug"] for r in recommendations["results"]] == ["public"]

    person = client.get("/api/v1/people/ana/").json()
    assert person["brief_count"] == 1
    topic_data = client.get("/api/v1/topics/security/").json()
    assert topic_data["brief_count"] == 1
    everything = b"".join(
        client.get(url).content
        for url in [
            "/api/v1/people/",
            "/api/v1/topics/",
            "/api/v1/actors/",
            "/api/v1/actors/kfor/",
            "/api/v1/agreements/",
            "/api/v1/agreements/pact/",
            "/api/v1/recommendations/",
        ]
    ).decode()
    for brief in hidden:
        assert brief.title not in everything
        assert f"/{brief.slug}" not in everything


def test_people_known_only_from_unpublished_briefs_are_not_listed(client):
    secret = factories.make_person(slug="secret")
    factories.make_brief(status=Status.DRAFT, authors=[secret])
    shown = factories.make_person(slug="shown")
    factories.make_brief(authors=[shown], researchers=[shown])

    data = client.get("/api/v1/people/").json()

    assert [p["slug"] for p in data["results"]] == ["shown"]
    assert data["results"][0]["brief_count"] == 1
    assert client.get("/api/v1/people/secret/").status_code == 404


def test_person_detail_payload(client):
    institute = factories.make_institution(name="Institute", slug="institute")
    person = factories.make_person(
        name="Ana", slug="ana", affiliation=institute, orcid="0000-0002-1825-0097"
    )
    factories.make_brief(authors=[person])

    data = client.get("/api/v1/people/ana/").json()

    assert data == {
        "id": person.pk,
        "slug": "ana",
        "url": "http://testserver/people/ana/",
        "api_url": "http://testserver/api/v1/people/ana/",
        "name": "Ana",
        "affiliation": {
            "slug": "institute",
            "name": "Institute",
            "local_name": "",
            "url": "",
        },
        "orcid": "0000-0002-1825-0097",
        "orcid_url": "https://orcid.org/0000-0002-1825-0097",
        "brief_count": 1,
        "briefs_url": "http://testserver/api/v1/briefs/?author=ana",
        "bio": "",
        "photo": None,
    }


def test_topics_list_with_published_counts(client):
    """A topic is public exactly when a public edition names it: one that only
    drafts have, or none, is neither listed nor an item."""
    topic = factories.make_topic(name="Security", slug="security")
    factories.make_topic(name="Trade", slug="trade")
    draft_only = factories.make_topic(name="Secret", slug="secret")
    factories.make_brief(topics=[topic])
    factories.make_brief(topics=[topic, draft_only], status=Status.DRAFT)

    data = client.get("/api/v1/topics/").json()

    assert data["results"] == [
        {
            "id": topic.pk,
            "slug": "security",
            "url": "http://testserver/topics/security/",
            "api_url": "http://testserver/api/v1/topics/security/",
            "name": "Security",
            "description": "",
            "brief_count": 1,
            "briefs_url": "http://testserver/api/v1/briefs/?topic=security",
        },
    ]
    assert client.get("/api/v1/topics/trade/").status_code == 404
    assert client.get("/api/v1/topics/secret/").status_code == 404


def test_question_every_recommendation_addressed_to_nato(client):
    nato = factories.make_actor(name="NATO", slug="nato", kind="organization")
    eu = factories.make_actor(name="EU", slug="eu", kind="organization")
    brief = factories.make_brief(slug="b", title="B", recommendations=3, edition=False)
    first, second, third = brief.recommendations.order_by("order")
    first.addressees.add(nato, eu)
    second.addressees.add(eu)
    third.addressees.add(nato)
    third.policy_area = "security"
    third.save()
    factories.publish(brief)

    data = client.get("/api/v1/recommendations/?addressee=nato").json()

    assert data["count"] == 2
    assert [r["slug"] for r in data["results"]] == ["b-1", "b-3"]
    assert data["results"][1] == {
        "id": third.pk,
        "slug": "b-3",
        "api_url": "http://testserver/api/v1/recommendations/b-3/",
        "brief": {
            "slug": "b",
            "title": "B",
            "api_url": "http://testserver/api/v1/briefs/b/",
        },
        "order": 3,
        "title": "Recommendation 3",
        "body": "Do thing 3.",
        "policy_area": "security",
        "addressees": [
            {
                "slug": "nato",
                "name": "NATO",
                "api_url": "http://testserver/api/v1/actors/nato/",
            }
        ],
        "status": "not_assessed",
        "assessments": [],
    }
    both = client.get("/api/v1/recommendations/?addressee=nato&addressee=eu").json()
    assert both["count"] == 3  # any of them
    security = client.get("/api/v1/recommendations/?policy_area=security").json()
    assert [r["slug"] for r in security["results"]] == ["b-3"]
    assert client.get("/api/v1/recommendations/b-3/").json() == data["results"][1]
    assert client.get("/api/v1/recommendations/b-9/").status_code == 404


# --- Query counts: the same with 1 and with 20 related items per object ---


def _brief_with_links(n, i):
    actors = [factories.make_actor() for _ in range(n)]
    brief = factories.make_brief(
        authors=[factories.make_person() for _ in range(n)],
        actors=actors,
        agreements=[factories.make_agreement() for _ in range(n)],
        topics=[factories.make_topic() for _ in range(n)],
        recommendations=n,
        edition=False,
    )
    for recommendation in brief.recommendations.all():
        recommendation.addressees.set(actors)
    factories.publish(brief)
    return brief


@pytest.mark.parametrize("links", [1, 20])
def test_brief_list_query_count_is_constant(
    client, django_assert_max_num_queries, links
):
    for i in range(3):
        _brief_with_links(links, i)

    # The page of stored items with the count riding along: links are inside
    # the stored JSON (was 6: count, page, one more per kind of link).
    with django_assert_max_num_queries(1):
        response = client.get("/api/v1/briefs/?page_size=100")
    assert response.status_code == 200
    assert len(response.json()["results"][0]["actors"]) == links
    # Filtered: the filter's slug lookup, the count, the page.
    actor = response.json()["results"][0]["actors"][0]["slug"]
    with django_assert_max_num_queries(3):
        response = client.get(f"/api/v1/briefs/?page_size=100&actor={actor}")
    assert len(response.json()["results"]) == 1


@pytest.mark.parametrize("links", [1, 20])
def test_brief_detail_query_count_is_constant(
    client, django_assert_max_num_queries, links
):
    brief = _brief_with_links(links, 0)

    # The edition's stored detail, nothing else (was 7).
    with django_assert_max_num_queries(1):
        response = client.get(f"/api/v1/briefs/{brief.slug}/")
    assert len(response.json()["recommendations"]) == links
    with django_assert_max_num_queries(1):
        response = client.get(f"/api/v1/briefs/{brief.slug}/citation/")
    assert len(response.json()["csl"][0]["author"]) == links


@pytest.mark.parametrize("links", [1, 20])
def test_people_topics_recommendations_query_counts_are_constant(
    client, django_assert_max_num_queries, links
):
    for i in range(3):
        _brief_with_links(links, i)

    with django_assert_max_num_queries(2):
        assert client.get("/api/v1/people/?page_size=100").status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get("/api/v1/topics/?page_size=100").status_code == 200
    # The count, the page, the snapshots of its editions (ids, addressees),
    # the assessments (publishing/tracker.py; their sources when there are).
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/recommendations/?page_size=100")
    assert response.json()["results"][0]["addressees"].__len__() == links
    slug = response.json()["results"][0]["slug"]
    with django_assert_max_num_queries(3):
        response = client.get(f"/api/v1/recommendations/{slug}/")
    assert len(response.json()["addressees"]) == links


@pytest.mark.django_db
def test_brief_citation_through_the_api(client):
    person = factories.make_person(name="Petar Ivić")
    brief = factories.make_brief(slug="alliances", title="Alliances", authors=[person])
    response = client.get("/api/v1/briefs/alliances/citation/")
    assert response.status_code == 200
    payload = response.json()
    assert payload["permanent_url"].endswith(f"/b/{brief.pk}/")
    assert payload["version"] == 1
    assert payload["bibtex"].startswith("@techreport{")
    assert "Ivić" in payload["bibtex"]
    assert "TY  - RPRT" in payload["ris"]
    assert payload["csl"][0]["type"] == "report"
    assert payload["csl"][0]["author"] == [{"family": "Ivić", "given": "Petar"}]
    assert "Alliances" in payload["apa"]


@pytest.mark.django_db
def test_citation_of_an_unpublished_brief_is_404(client):
    factories.make_brief(slug="secret-draft", status=Status.DRAFT)
    assert client.get("/api/v1/briefs/secret-draft/citation/").status_code == 404
