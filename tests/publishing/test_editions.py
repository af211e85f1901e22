"""Editions: what a reader sees is the edition, frozen until the next publication."""

import datetime
import re

import pytest
from django.utils import timezone

from briefs.hooks import public_record
from briefs.models import Status
from briefs.services import change_brief_slug
from publishing.models import Edition
from tests import factories

pytestmark = pytest.mark.django_db

MAY_28 = datetime.datetime(2025, 5, 28, 12, tzinfo=datetime.UTC)


def _corrected():
    brief = factories.make_brief(
        title="Rival Pacts",
        slug="rival-pacts",
        body="## Findings\n\nThe first text says seventy joint activities.",
        authors=[factories.make_person(name="Vuk Velebit")],
    )
    brief.body = "## Findings\n\nThe corrected text says seventy-nine activities."
    brief.save()
    factories.publish(brief, at=MAY_28, note="The number of activities is fixed.")
    return brief


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_correction_keeps_the_earlier_version_readable_and_marked(client):
    _corrected()
    current = _text(client.get("/briefs/rival-pacts/"))
    assert "seventy-nine activities" in current
    assert "Version 2" in current
    assert "The number of activities is fixed." in current

    earlier = _text(client.get("/briefs/rival-pacts/v1/"))
    assert "seventy joint activities" in earlier
    assert "seventy-nine" not in earlier
    assert "An earlier version." in earlier
    assert '/briefs/rival-pacts/">Read the current version</a>' in earlier
    # Cited as that version, at its own address.
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', earlier)
    assert canonical and canonical.group(1).endswith("/briefs/rival-pacts/v1/")


def test_the_current_number_redirects_and_unknown_versions_are_404(client):
    _corrected()
    response = client.get("/briefs/rival-pacts/v2/")
    assert response.status_code == 302
    assert response["Location"] == "/briefs/rival-pacts/"
    assert client.get("/briefs/rival-pacts/v3/").status_code == 404
    assert client.get("/briefs/rival-pacts/v0/").status_code == 404


def test_earlier_versions_have_their_own_citation_files(client):
    _corrected()
    ris = _text(client.get("/briefs/rival-pacts/v1/cite.ris"))
    assert "/briefs/rival-pacts/v1/" in ris
    current = _text(client.get("/briefs/rival-pacts/cite.ris"))
    assert "version 2, updated 2025-05-28" in current.lower()
    assert "version 2" not in ris.lower()


@pytest.mark.parametrize("state", ["withdrawn", "trashed"])
def test_earlier_versions_of_a_brief_no_longer_public_are_404(client, state):
    brief = _corrected()
    if state == "withdrawn":
        brief.status = Status.WITHDRAWN
        brief.withdrawn_reason = "Wrong figures."
        brief.withdrawn_at = timezone.now()
        brief.save()
        public_record().withdrawn(brief=brief)
    else:
        brief.deleted_at = timezone.now()
        brief.save()
        public_record().trashed(brief=brief, trashed=True)
    for url in ("/briefs/rival-pacts/v1/", "/briefs/rival-pacts/v1/cite.bib"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "seventy" not in response.content.decode()


def test_editing_the_working_brief_changes_no_public_byte_until_it_is_published(
    client,
):
    brief = factories.make_brief(
        title="Stable Title", slug="stable", body="## One\n\nPublished words."
    )
    urls = [
        "/briefs/stable/",
        "/briefs/stable/cite.bib",
        "/api/v1/briefs/stable/",
        "/feeds/briefs.atom",
        "/briefs/",
    ]
    before = {url: _text(client.get(url)) for url in urls}
    brief.title = "Unpublished Title"
    brief.summary = "An unpublished summary."
    brief.body = "## One\n\nUnpublished words."
    brief.save()
    for url in urls:
        assert _text(client.get(url)) == before[url], url
    factories.publish(brief, at=timezone.now(), note="Retitled.")
    assert "Unpublished Title" in _text(client.get("/briefs/stable/"))
    assert "Unpublished Title" in _text(client.get("/api/v1/briefs/stable/"))


def test_a_rename_moves_every_edition_and_the_old_address_redirects(client):
    brief = _corrected()
    change_brief_slug(brief=brief, new_slug="rival-alliances")
    assert set(Edition.objects.filter(brief=brief).values_list("slug", flat=True)) == {
        "rival-alliances"
    }
    assert client.get("/briefs/rival-pacts/").status_code == 301
    earlier = _text(client.get("/briefs/rival-alliances/v1/"))
    assert "/briefs/rival-alliances/v1/" in earlier
    assert "/briefs/rival-pacts/" not in earlier


def test_a_captioned_table_is_published_in_the_readers_script(client):
    brief = factories.make_brief(
        language="sr",
        body=(
            "## Snage\n\nTabela: Tenkovi u regionu\n\n| Država | Tenkovi |\n"
            "|---|--:|\n| Srbija | 262 |\n\nIzvor: Ministarstvo odbrane.\n"
        ),
    )
    cyrillic = _text(client.get(f"/sr/briefs/{brief.slug}/"))
    latin = _text(client.get(f"/sr-latn/briefs/{brief.slug}/"))
    assert '<caption id="tbl-1-caption">Тенкови у региону</caption>' in cyrillic
    assert '<p class="table-source">Извор: Министарство одбране.</p>' in cyrillic
    assert '<caption id="tbl-1-caption">Tenkovi u regionu</caption>' in latin
    assert 'aria-labelledby="tbl-1-caption"' in latin


def test_an_empty_table_cell_is_published_as_an_explicit_no_data_mark(client):
    brief = factories.make_brief(
        body="## Forces\n\n| Country | Troops |\n|---|--:|\n| Serbia |  |\n"
    )
    for prefix in ("", "/sr", "/sr-latn"):
        page = _text(client.get(f"{prefix}/briefs/{brief.slug}/"))
        cell = page[page.index('<td class="no-data"') :]
        cell = cell[: cell.index("</td>")]
        # Seen as a dash, heard as "no data" (in the page's language once
        # translated); the alignment the editor chose is kept.
        assert 'align="right"' in cell
        assert '<span aria-hidden="true">\u2014</span>' in cell
        assert '<span class="visually-hidden">' in cell
        assert "<td></td>" not in page
    english = _text(client.get(f"/briefs/{brief.slug}/"))
    assert '<span class="visually-hidden">no data</span>' in english
