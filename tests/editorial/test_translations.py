"""Translations and Serbian in the admin: the brief form, the checks, names in
both scripts, and a preview of Serbian text in either script."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Actor
from briefs.models import Brief, Language, Status
from editorial.checks import run_checks
from editorial.workflow import TransitionError, transition_brief
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def original():
    return factories.make_brief(slug="kfor-gap", title="Kosovo's Security Gap")


def checks_of(brief: Brief) -> dict[str, str]:
    return {f.check: f.message for f in run_checks(brief)}


def test_a_translation_without_a_translator_is_warned_about(original):
    translation = factories.make_brief(
        status=Status.DRAFT,
        language=Language.SERBIAN_CYRILLIC,
        translation_of=original,
        translated_from_number=1,
    )
    assert "credits no translator" in checks_of(translation)["translator_credited"]
    # A brief that translates nothing is not asked for a translator.
    assert "translator_credited" not in checks_of(original)
    translation.contributions.create(
        person=factories.make_person(), role="translator", order=9
    )
    assert "translator_credited" not in checks_of(translation)


def test_the_brief_form_links_the_original_and_the_version(client, original):
    client.force_login(factories.make_user(is_superuser=True))
    translation = factories.make_brief(
        status=Status.DRAFT,
        slug="prevod",
        title="Превод",
        language=Language.SERBIAN_CYRILLIC,
        translation_of=original,
        translated_from_number=1,
    )
    form = client.get(f"/admin/briefs/brief/{translation.pk}/change/")
    html = form.content.decode()
    assert 'name="translation_of"' in html and 'name="translated_from_number"' in html
    assert "Left empty, it is the original" in html
    assert f"/admin/briefs/brief/{original.pk}/change/" in html
    assert "version 1: up to date" in html
    # The original's form names its translations.
    html = client.get(f"/admin/briefs/brief/{original.pk}/change/").content.decode()
    assert f"/admin/briefs/brief/{translation.pk}/change/" in html
    assert "made from version 1" in html


def test_an_original_with_translations_is_not_purged(original):
    factories.make_brief(
        status=Status.DRAFT,
        language=Language.SERBIAN_CYRILLIC,
        translation_of=original,
        translated_from_number=1,
    )
    root = factories.make_user(is_superuser=True)
    Brief.objects.filter(pk=original.pk).update(deleted_at="2026-01-01T00:00Z")
    original.refresh_from_db()
    with pytest.raises(TransitionError, match="has translations"):
        transition_brief(original, user=root, action="purge")


# -- Names in both scripts ----------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/actors/actor/{actor}/change/",
        "/admin/actors/agreement/{agreement}/change/",
        "/admin/briefs/person/{person}/change/",
        "/admin/briefs/topic/{topic}/change/",
        "/admin/briefs/institution/{institution}/change/",
    ],
)
def test_every_named_record_shows_its_serbian_name_in_both_scripts(client, url):
    client.force_login(factories.make_user(is_superuser=True))
    ids = {
        "actor": factories.make_actor(name="Serbia", name_sr="Србија").pk,
        "agreement": factories.make_agreement(name_sr="Споразум").pk,
        "person": factories.make_person(name="Džon", name_sr="").pk,
        "topic": factories.make_topic(name="Security", name_sr="Bezbednost").pk,
        "institution": factories.make_institution(name_sr="Институт").pk,
    }
    html = client.get(url.format(**ids)).content.decode()
    assert 'name="name_sr"' in html and 'name="name_sr_cyrl"' in html
    assert "As readers see it" in html
    forms = re.search(r'<dl class="serbian-forms">.*?</dl>', html, re.S)
    assert forms is not None
    cyrillic, latin = re.findall(r'<dd lang="sr-(?:Cyrl|Latn)">(.*?)</dd>', forms[0])
    assert re.search(r"[\u0400-\u04ff]", cyrillic)
    assert not re.search(r"[\u0400-\u04ff]", latin)


def test_the_forms_tell_when_an_override_is_needed_or_not(client):
    client.force_login(factories.make_user(is_superuser=True))
    actor = factories.make_actor(
        name="Washington", name_sr="Vašington", name_sr_cyrl="Вашингтон"
    )
    html = client.get(f"/admin/actors/actor/{actor.pk}/change/").content.decode()
    assert "the override equals the automatic form" in html
    Actor.objects.filter(pk=actor.pk).update(name_sr="Washington")
    html = client.get(f"/admin/actors/actor/{actor.pk}/change/").content.decode()
    assert "override; the automatic form is “Washington”" in html
    assert '<dd lang="sr-Cyrl">Вашингтон</dd>' in html
    assert '<dd lang="sr-Latn">Washington</dd>' in html


def test_a_serbian_name_is_saved_from_the_actor_form(client):
    client.force_login(factories.make_user(is_superuser=True))
    actor = factories.make_actor(name="North Macedonia", slug="north-macedonia")
    url = f"/admin/actors/actor/{actor.pk}/change/"
    response = client.post(
        url,
        {
            "name": "North Macedonia",
            "slug": "north-macedonia",
            "kind": actor.kind,
            "iso_code": "",
            "description": "",
            "status_note": "",
            "name_sr": "Северна Македонија",
            "name_sr_cyrl": "",
            **{
                f"{prefix}-{key}": value
                for prefix in ("aliases", "memberships", "indicators")
                for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))
            },
            "offices_held-TOTAL_FORMS": 0,
            "offices_held-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    actor.refresh_from_db()
    assert actor.name_in("sr-latn") == "Severna Makedonija"


# -- Preview in both scripts -----------------------------------------------------


@pytest.fixture
def serbian_draft():
    brief = factories.make_brief(
        status=Status.DRAFT,
        slug="nacrt",
        title="Безбедност на северу",
        summary="Кратак сажетак о северу.",
        body="## Увод\n\nСрбија и [НАТО](https://example.org/nato) о љубави.[^1]\n\n"
        "[^1]: Извор: https://example.org/izvor",
        language=Language.SERBIAN_CYRILLIC,
        recommendations=1,
    )
    brief.recommendations.update(title="Поступати брзо", body="Одмах делати.")
    return brief


def writes(context) -> list[str]:
    return [
        q["sql"]
        for q in context.captured_queries
        if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.I)
        and "django_session" not in q["sql"]
    ]


def test_a_serbian_brief_is_previewed_in_either_script_without_writing(
    client, serbian_draft
):
    client.force_login(factories.make_user(is_superuser=True))
    url = f"/admin/briefs/brief/{serbian_draft.pk}/preview/"
    client.get(url)  # the session and the like settle first
    with CaptureQueriesContext(connection) as context:
        cyrillic = client.get(url).content.decode()
        latin = client.get(f"{url}?script=Latn").content.decode()
    assert writes(context) == []

    assert "Безбедност на северу" in cyrillic
    assert "Bezbednost na severu" in latin and "Безбедност" not in latin
    assert "Srbija i" in latin and "o ljubavi" in latin
    assert "Postupati brzo" in latin and "Odmah delati." in latin
    assert 'lang="sr-Latn"' in latin
    assert "https://example.org/nato" in latin
    # The switch: the script shown is pressed, the other one offered.
    assert re.search(r'value="Latn"[^>]*aria-pressed="true"', latin)
    assert re.search(r'value="Cyrl"[^>]*aria-pressed="false"', latin)
    serbian_draft.refresh_from_db()
    assert serbian_draft.title == "Безбедност на северу"


def test_unsaved_text_is_previewed_as_typed_and_nothing_is_saved(client, serbian_draft):
    client.force_login(factories.make_user(is_superuser=True))
    url = f"/admin/briefs/brief/{serbian_draft.pk}/preview/"
    typed = {
        "title": "Nov naslov",
        "summary": "Novi sažetak.",
        "body": "## Glava\n\nTekst o Podžupanu i injekciji.",
        "script": "Cyrl",
    }
    with CaptureQueriesContext(connection) as context:
        response = client.post(url, typed)
    assert writes(context) == []
    html = response.content.decode()
    assert response.status_code == 200
    assert "Нов наслов" in html and "Unsaved text" in html
    assert "Подžупану" not in html and "инјекцији" in html
    # The switch posts the typed text again, in the other script.
    assert '<input type="hidden" name="body" value="## Glava' in html
    serbian_draft.refresh_from_db()
    assert serbian_draft.title == "Безбедност на северу"
    assert Brief.objects.count() == 1


def test_the_change_form_offers_a_preview_in_each_script(client, serbian_draft):
    client.force_login(factories.make_user(is_superuser=True))
    html = client.get(
        f"/admin/briefs/brief/{serbian_draft.pk}/change/"
    ).content.decode()
    preview = f"/admin/briefs/brief/{serbian_draft.pk}/preview/"
    assert re.search(rf'formaction="{preview}"[^>]*value="Cyrl"', html)
    assert re.search(rf'formaction="{preview}"[^>]*value="Latn"', html)


def test_an_english_brief_preview_has_no_script_switch(client, original):
    client.force_login(factories.make_user(is_superuser=True))
    html = client.get(
        f"/admin/briefs/brief/{original.pk}/preview/?script=Latn"
    ).content.decode()
    assert "preview-scripts" not in html
