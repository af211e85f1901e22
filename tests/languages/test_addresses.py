"""Addresses reversed once per process and language (languages/addresses.py)."""

from django.utils import translation

from languages.addresses import view_address
from tests import factories


def test_an_address_is_the_active_languages_whichever_was_asked_first():
    with translation.override("sr"):
        assert view_address("briefs:actor-detail", "nato") == "/sr/actors/nato/"
    with translation.override("en"):
        assert view_address("briefs:actor-detail", "nato") == "/actors/nato/"
        assert view_address("briefs:actor-detail", "serbia") == "/actors/serbia/"
    with translation.override("sr-latn"):
        assert view_address("actors:compare") == "/sr-latn/compare/"


def test_a_long_address_gets_its_language_links_without_being_kept(client, db):
    from languages import alternates

    brief = factories.make_brief()
    alternates._default_page_links.cache_clear()  # room for one more
    kept = alternates._default_page_links.cache_info().currsize
    long_query = "utm=" + "x" * 400
    response = client.get(f"{brief.get_absolute_url()}?{long_query}")
    assert response.status_code == 200
    # The switcher still keeps the query (url-encoded in its links).
    assert "utm%3D" + "x" * 400 in response.content.decode()
    assert alternates._default_page_links.cache_info().currsize == kept
    client.get(f"{brief.get_absolute_url()}?utm=short")
    assert alternates._default_page_links.cache_info().currsize == kept + 1
