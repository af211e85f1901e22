"""A brief's rights are what its source says, on every surface that names them."""

import json
import re

import pytest

from briefs.models import Brief, Licence
from editorial.workflow import transition_brief
from tests import factories

CC = "creativecommons.org"


def surfaces(client, brief: Brief) -> dict[str, str]:
    """Every public answer that states a brief's rights, by address."""
    slug = brief.slug
    urls = [
        f"/briefs/{slug}/",  # the page, with its JSON-LD
        f"/api/v1/briefs/{slug}/",
        f"/api/v1/briefs/{slug}/citation/",
        f"/briefs/{slug}/cite.json",
        f"/briefs/{slug}/cite.ris",
        f"/briefs/{slug}/cite.bib",
        f"/oai/?verb=GetRecord&metadataPrefix=oai_dc&identifier="
        f"oai:archive.example.org:briefs/{brief.pk}",
        "/feeds/briefs.atom",
        "/feeds/briefs.rss",
    ]
    answers = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        answers[url] = response.content.decode()
    return answers


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "https://archive.example.org"


@pytest.mark.django_db
def test_a_new_brief_reserves_all_rights_until_a_licence_is_chosen():
    assert Brief().licence == Licence.ALL_RIGHTS_RESERVED


@pytest.mark.django_db
def test_an_all_rights_reserved_brief_claims_no_licence_anywhere(client):
    brief = factories.make_brief(authors=[factories.make_person()])
    assert brief.licence == Licence.ALL_RIGHTS_RESERVED
    for url, text in surfaces(client, brief).items():
        assert CC not in text, url
    page = client.get(brief.get_absolute_url()).content.decode()
    assert "Licence: All rights reserved" in page
    ld = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )
    assert "license" not in ld
    detail = client.get(f"/api/v1/briefs/{brief.slug}/").json()
    assert detail["licence"] == "all-rights-reserved"
    assert detail["licence_url"] == ""


@pytest.mark.django_db
def test_a_chosen_licence_is_linked_everywhere_it_is_named(client):
    brief = factories.make_brief(
        authors=[factories.make_person()], licence=Licence.CC_BY_NC
    )
    url = "https://creativecommons.org/licenses/by-nc/4.0/"
    answers = surfaces(client, brief)
    for address in (
        f"/briefs/{brief.slug}/",
        f"/api/v1/briefs/{brief.slug}/",
        f"/briefs/{brief.slug}/cite.json",
    ):
        assert url in answers[address], address
    oai = next(text for address, text in answers.items() if "/oai/" in address)
    assert f"<dc:rights>{url}</dc:rights>" in oai


@pytest.mark.django_db
def test_a_wrong_licence_is_put_right_with_a_correction(client):
    editor = factories.make_user(role="Editor")
    publisher = factories.make_user(role="Publisher")
    live = factories.make_brief(
        authors=[factories.make_person()], licence=Licence.CC_BY, recommendations=1
    )
    copy = transition_brief(live, user=editor, action="start_correction").brief
    Brief.objects.filter(pk=copy.pk).update(licence=Licence.ALL_RIGHTS_RESERVED)
    copy.refresh_from_db()
    transition_brief(copy, user=publisher, action="submit")
    transition_brief(copy, user=editor, action="approve")
    transition_brief(copy, user=publisher, action="publish")
    live.refresh_from_db()
    assert live.licence == Licence.ALL_RIGHTS_RESERVED
    for url, text in surfaces(client, live).items():
        assert CC not in text, url
