"""/api/v1/actors/ and /api/v1/agreements/: contract, filters, query counts."""

import datetime

import pytest

from actors.models import AgreementParty, AgreementSource, Indicator, Office
from tests import factories

pytestmark = pytest.mark.django_db


def test_actor_detail_payload(client):
    nato = factories.make_actor(name="NATO", slug="nato", kind="organization")
    croatia = factories.make_actor(name="Croatia", slug="croatia", iso_code="HR")
    factories.make_membership(croatia, nato, since=datetime.date(2009, 4, 1))
    factories.make_agreement(parties=[croatia, nato])
    factories.make_agreement(parties=[croatia])
    person = factories.make_actor(name="A Minister", slug="minister", kind="person")
    Office.objects.create(
        holder=person,
        title="Minister of Defence",
        of_actor=croatia,
        since=datetime.date(2024, 5, 17),
    )
    tanks = Indicator.objects.create(
        actor=croatia,
        metric="main_battle_tanks",
        value=75,
        value_max=80,
        unit="tanks",
        year=2025,
        status="in_service",
        source="A survey",
        source_url="https://example.org/s",
        note="M-84.",
    )
    troops = Indicator.objects.create(
        actor=croatia,
        metric="active_troops",
        unit="troops",
        year=2025,
        source="A survey",
    )

    data = client.get("/api/v1/actors/croatia/").json()

    assert data == {
        "id": croatia.pk,
        "slug": "croatia",
        "url": "http://testserver/actors/croatia/",
        "api_url": "http://testserver/api/v1/actors/croatia/",
        "name": "Croatia",
        "kind": "state",
        "iso_code": "HR",
        "description": "",
        "status_note": "",
        "memberships": [
            {
                "organization": {
                    "slug": "nato",
                    "name": "NATO",
                    "api_url": "http://testserver/api/v1/actors/nato/",
                },
                "since": "2009-04-01",
                "until": None,
                "note": "",
            }
        ],
        "offices": [],
        "indicators": [
            {
                "id": troops.pk,
                "metric": "active_troops",
                "metric_label": "Active troops",
                "additive": True,
                "qualitative": False,
                "known": False,
                "value": None,
                "value_max": None,
                "unit": "troops",
                "display": "no data",
                "year": 2025,
                "status": "",
                "status_year": None,
                "source": {"title": "A survey", "url": ""},
                "note": "",
            },
            {
                "id": tanks.pk,
                "metric": "main_battle_tanks",
                "metric_label": "Main battle tanks",
                "additive": True,
                "qualitative": False,
                "known": True,
                "value": "75",
                "value_max": "80",
                "unit": "tanks",
                "display": "75–80 tanks",
                "year": 2025,
                "status": "in_service",
                "status_year": None,
                "source": {"title": "A survey", "url": "https://example.org/s"},
                "note": "M-84.",
            },
        ],
        "agreement_count": 2,
        "briefs_url": "http://testserver/api/v1/briefs/?actor=croatia",
        "agreements_url": "http://testserver/api/v1/agreements/?party=croatia",
    }
    minister = client.get("/api/v1/actors/minister/").json()
    assert minister["offices"] == [
        {
            "title": "Minister of Defence",
            "of": {
                "slug": "croatia",
                "name": "Croatia",
                "api_url": "http://testserver/api/v1/actors/croatia/",
            },
            "since": "2024-05-17",
            "until": None,
        }
    ]


def test_actor_filters(client):
    nato = factories.make_actor(name="NATO", slug="nato", kind="organization")
    factories.make_actor(name="Serbia", slug="serbia")
    hungary = factories.make_actor(name="Hungary", slug="hungary")
    sweden = factories.make_actor(name="Sweden", slug="sweden")
    factories.make_membership(hungary, nato, since=datetime.date(1999, 3, 12))
    factories.make_membership(sweden, nato, since=datetime.date(2024, 3, 7))

    def slugs(query):
        response = client.get(f"/api/v1/actors/?{query}")
        assert response.status_code == 200, response.json()
        return [a["slug"] for a in response.json()["results"]]

    assert slugs("kind=organization") == ["nato"]
    assert slugs("member_of=nato") == ["hungary", "sweden"]
    assert slugs("member_of=nato&member_on=2020-01-01") == ["hungary"]
    assert slugs("q=hung") == ["hungary"]
    assert slugs("ordering=-name&kind=state") == ["sweden", "serbia", "hungary"]


