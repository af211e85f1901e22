"""The house exception list: built in, extended by editors in the admin,
read once per content generation (languages.models.ScriptException,
languages.transliteration.house_exceptions)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from kernel.pagecache import current_generation
from languages.codes import CYRILLIC
from languages.models import ScriptException
from languages.transliteration import (
    DEFAULT_EXCEPTIONS,
    house_exceptions,
    markdown_to_script,
    to_cyrillic,
)
from tests.factories import commit, make_user


def add_exception(**fields):
    with commit():
        exception = ScriptException(**fields)
        exception.full_clean()
        exception.save()
    return exception


def test_the_built_in_list_is_small_and_says_what_the_rules_would_not():
    assert DEFAULT_EXCEPTIONS == {
        "NATO": "НАТО",
        "EU": "ЕУ",
        "KFOR": "КФОР",
        "EULEX": "ЕУЛЕКС",
        "Frontex": "Фронтекс",
    }
    # Without the list, the letters Serbian has not keep EULEX in Latin.
    assert to_cyrillic("EULEX i Frontex") == "EULEX и Frontex"


@pytest.mark.django_db
def test_the_house_list_is_the_built_in_one_plus_the_editors():
    add_exception(latin="Microsoft", cyrillic="Microsoft", note="A brand.")
    add_exception(latin="UNMIK", cyrillic="УНМИК")
    exceptions = house_exceptions()
    assert exceptions["eulex"] == "ЕУЛЕКС"
    assert exceptions["microsoft"] == "Microsoft"
    # The house's spelling wins over the case it was typed in.
    assert to_cyrillic("Microsoft, EULEX i Unmik", exceptions) == (
        "Microsoft, ЕУЛЕКС и УНМИК"
    )


@pytest.mark.django_db
def test_an_editors_entry_overrides_the_built_in_one():
    add_exception(latin="kfor", cyrillic="KFOR", note="Kept in Latin here.")
    assert to_cyrillic("KFOR", house_exceptions()) == "KFOR"


@pytest.mark.django_db
def test_markdown_to_cyrillic_uses_the_house_list_by_default():
    add_exception(latin="Jugoimport", cyrillic="Jugoimport")
    assert markdown_to_script("**Jugoimport** i EULEX", CYRILLIC) == (
        "**Jugoimport** и ЕУЛЕКС"
    )


@pytest.mark.django_db
def test_the_list_is_read_once_per_content_generation(django_assert_num_queries):
    house_exceptions()
    with django_assert_num_queries(0):
        assert house_exceptions()["nato"] == "НАТО"


@pytest.mark.django_db
def test_saving_an_exception_retires_cached_pages_and_the_list():
    house_exceptions()
    before = current_generation()
    exception = add_exception(latin="Gazprom", cyrillic="Гаспром")
    assert current_generation() != before
    assert house_exceptions()["gazprom"] == "Гаспром"
    with commit():
        exception.cyrillic = "Газпром"
        exception.save()
    assert house_exceptions()["gazprom"] == "Газпром"
    with commit():
        exception.delete()
    assert "gazprom" not in house_exceptions()


@pytest.mark.django_db
def test_one_entry_per_word_whatever_its_case():
    add_exception(latin="EULEX", cyrillic="ЕУЛЕКС")
    with pytest.raises(ValidationError, match="already has an exception"):
        ScriptException(latin="Eulex", cyrillic="Еулекс").full_clean()
    with pytest.raises(IntegrityError):
        ScriptException.objects.create(latin="eulex", cyrillic="еулекс")


@pytest.mark.parametrize(
    ("latin", "cyrillic", "field"),
    [
        ("New York", "Њујорк", "latin"),  # one word only
        ("G20", "Г20", "latin"),
        ("НАТО", "НАТО", "latin"),  # the Latin form is Latin
        ("Frontex", "Frontexx", "cyrillic"),  # Latin, but not the same word
        ("Frontex", "Фронтекс!", "cyrillic"),
        ("Frontex", "Фронтеkс", "cyrillic"),  # mixed scripts
    ],
)
def test_an_exception_is_one_word_in_each_script(latin, cyrillic, field):
    with pytest.raises(ValidationError) as error:
        ScriptException(latin=latin, cyrillic=cyrillic).clean()
    assert field in error.value.message_dict


def test_a_cyrillic_form_equal_to_the_latin_one_means_kept_in_latin():
    ScriptException(latin="Microsoft", cyrillic="MICROSOFT").clean()
    assert to_cyrillic("Microsoft", {"microsoft": "Microsoft"}) == "Microsoft"


@pytest.mark.django_db
def test_editors_add_and_change_exceptions_in_the_admin(client):
    editor = make_user(role="Editor")
    client.force_login(editor)
    response = client.post(
        "/admin/languages/scriptexception/add/",
        {"latin": "Huawei", "cyrillic": "Хуавеј", "note": "As the press writes it."},
    )
    assert response.status_code == 302, response.content
    exception = ScriptException.objects.get(latin="Huawei")
    listing = client.get("/admin/languages/scriptexception/")
    assert listing.status_code == 200
    assert "Хуавеј" in listing.content.decode()
    assert "EULEX → ЕУЛЕКС" in listing.content.decode()
    assert (
        client.get(
            f"/admin/languages/scriptexception/{exception.pk}/change/"
        ).status_code
        == 200
    )
    # Taking a word off the list is for superusers.
    assert editor.has_perm("languages.change_scriptexception")
    assert not editor.has_perm("languages.delete_scriptexception")


@pytest.mark.django_db
def test_contributors_may_read_the_list_only():
    contributor = make_user(role="Contributor")
    assert contributor.has_perm("languages.view_scriptexception")
    assert not contributor.has_perm("languages.add_scriptexception")
