"""A translation links its original: another language, one level deep, a version."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from briefs.models import Brief, Language, Status
from tests import factories

pytestmark = pytest.mark.django_db


def draft(**fields) -> Brief:
    return factories.make_brief(status=Status.DRAFT, **fields)


def errors_of(brief: Brief) -> dict:
    with pytest.raises(ValidationError) as raised:
        brief.full_clean()
    return raised.value.message_dict


def test_a_translation_defaults_to_the_original_current_public_version():
    original = factories.make_brief()
    factories.publish(original)  # version 2
    translation = draft(
        language=Language.SERBIAN_CYRILLIC,
        translation_of=original,
        translated_from_number=1,
    )
    translation.translated_from_number = None

    translation.full_clean()

    assert translation.translated_from_number == 2


def test_an_unpublished_original_is_translated_from_its_first_version():
    original = draft()
    translation = Brief(
        title="Превод",
        slug="prevod",
        body="Текст.",
        language=Language.SERBIAN_LATIN,
        translation_of=original,
    )
    translation.full_clean()
    assert translation.translated_from_number == 1


def test_a_translation_is_in_another_language_than_its_original():
    original = factories.make_brief(language=Language.SERBIAN_CYRILLIC)
    # Latin and Cyrillic Serbian are one text in two scripts, not a translation.
    translation = draft(language=Language.SERBIAN_LATIN)
    translation.translation_of = original
    assert "another language" in errors_of(translation)["translation_of"][0]


def test_no_chains_a_translation_original_is_not_itself_a_translation():
    original = factories.make_brief()
    serbian = draft(
        language=Language.SERBIAN_CYRILLIC,
        translation_of=original,
        translated_from_number=1,
    )
    english_again = draft()
    english_again.translation_of = serbian
    english_again.language = Language.ENGLISH
    assert "itself a translation" in errors_of(english_again)["translation_of"][0]


def test_no_chains_a_brief_with_translations_cannot_become_one():
    original = factories.make_brief()
    draft(
        language=Language.SERBIAN_CYRILLIC,
        translation_of=original,
        translated_from_number=1,
    )
    other = factories.make_brief(language=Language.SERBIAN_LATIN)
    original.translation_of = other
    assert "translations of its own" in errors_of(original)["translation_of"][0]


def test_a_brief_is_no_translation_of_itself_nor_of_a_correction_draft():
    brief = draft()
    brief.translation_of = brief
    assert "itself" in errors_of(brief)["translation_of"][0]
    live = factories.make_brief()
    copy = draft(draft_of=live, slug="live--draft-1")
    serbian = draft(language=Language.SERBIAN_CYRILLIC)
    serbian.translation_of = copy
    assert "correction draft" in errors_of(serbian)["translation_of"][0]


def test_only_a_translation_has_a_made_from_version():
    brief = draft(translated_from_number=None)
    brief.translated_from_number = 2
    assert "translated_from_number" in errors_of(brief)


def test_the_database_refuses_a_translation_without_its_version_or_of_itself():
    original = factories.make_brief()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Brief.objects.create(
            title="x",
            slug="x",
            body="x",
            translation_of=original,
            language=Language.SERBIAN_CYRILLIC,
        )
    brief = draft()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Brief.objects.filter(pk=brief.pk).update(
            translation_of=brief, translated_from_number=1
        )


def test_an_original_cannot_be_deleted_from_under_its_translations():
    original = factories.make_brief()
    draft(
        language=Language.SERBIAN_CYRILLIC,
        translation_of=original,
        translated_from_number=1,
    )
    from django.db.models import ProtectedError

    with transaction.atomic(), pytest.raises(ProtectedError):
        original.delete()


def test_one_translation_per_language():
    original = factories.make_brief()
    draft(
        title="Први превод",
        language=Language.SERBIAN_CYRILLIC,
        translation_of=original,
        translated_from_number=1,
    )
    second = draft(language=Language.SERBIAN_LATIN)
    second.translation_of = original
    assert "Први превод" in errors_of(second)["translation_of"][0]