def test_agreement_detail_payload(client):
    albania = factories.make_actor(name="Albania", slug="albania")
    croatia = factories.make_actor(name="Croatia", slug="croatia")
    minister = factories.make_actor(name="A Minister", slug="minister", kind="person")
    pact = factories.make_agreement(
        title="Joint declaration",
        slug="tirana-2025",
        signed_on=datetime.date(2025, 3, 18),
        signed_at="Tirana",
        key_terms="Joint exercises\nInteroperability\n",
        parties=[albania],
    )
    AgreementParty.objects.create(
        agreement=pact,
        actor=croatia,
        signatory=minister,
        signatory_capacity="Minister of Defence",
        order=1,
    )
    AgreementSource.objects.create(agreement=pact, title="Press release")

    data = client.get("/api/v1/agreements/tirana-2025/").json()

    assert data == {
        "id": pact.pk,
        "slug": "tirana-2025",
        "url": "http://testserver/agreements/tirana-2025/",
        "api_url": "http://testserver/api/v1/agreements/tirana-2025/",
        "title": "Joint declaration",
        "kind": "joint_declaration",
        "status": "signed",
        "proposed_on": None,
        "signed_on": "2025-03-18",
        "signed_at": "Tirana",
        "in_force_on": None,
        "expires_on": None,
        "mutual_defense": "not_stated",
        "summary": "",
        "parties": [
            {
                "actor": {
                    "slug": "albania",
                    "name": "Albania",
                    "api_url": "http://testserver/api/v1/actors/albania/",
                },
                "signatory": None,
                "signatory_capacity": "",
            },
            {
                "actor": {
                    "slug": "croatia",
                    "name": "Croatia",
                    "api_url": "http://testserver/api/v1/actors/croatia/",
                },
                "signatory": {
                    "slug": "minister",
                    "name": "A Minister",
                    "api_url": "http://testserver/api/v1/actors/minister/",
                },
                "signatory_capacity": "Minister of Defence",
            },
        ],
        "briefs_url": "http://testserver/api/v1/briefs/?agreement=tirana-2025",
        "key_terms": ["Joint exercises", "Interoperability"],
        "sources": [{"title": "Press release", "url": ""}],
    }
    listed = client.get("/api/v1/agreements/").json()["results"][0]
    assert listed == {
        k: v for k, v in data.items() if k not in {"key_terms", "sources"}
    }


def test_question_every_agreement_with_both_serbia_and_hungary(client):
    serbia = factories.make_actor(slug="serbia")
    hungary = factories.make_actor(slug="hungary")
    china = factories.make_actor(slug="china")
    both = factories.make_agreement(slug="both", parties=[serbia, hungary])
    three = factories.make_agreement(slug="three", parties=[serbia, hungary, china])
    factories.make_agreement(slug="serbia-only", parties=[serbia, china])

    data = client.get("/api/v1/agreements/?party=serbia&party=hungary").json()

    assert data["count"] == 2
    assert {a["slug"] for a in data["results"]} == {both.slug, three.slug}


def test_agreement_filters(client):
    old = factories.make_agreement(
        slug="old", signed_on=datetime.date(2007, 1, 1), kind="treaty"
    )
    new = factories.make_agreement(
        slug="new", signed_on=datetime.date(2025, 1, 1), status="in_force"
    )
    undated = factories.make_agreement(slug="undated", signed_on=None)

    def slugs(query):
        response = client.get(f"/api/v1/agreements/?{query}")
        assert response.status_code == 200, response.json()
        return [a["slug"] for a in response.json()["results"]]

    assert slugs("") == [new.slug, old.slug, undated.slug]  # undated last
    assert slugs("ordering=signed_on") == [old.slug, new.slug, undated.slug]
    assert slugs("kind=treaty") == [old.slug]
    assert slugs("status=in_force") == [new.slug]
    assert slugs("signed_after=2010-01-01") == [new.slug]
    assert slugs("signed_before=2010-01-01") == [old.slug]


@pytest.mark.parametrize("links", [1, 20])
def test_actor_list_query_count_is_constant(
    client, django_assert_max_num_queries, links
):
    organizations = [factories.make_actor(kind="organization") for _ in range(links)]
    for _ in range(3):
        actor = factories.make_actor()
        for organization in organizations:
            factories.make_membership(actor, organization)
            Office.objects.create(
                holder=factories.make_actor(kind="person"),
                title="Envoy",
                of_actor=organization,
            )
            factories.make_agreement(parties=[actor, organization])
            Indicator.objects.create(
                actor=actor, metric="other", source=organization.slug, value=1
            )

    # count, page, memberships, offices, indicators
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/actors/?page_size=100")
    assert response.status_code == 200
    with django_assert_max_num_queries(6):  # + the slug lookup for member_of
        response = client.get(f"/api/v1/actors/?member_of={organizations[0].slug}")
    assert response.json()["count"] == 3
    assert len(response.json()["results"][0]["memberships"]) == links


@pytest.mark.parametrize("links", [1, 20])
def test_agreement_list_query_count_is_constant(
    client, django_assert_max_num_queries, links
):
    for _ in range(3):
        parties = [factories.make_actor() for _ in range(links)]
        agreement = factories.make_agreement(parties=parties)
        for party in agreement.parties.all():
            party.signatory = factories.make_actor(kind="person")
            party.save()

    # count, page, parties with their actors and signatories
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/agreements/?page_size=100")
    assert len(response.json()["results"][0]["parties"]) == links
    with django_assert_max_num_queries(4):  # + the slug lookup for party
        response = client.get(f"/api/v1/agreements/?party={parties[0].slug}")
    assert response.json()["count"] == 1


@pytest.mark.parametrize("links", [1, 20])
def test_actor_and_agreement_detail_query_counts_are_constant(
    client, django_assert_max_num_queries, links
):
    actor = factories.make_actor(slug="subject")
    for _ in range(links):
        factories.make_membership(actor, factories.make_actor(kind="organization"))
    agreement = factories.make_agreement(
        slug="deal", parties=[factories.make_actor() for _ in range(links)]
    )
    for number in range(links):
        AgreementSource.objects.create(agreement=agreement, title="Source")
        Indicator.objects.create(
            actor=actor, metric="other", source=f"Source {number}", value=number
        )

    with django_assert_max_num_queries(4):  # + indicators
        response = client.get("/api/v1/actors/subject/")
    assert len(response.json()["indicators"]) == links
    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/agreements/deal/")
    assert len(response.json()["sources"]) == links
