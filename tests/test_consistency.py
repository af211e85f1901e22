"""One fact, one home: every public surface gives the same answer.

Each derived fact is defined once (the public date in
`publishing.editions.public_date`, the version as the edition's number, "is
public" as `Edition.objects.public()`) and stored on the edition; these tests
ask every surface that shows the fact and compare: the brief page, the API
list and detail (field names from docs/api.md), RSS and Atom, OAI-PMH, the
BibTeX/RIS/CSL files, the PDF's HTML, the export and the sitemap.
"""

import datetime
import json
import re
from pathlib import Path

import feedparser
import pytest
import rispy
from django.core.management import call_command
from django.utils import timezone
from lxml import etree

from briefs.models import Brief, Status
from publishing.models import Edition
from publishing.pdfs import edition_pdf_html
from tests import factories
from tests.publishing.test_oai import NS, SCHEMA

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# 23:30 in Belgrade on New Year's Eve: still 2025 there, 22:30 in UTC.
RELEASED = datetime.datetime(2025, 12, 31, 22, 30, tzinfo=UTC)
DAY = "2025-12-31"


@pytest.fixture(autouse=True)
def surfaces_settings(settings, tmp_path):
    settings.SITE_URL = "https://archive.example.org"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def midnight_brief() -> Brief:
    """Published at 23:30 Belgrade time on 31 December, with no printed date."""
    brief = factories.make_brief(
        edition=False,
        title="New Year's Eve Brief",
        slug="new-years-eve",
        publication_date=None,
        published_at=RELEASED,
        authors=[factories.make_person(name="Vuk Velebit")],
        topics=[factories.make_topic(slug="security")],
    )
    factories.publish(brief)
    return brief


# How each surface answers ------------------------------------------------------


