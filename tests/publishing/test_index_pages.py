"""The site's index and about pages: experts, topics, about, accessibility."""

import pytest
from django.test import override_settings

from briefs.models import Status
from tests import factories

pytestmark = pytest.mark.django_db


def _people_world():
    security = factories.make_topic(
        name="Security", slug="security", name_sr="Безбедност"
    )
    energy = factories.make_topic(name="Energy", slug="energy")
    institute = factories.make_institution(name="Belgrade Institute", slug="bi")
    ana = factories.make_person(
        name="Ana Anić", slug="ana", name_sr="Ана Анић", affiliation=institute
    )
    bora = factories.make_person(name="Bora Borić", slug="bora")
    factories.make_brief(authors=[ana], researchers=[bora], topics=[security])
    factories.make_brief(authors=[ana], topics=[energy])
    return ana, bora, security, energy


def test_people_lists_the_credited_experts_with_affiliation_roles_and_areas(client):
    _people_world()
    page = client.get("/people/").content.decode()
    ana = page[page.index("Ana Anić") : page.index("Bora Borić")]
    assert 'href="/people/ana/"' in page
    assert "Belgrade Institute" in ana
    assert "Author" in ana
    assert 'href="/topics/energy/">Energy' in ana
    assert 'href="/topics/security/">Security' in ana
    bora = page[page.index("Bora Borić") :]
    assert "Researcher" in bora
    assert "Energy" not in bora.split("</li>")[0]


def test_people_and_topics_are_named_in_the_page_script(client):
    _people_world()
    cyrillic = client.get("/sr/people/").content.decode()
    assert "Ана Анић" in cyrillic
    assert "Безбедност" in cyrillic
    latin = client.get("/sr-latn/people/").content.decode()
    assert "Ana Anić" in latin
    assert "Bezbednost" in latin
    assert "Bezbednost" in client.get("/sr-latn/topics/").content.decode()


def test_people_page_costs_constant_queries(client, django_assert_num_queries):
    _people_world()
    client.get("/people/")
    with django_assert_num_queries(3):
        client.get("/people/")
    for n in range(5):
        person = factories.make_person(name=f"Extra {n}", slug=f"extra-{n}")
        factories.make_brief(authors=[person], topics=[factories.make_topic()])
    with django_assert_num_queries(3):
        page = client.get("/people/").content.decode()
    assert "Extra 4" in page


def test_topics_lists_public_counts_and_descriptions(client, django_assert_num_queries):
    _, _, security, _ = _people_world()
    security.description = "Defence and alliances."
    security.save()
    factories.make_brief(topics=[security], status=Status.DRAFT)
    client.get("/topics/")
    with django_assert_num_queries(1):
        page = client.get("/topics/").content.decode()
    item = page[page.index('href="/topics/security/"') :].split("</li>")[0]
    assert "1 brief" in item
    assert "Defence and alliances." in item
    for _ in range(3):
        factories.make_brief(topics=[factories.make_topic()])
    with django_assert_num_queries(1):
        client.get("/topics/")


@override_settings(
    CONTACT_EMAIL="office@example.org",
    CONTACT_OFFICES=[
        {"city": "Belgrade", "address": "Palmotićeva 16", "phone": "+381 11 123 4567"},
        {"city": "Washington", "address": "1717 N St NW", "phone": ""},
    ],
)
@pytest.mark.parametrize("prefix", ["", "/sr", "/sr-latn"])
def test_about_and_accessibility_pages_give_the_contact_details(
    client, prefix, django_assert_num_queries
):
    for path in ("/about/", "/accessibility/"):
        with django_assert_num_queries(0):
            response = client.get(f"{prefix}{path}")
        page = response.content.decode()
        assert response.status_code == 200
        assert 'href="mailto:office@example.org"' in page
        assert "Palmotićeva 16" in page
        assert 'href="tel:+381111234567"' in page
        assert "1717 N St NW" in page
    assert "WCAG" in client.get(f"{prefix}/accessibility/").content.decode()


def test_index_pages_are_linked_from_every_page_and_in_the_sitemap(client):
    factories.make_brief()
    home = client.get("/sr/").content.decode()
    for path in ("/sr/people/", "/sr/topics/", "/sr/about/", "/sr/accessibility/"):
        assert f'href="{path}"' in home
    sitemap = client.get("/sitemap.xml").content.decode()
    for path in ("/people/", "/topics/", "/about/", "/accessibility/"):
        assert f"<loc>http://testserver{path}</loc>" in sitemap or (
            f"{path}</loc>" in sitemap
        )
        assert f"/sr-latn{path}</loc>" in sitemap
