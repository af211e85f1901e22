"""Every admin changelist, add and change page works for a superuser, cheaply."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from actors.models import (
    ActorAlias,
    ActorKind,
    AgreementParty,
    AgreementSource,
    Indicator,
    Metric,
    Office,
)
from briefs.models import Brief, Recommendation
from languages.models import ScriptException
from tests import factories

PROJECT_APPS = {"actors", "briefs", "languages"}
PROJECT_MODELS = [
    model for model in admin.site._registry if model._meta.app_label in PROJECT_APPS
]


def build_archive(rows: int) -> None:
    """`rows` of every kind of object, each richly linked."""
    nato = factories.make_actor(name="NATO", kind=ActorKind.ORGANIZATION)
    institution = factories.make_institution()
    topic = factories.make_topic()
    for n in range(rows):
        ScriptException.objects.create(latin=f"Brand{n}", cyrillic=f"Brand{n}")
        state = factories.make_actor()
        person = factories.make_actor(kind=ActorKind.PERSON)
        ActorAlias.objects.create(actor=state, alias=f"{state.name} alias")
        factories.make_membership(state, nato, since=datetime.date(2009, 4, 1))
        Office.objects.create(holder=person, title="Minister", of_actor=state)
        Indicator.objects.create(
            actor=state, metric=Metric.ACTIVE_TROOPS, value=100, source="Brief"
        )
        agreement = factories.make_agreement(parties=[state, nato])
        AgreementParty.objects.filter(agreement=agreement).update(signatory=person)
        AgreementSource.objects.create(agreement=agreement, title="Source")
        author = factories.make_person(affiliation=institution)
        brief = factories.make_brief(
            authors=[author, factories.make_person()],
            actors=[state, nato],
            agreements=[agreement],
            topics=[topic],
            recommendations=2,
        )
        for rec in Recommendation.objects.filter(brief=brief):
            rec.addressees.set([nato, state])
            factories.make_assessment(rec)
            factories.make_assessment(rec, published=False)


def admin_url(model, view: str, *args) -> str:
    return reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args
    )


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 5])
@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_answers_with_constant_queries(
    admin_client, django_assert_max_num_queries, model, rows
):
    build_archive(rows)
    assert model.objects.exists()
    # The same bound for 1 and for 5 rows proves the count does not grow.
    with django_assert_max_num_queries(16):
        response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m._meta.model_name)
def test_add_page_answers(admin_client, model):
    response = admin_client.get(admin_url(model, "add"))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 5])
@pytest.mark.parametrize("model", PROJECT_MODELS, ids=lambda m: m._meta.model_name)
def test_change_page_answers_with_bounded_queries(
    admin_client, django_assert_max_num_queries, model, rows
):
    build_archive(rows)
    obj = model.objects.order_by("pk").first()
    with django_assert_max_num_queries(60):
        response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200


@pytest.mark.django_db
def test_changelist_search_and_filters_answer(admin_client):
    build_archive(2)
    for model in PROJECT_MODELS:
        response = admin_client.get(admin_url(model, "changelist"), {"q": "1"})
        assert response.status_code == 200, model


@pytest.mark.django_db
def test_admin_escapes_hostile_titles(admin_client):
    factories.make_brief(title='<script>alert("x")</script>')
    response = admin_client.get(admin_url(Brief, "changelist"))
    assert b'<script>alert("x")</script>' not in response.content
    assert b"&lt;script&gt;" in response.content


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/admin/briefs/brief/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