def page_facts(client, slug: str) -> tuple[str, int]:
    """The date and version the brief page shows."""
    response = client.get(f"/briefs/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    (day,) = re.findall(r'<p class="meta"><time datetime="([\d-]+)">', html)
    version = re.search(r'<span class="version">Version (\d+)</span>', html)
    meta = re.search(r'name="citation_publication_date" content="([\d/]+)"', html)
    assert meta[1].replace("/", "-") == day
    return day, int(version[1]) if version else 1


def api_dates(client, slug: str) -> list[str]:
    """publication_date in the API list and detail (docs/api.md)."""
    listing = client.get("/api/v1/briefs/", {"page_size": 100}).json()
    (item,) = [b for b in listing["results"] if b["slug"] == slug]
    detail = client.get(f"/api/v1/briefs/{slug}/").json()
    return [item["publication_date"], detail["publication_date"]]


def api_version(client, slug: str) -> int:
    return client.get(f"/api/v1/briefs/{slug}/citation/").json()["version"]


def feed_entries(client, slug: str) -> list[feedparser.FeedParserDict]:
    entries = []
    for url in ("/feeds/briefs.rss", "/feeds/briefs.atom"):
        feed = feedparser.parse(client.get(url).content)
        entries += [e for e in feed.entries if e.link.endswith(f"/briefs/{slug}/")]
    return entries


def oai_record(client, brief: Brief) -> etree._Element:
    response = client.get(
        "/oai/",
        {
            "verb": "GetRecord",
            "identifier": f"oai:archive.example.org:briefs/{brief.pk}",
            "metadataPrefix": "oai_dc",
        },
    )
    root = etree.fromstring(response.content)
    assert SCHEMA.validate(root), SCHEMA.error_log
    return root


def cite_files(client, slug: str) -> dict[str, str]:
    files = {}
    for ext in ("bib", "ris", "json"):
        response = client.get(f"/briefs/{slug}/cite.{ext}")
        assert response.status_code == 200
        files[ext] = response.content.decode()
    return files


def exported(tmp_path: Path) -> list[dict]:
    out = tmp_path / "export"
    call_command("export_archive", str(out), "--no-pdf")
    lines = (out / "briefs.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def current_edition(brief: Brief) -> Edition:
    return Edition.objects.get(brief=brief, is_current=True)


# The public date -----------------------------------------------------------------


def test_the_public_date_is_the_same_on_every_surface(client, midnight_brief, tmp_path):
    slug = midnight_brief.slug
    assert current_edition(midnight_brief).public_date == datetime.date(2025, 12, 31)
    dates: dict[str, list[str]] = {}

    dates["page"] = [page_facts(client, slug)[0]]
    dates["api"] = api_dates(client, slug)
    entries = feed_entries(client, slug)
    assert len(entries) == 2
    dates["feeds"] = [
        "{:04d}-{:02d}-{:02d}".format(*e.published_parsed[:3]) for e in entries
    ]
    dates["oai"] = [
        e.text for e in oai_record(client, midnight_brief).iterfind(".//dc:date", NS)
    ]
    files = cite_files(client, slug)
    dates["bibtex"] = re.findall(r"^  date = \{([\d-]+)\},$", files["bib"], re.M)
    (ris,) = rispy.loads(files["ris"])
    dates["ris"] = [ris["date"].replace("/", "-")]
    (csl,) = json.loads(files["json"])
    dates["csl"] = ["{:04d}-{:02d}-{:02d}".format(*csl["issued"]["date-parts"][0])]
    pdf = edition_pdf_html(current_edition(midnight_brief))
    dates["pdf"] = re.findall(r'name="dcterms.created" content="([\d-]+)"', pdf)
    assert "<dt>Published</dt><dd>31 December 2025</dd>" in pdf
    (row,) = exported(tmp_path)
    dates["export"] = [row["publication_date"]]

    assert dates == {surface: [DAY] * len(dates[surface]) for surface in dates}
    assert all(dates.values())


# The version ---------------------------------------------------------------------


def test_the_version_is_the_same_on_every_surface(client, midnight_brief, tmp_path):
    """After two corrections the brief is version 3 wherever a version is given."""
    for day, note in ((5, "A figure fixed."), (10, "A name spelled right.")):
        at = datetime.datetime(2026, 1, day, 9, tzinfo=UTC)
        factories.publish(midnight_brief, at=at, note=note)
    slug = midnight_brief.slug
    label = "version 3, updated 2026-01-10"
    versions: dict[str, int] = {}

    day, versions["page"] = page_facts(client, slug)
    assert day == DAY  # a correction does not move the brief's date
    versions["api"] = api_version(client, slug)
    descriptions = [
        e.text
        for e in oai_record(client, midnight_brief).iterfind(".//dc:description", NS)
    ]
    assert f"V{label[1:]}." in descriptions
    versions["oai"] = 3
    files = cite_files(client, slug)
    versions["bibtex"] = int(
        re.search(r"^  version = \{(\d+)\},$", files["bib"], re.M)[1]
    )
    (ris,) = rispy.loads(files["ris"])
    assert ris["edition"] == label
    versions["ris"] = int(ris["edition"].split()[1].rstrip(","))
    (csl,) = json.loads(files["json"])
    versions["csl"] = int(csl["version"])
    pdf = edition_pdf_html(current_edition(midnight_brief))
    assert f"<dt>Version</dt><dd>V{label[1:]}</dd>" in pdf
    versions["pdf"] = 3
    (row,) = exported(tmp_path)
    versions["export"] = row["version"]
    assert row["csl"]["version"] == "3"
    assert [c["published_on"] for c in row["corrections"]] == [
        "2026-01-05",
        "2026-01-10",
    ]
    (atom,) = feedparser.parse(client.get("/feeds/briefs.atom").content).entries
    assert atom.updated_parsed[:3] == (2026, 1, 10)  # the edition's release

    assert versions == dict.fromkeys(versions, 3)


# Is it public? -------------------------------------------------------------------


HIDDEN = {
    "withdrawn": {
        "status": Status.WITHDRAWN,
        "published_at": timezone.now() - datetime.timedelta(days=10),
        "withdrawn_reason": "The figures were wrong.",
    },
    "trashed": {"deleted_at": timezone.now()},
    "scheduled": {"published_at": timezone.now() + datetime.timedelta(days=2)},
}


@pytest.mark.parametrize("state", HIDDEN)
def test_a_hidden_brief_is_absent_from_every_surface(client, db, tmp_path, state):
    """Withdrawn, trashed and scheduled briefs are on no list, feed, sitemap or
    export; a withdrawn one is a tombstone where a surface has one (its page
    410, its citation files, its OAI deleted record)."""
    topic = factories.make_topic(slug="security")
    person = factories.make_person(slug="vuk-velebit")
    factories.make_brief(slug="visible", authors=[person], topics=[topic])
    brief = factories.make_brief(
        slug="hidden-brief",
        title="Hidden Brief Zqx",
        summary="Zqxsummary of the hidden brief.",
        authors=[person],
        topics=[topic],
        **HIDDEN[state],
    )
    withdrawn = state == "withdrawn"
    assert not Edition.objects.public().filter(brief=brief).exists()

    page = client.get("/briefs/hidden-brief/")
    assert page.status_code == (410 if withdrawn else 404)
    assert "Zqxsummary" not in page.content.decode()
    for ext in ("bib", "ris", "json"):
        status = client.get(f"/briefs/hidden-brief/cite.{ext}").status_code
        assert status == (200 if withdrawn else 404)
    assert client.get("/briefs/hidden-brief.pdf").status_code == 404
    assert client.get("/api/v1/briefs/hidden-brief/").status_code == 404
    assert client.get("/api/v1/briefs/hidden-brief/citation/").status_code == 404

    lists = [
        "/api/v1/briefs/?page_size=100",
        "/api/v1/briefs/?q=Zqxsummary",
        "/feeds/briefs.rss",
        "/feeds/briefs.atom",
        "/topics/security/feed.rss",
        "/people/vuk-velebit/feed.atom",
        "/sitemap.xml",
        "/briefs/",
        "/search/?q=Zqxsummary",
    ]
    for url in lists:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "hidden-brief" not in body, url
        # The search page echoes the query; the brief's own words must not show.
        assert "Hidden Brief" not in body, url
        assert "of the hidden brief" not in body, url

    header = oai_record(client, brief).find(".//oai:header", NS)
    if withdrawn:
        assert header.get("status") == "deleted"
        assert oai_record(client, brief).find(".//oai:metadata", NS) is None
    else:
        assert header is None
    assert [row["slug"] for row in exported(tmp_path)] == ["visible"]
