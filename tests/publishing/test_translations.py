"""Translations as readers and editors see them: links both ways, and staleness.

A translation is stale when its original's current public version is later
than the one it was made from (publishing/translations.py, `is_stale`). The
page says so per request; the dashboard lists it; the pre-publish check warns.
"""

import datetime
import re

import pytest
from django.utils import timezone

from briefs.models import Brief, Language, Status
from editorial.checks import run_checks
from editorial.workflow import transition_brief
from publishing.models import Edition
from publishing.translations import (
    LinkedEdition,
    brief_alternates,
    family_of,
    is_stale,
    stale_translations,
)
from tests import factories

pytestmark = pytest.mark.django_db

NOTICE = "This translation may be out of date."


@pytest.fixture
def staff():
    return {
        "editor": factories.make_user(role="Editor"),
        "reviewer": factories.make_user(role="Editor"),
        "publisher": factories.make_user(role="Publisher"),
    }


@pytest.fixture
def original():
    return factories.make_brief(
        slug="kfor-gap",
        title="Kosovo's Security Gap",
        body="## Gap\n\nFour EU member states do not recognize Kosovo.",
        authors=[factories.make_person(name="Ana Author")],
    )


def make_translation(original: Brief, **fields) -> Brief:
    values = {
        "slug": "bezbednosni-jaz",
        "title": "Безбедносни јаз",
        "body": "## Јаз\n\nЧетири државе чланице ЕУ не признају Косово.",
        "language": Language.SERBIAN_CYRILLIC,
        "translation_of": original,
        "translated_from_number": 1,
        "authors": [factories.make_person(name="Ana Author Too")],
        "translators": [factories.make_person(name="Mara Prevodilac")],
        **fields,
    }
    return factories.make_brief(**values)


def page(client, slug: str) -> str:
    response = client.get(f"/briefs/{slug}/")
    assert response.status_code == 200
    return response.content.decode()


def correct(brief: Brief, staff: dict, **changes) -> Brief:
    """A correction through the workflow: copy, edit, submit, approve, publish."""
    copy = transition_brief(
        brief, user=staff["editor"], action="start_correction"
    ).brief
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save()
    transition_brief(copy, user=staff["editor"], action="submit")
    transition_brief(copy, user=staff["reviewer"], action="approve")
    return transition_brief(copy, user=staff["publisher"], action="publish").brief


def test_staleness_from_a_correction_to_the_page_the_dashboard_and_the_check(
    client, original, staff
):
    translation = make_translation(original)
    assert NOTICE not in page(client, "bezbednosni-jaz")
    assert list(stale_translations()) == []

    # The original is corrected: version 2.
    correct(original, staff, body="## Gap\n\nFive EU member states do not.")
    today = timezone.localdate()

    # The translation's page, prepared at its own publication, now says so.
    html = page(client, "bezbednosni-jaz")
    assert NOTICE in html
    notice = re.search(r'<p class="translation-notice" role="note".*?</p>', html)
    assert notice is not None
    assert "made from version 1 of the original" in notice[0]
    assert "version 2" in notice[0]
    assert f'<time datetime="{today.isoformat()}">' in notice[0]
    assert '<a href="/briefs/kfor-gap/" hreflang="en">' in notice[0]
    assert "Read the corrected original (English)" in notice[0]
    # ... and the original's page does not (it is the corrected one).
    assert NOTICE not in page(client, "kfor-gap")

    # The editors' dashboard lists it, with both versions and the date.
    [stale] = stale_translations()
    assert (stale.brief_id, stale.translated_from_number) == (translation.pk, 1)
    assert (stale.original_number, stale.original_updated_on) == (2, today)
    admin = factories.make_user(is_superuser=True)
    client.force_login(admin)
    dashboard = client.get("/admin/").content.decode()
    section = dashboard[dashboard.index('id="stale-translations"') :]
    section = section[: section.index("</table>")]
    assert f"/admin/briefs/brief/{translation.pk}/change/" in section
    assert f"/admin/briefs/brief/{original.pk}/change/" in section
    assert "<td>v1</td>" in section and "<td>v2</td>" in section
    assert today.isoformat() in section

    # Correcting the translation without catching up warns before publishing.
    copy = transition_brief(
        translation, user=staff["editor"], action="start_correction"
    ).brief
    [warning] = [f for f in run_checks(copy) if f.check == "translation_up_to_date"]
    assert warning.level == "warning"
    assert "version 1" in warning.message and "version 2 now" in warning.message

    # Brought up to version 2, the translation is current again everywhere.
    copy.translated_from_number = 2
    copy.body = "## Јаз\n\nПет држава чланица ЕУ не признаје Косово."
    copy.save()
    assert not [f for f in run_checks(copy) if f.check == "translation_up_to_date"]
    transition_brief(copy, user=staff["editor"], action="submit")
    transition_brief(copy, user=staff["reviewer"], action="approve")
    transition_brief(copy, user=staff["publisher"], action="publish")
    client.logout()
    assert NOTICE not in page(client, "bezbednosni-jaz")
    assert list(stale_translations()) == []
    current = Edition.objects.public().get(brief=translation)
    assert current.content["translation_of"] == {
        "id": original.pk,
        "slug": "kfor-gap",
        "number": 2,
    }


