"""Serbian in both scripts: the transliteration rules (languages/transliteration.py)."""

import pytest

from languages.names import name_in
from languages.transliteration import fold, to_cyrillic, to_latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Александар Вучић", "Aleksandar Vučić"),
        ("Приштина", "Priština"),
        ("Љубљана и Његош", "Ljubljana i Njegoš"),
        ("ЊЕГОШ", "NJEGOŠ"),
        ("Џ", "Dž"),
        ("џамија", "džamija"),
        ("Ђукановић", "Đukanović"),
        ("NATO и ЕУ, 2025.", "NATO i EU, 2025."),
    ],
)
def test_cyrillic_to_latin_is_exact(cyrillic, latin):
    assert to_latin(cyrillic) == latin


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Aleksandar Vučić", "Александар Вучић"),
        ("Ljubljana, Njegoš, džamija", "Љубљана, Његош, џамија"),
        ("LJUBAV", "ЉУБАВ"),
        # The digraphs that are two letters.
        ("nadživeti", "надживети"),
        ("podžupan", "поджупан"),
        ("injekcija", "инјекција"),
        ("konjunkcija", "конјункција"),
        # Letters Serbian has not: a foreign word, kept.
        ("Washington", "Washington"),
    ],
)
def test_latin_to_cyrillic_by_the_rules(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic


def test_the_exception_list_decides_foreign_names_and_acronyms():
    exceptions = {"microsoft": "Microsoft", "nato": "НАТО"}
    assert to_cyrillic("NATO i Microsoft", exceptions) == "НАТО и Microsoft"


def test_search_folds_both_scripts_and_diacritics_alike():
    assert fold("Вучић") == fold("Vučić") == fold("Vucic") == "vucic"
    assert fold("Ђукановић") == fold("Djukanovic") == "djukanovic"


def test_a_name_in_each_public_language():
    assert name_in("en", "Serbia", "Srbija") == "Serbia"
    assert name_in("sr", "Serbia", "Srbija") == "Србија"
    assert name_in("sr-latn", "Serbia", "Србија") == "Srbija"
    assert name_in("sr", "Washington", "", "Вашингтон") == "Вашингтон"
    assert name_in("sr-latn", "Washington", "", "Вашингтон") == "Washington"
