"""Addresses reversed once per process and language (languages/addresses.py)."""

from django.utils import translation

from languages.addresses import view_address


def test_an_address_is_the_active_languages_whichever_was_asked_first():
    with translation.override("sr"):
        assert view_address("briefs:actor-detail", "nato") == "/sr/actors/nato/"
    with translation.override("en"):
        assert view_address("briefs:actor-detail", "nato") == "/actors/nato/"
        assert view_address("briefs:actor-detail", "serbia") == "/actors/serbia/"
    with translation.override("sr-latn"):
        assert view_address("actors:compare") == "/sr-latn/compare/"
