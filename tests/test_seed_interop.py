"""Done when: a reference manager, a harvester and a reader with a printer each
get what they need from the seed brief, loaded exactly as `make run` loads it.

Expected values are read from the brief the demo loader imported (whose text
comes from ../shared/seeds/), never copied into the repository; the people
and the date are facts the seed states.
"""

import io
import json
import re

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from lxml import etree
from pypdf import PdfReader

from briefs.models import Brief, Licence
from demo.loader import load_demo
from tests.publishing.test_oai import NS, SCHEMA

SITE = "https://archive.example.org"
AUTHORS = ["Velebit, Vuk", "Cvejanov, Andrej"]
RESEARCHERS = ["Ivić, Petar", "Jovanović, Aleksa"]


@pytest.fixture
def seed_brief(db, seed_path, settings, tmp_path) -> Brief:
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path
    brief = load_demo(seed_path=seed_path).brief
    assert brief is not None and brief.is_public
    return brief


# citeproc-py 0.11 predates CSL 1.0.2's `license` variable and says so.
@pytest.mark.filterwarnings("ignore:The following arguments for Reference")
def test_a_reference_manager_gets_the_seed_brief(client, seed_brief):
    base = f"/briefs/{seed_brief.slug}"
    (ris,) = rispy.loads(client.get(f"{base}/cite.ris").content.decode())
    assert ris["type_of_reference"] == "RPRT"
    assert ris["authors"] == AUTHORS
    assert ris["title"] == seed_brief.title
    assert ris["date"] == "2025/05/21"
    assert ris["publisher"] == "Pupin Initiative (Пупин Иницијатива)"
    assert ris["notes"] == ["Research: Petar Ivić, Aleksa Jovanović"]
    assert ris["urls"] == [f"{SITE}/b/{seed_brief.pk}/"]

    library = bibtexparser.parse_string(
        client.get(f"{base}/cite.bib").content.decode(),
        append_middleware=[SeparateCoAuthors(), SplitNameParts()],
    )
    (entry,) = library.entries
    assert entry.entry_type == "techreport"
    assert [f"{n.last[0]}, {n.first[0]}" for n in entry["author"]] == AUTHORS
    assert entry["institution"] == "Pupin Initiative (Пупин Иницијатива)"

    data = json.loads(client.get(f"{base}/cite.json").content)
    assert [f"{a['family']}, {a['given']}" for a in data[0]["contributor"]] == (
        RESEARCHERS
    )
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(
        style, CiteProcJSON(data), formatter.plain
    )
    bibliography.register(Citation([CitationItem(data[0]["id"])]))
    (rendered,) = [str(item) for item in bibliography.bibliography()]
    assert rendered.startswith("Velebit, V. and Cvejanov, A. (2025)")

    page = client.get(f"{base}/").content.decode()
    assert "Cite this" in page
    assert "Velebit, V., &amp; Cvejanov, A. (2025)." in page
    assert "rft.au=Velebit%2C+Vuk" in page  # COinS, which Zotero reads


def test_a_harvester_gets_the_seed_brief(client, seed_brief):
    response = client.get(
        "/oai/",
        {
            "verb": "GetRecord",
            "identifier": f"oai:archive.example.org:briefs/{seed_brief.pk}",
            "metadataPrefix": "oai_dc",
        },
    )
    root = etree.fromstring(response.content)
    assert SCHEMA.validate(root), SCHEMA.error_log
    dc = root.find(".//oai_dc:dc", NS)

    def values(name: str) -> list[str]:
        return [e.text for e in dc.findall(f"dc:{name}", NS)]

    assert values("title") == [seed_brief.title]
    assert values("creator") == AUTHORS
    assert values("contributor") == RESEARCHERS
    assert values("date") == ["2025-05-21"]
    assert "Пупин Иницијатива" in values("publisher")
    assert f"{SITE}/b/{seed_brief.pk}/" in values("identifier")
    assert sorted(values("subject")) == sorted(t.name for t in seed_brief.topics.all())
    # The seed's footer reserves all rights: that, and no licence, is stated.
    assert values("rights") == ["All rights reserved"]


def test_the_seed_brief_reserves_all_rights_everywhere(client, seed_brief):
    assert seed_brief.licence == Licence.ALL_RIGHTS_RESERVED
    base = f"/briefs/{seed_brief.slug}"
    for url in (
        f"{base}/",
        f"{base}/cite.json",
        f"{base}/cite.ris",
        f"{base}/cite.bib",
        f"/api/v1/briefs/{seed_brief.slug}/",
        f"/api/v1/briefs/{seed_brief.slug}/citation/",
        "/feeds/briefs.atom",
    ):
        assert "creativecommons.org" not in client.get(url).content.decode(), url
    page = client.get(f"{base}/").content.decode()
    assert "Licence: All rights reserved" in page
    (item,) = json.loads(client.get(f"{base}/cite.json").content)
    assert item["license"] == "All rights reserved"


def test_a_reader_with_a_printer_gets_the_seed_brief(client, seed_brief):
    response = client.get(f"/briefs/{seed_brief.slug}.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    text = " ".join(pages)
    assert seed_brief.title in pages[0]
    assert "Vuk Velebit, Andrej Cvejanov" in pages[0]
    assert "Research: Petar Ivić, Aleksa Jovanović" in pages[0]
    assert "21 May 2025" in pages[0]
    assert f"{SITE}/b/{seed_brief.pk}/" in pages[0]
    for entry in seed_brief.toc:  # every section, with the page it starts on
        assert re.search(re.escape(entry["title"]) + r"\W*\d", pages[1])
    assert "14 JAS-39 Gripens" in text  # a cell of the comparison table
    for recommendation in seed_brief.recommendations.all():
        assert recommendation.title in text
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