def test_each_page_links_the_other_language_both_ways(client, original):
    make_translation(original)

    english = page(client, "kfor-gap")
    serbian = page(client, "bezbednosni-jaz")

    assert (
        # Read in its own language: under the Serbian interface.
        '<a href="/sr/briefs/bezbednosni-jaz/" hreflang="sr-Cyrl" lang="sr-Cyrl" '
        'title="Безбедносни јаз">Српски</a>' in english
    )
    assert "Also in:" in english and "Also in:" in serbian
    assert '<a href="/briefs/kfor-gap/" hreflang="en" lang="en"' in serbian
    assert ">English</a>" in serbian
    # hreflang alternates point Serbian readers to the translation.
    for html in (english, serbian):
        assert re.search(
            r'<link rel="alternate" hreflang="sr-Cyrl" href="[^"]*/briefs/'
            r'bezbednosni-jaz/">',
            html,
        )
        assert re.search(
            r'<link rel="alternate" hreflang="en" href="[^"]*/briefs/kfor-gap/">',
            html,
        )


def test_a_brief_without_translations_links_no_language(client, original):
    html = page(client, "kfor-gap")
    assert "Also in:" not in html
    # Its hreflang alternates are its own address in each interface language.
    assert re.search(
        r'<link rel="alternate" hreflang="sr-Cyrl" href="[^"]*/sr/briefs/kfor-gap/">',
        html,
    )


def test_an_unpublished_translation_is_not_linked_from_the_original(client, original):
    make_translation(original, status=Status.DRAFT)
    html = page(client, "kfor-gap")
    assert "bezbednosni-jaz" not in html and "Безбедносни" not in html


def test_a_translation_of_an_unpublished_original_does_not_name_it(client):
    hidden = factories.make_brief(
        slug="zqx-secret-original", title="Zqx secret title", status=Status.DRAFT
    )
    make_translation(hidden)
    html = page(client, "bezbednosni-jaz")
    assert "zqx" not in html.lower()
    assert NOTICE not in html and "Also in:" not in html


def test_a_withdrawn_original_leaves_the_translation_page_at_once(client, original):
    make_translation(original)
    assert "/briefs/kfor-gap/" in page(client, "bezbednosni-jaz")
    original.status, original.withdrawn_reason = Status.WITHDRAWN, "Wrong."
    original.withdrawn_at = timezone.now()
    original.save()
    from briefs.hooks import public_record

    with factories.commit():
        public_record().withdrawn(brief=original)
    assert "/briefs/kfor-gap/" not in page(client, "bezbednosni-jaz")


@pytest.mark.parametrize("translated", [False, True])
def test_the_brief_page_costs_the_same_queries_with_a_translation(
    client, django_assert_num_queries, translated
):
    # The page reads the edition, then the linked editions: related briefs
    # and the family in one query (no recommendations: no tracker query).
    original = factories.make_brief(slug="original", topics=[factories.make_topic()])
    factories.make_brief(topics=list(original.topics.all()))
    if translated:
        make_translation(original, slug="prevod")
    factories.publish(original)  # its related list made with the others there
    client.get("/briefs/original/")
    with django_assert_num_queries(2):
        client.get("/briefs/original/")
    if translated:
        with django_assert_num_queries(2):
            client.get("/briefs/prevod/")


def test_the_fact_and_the_family_are_plain_functions():
    assert is_stale(1, 2) and not is_stale(2, 2) and not is_stale(1, None)
    english = LinkedEdition(1, "gap", "Gap", "en", 2, datetime.date(2025, 6, 18), None)
    serbian = LinkedEdition(2, "jaz", "Јаз", "sr-Cyrl", 1, None, 1)
    family = family_of(
        [english, serbian], brief_id=2, translation_of_id=1, translated_from_number=1
    )
    assert family.original == english and family.translations == []
    assert family.is_stale
    alternates = dict(brief_alternates(own=serbian, family=family))
    assert alternates["en"].endswith("/briefs/gap/")
    assert alternates["sr-Cyrl"].endswith("/briefs/jaz/")
    assert alternates["sr-Latn"].endswith("/briefs/jaz/")
    assert alternates["x-default"].endswith("/briefs/gap/")
