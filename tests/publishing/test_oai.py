"""OAI-PMH 2.0 at /oai/: every response validates against the protocol's schema.

The schemas live in tests/schemas/ (see the comment at the top of each file),
so validation needs no network.
"""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree
from oaipmh.client import Client
from oaipmh.metadata import MetadataRegistry, oai_dc_reader

from briefs.models import Brief, Licence, Status
from publishing.models import Edition
from tests import factories

NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
SCHEMA = etree.XMLSchema(
    etree.parse(Path(__file__).parent.parent / "schemas" / "harvest.xsd")
)
UTC = datetime.UTC


@pytest.fixture(autouse=True)
def oai_settings(settings):
    settings.SITE_URL = "https://archive.example.org"
    settings.OAI_ADMIN_EMAIL = "archive@pupin.example.org"
    settings.OAI_PAGE_SIZE = 2


def oai(client, method: str = "get", **params) -> etree._Element:
    """Ask /oai/, check the response is schema-valid OAI-PMH, return its root."""
    response = getattr(client, method)("/oai/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert SCHEMA.validate(root), SCHEMA.error_log
    return root


def error_code(root: etree._Element) -> str | None:
    error = root.find("oai:error", NS)
    return None if error is None else error.get("code")


def identifier(brief: Brief) -> str:
    return f"oai:archive.example.org:briefs/{brief.pk}"


def set_datestamp(brief: Brief, moment: datetime.datetime) -> None:
    """Pin a brief's OAI datestamp: the release of its current edition."""
    Edition.objects.filter(brief=brief).update(released_at=moment, published_at=moment)


@pytest.fixture
def seed_like(db) -> Brief:
    people = [
        factories.make_person(name=name)
        for name in ("Vuk Velebit", "Andrej Cvejanov", "Petar Ivić")
    ]
    return factories.make_brief(
        title="Do Rival Pacts Make the Balkans Safer?",
        summary="Rival mini-alliances in the Western Balkans.",
        authors=people[:2],
        researchers=people[2:],
        topics=[factories.make_topic(name="Security", slug="security")],
        doi="10.5555/pupin.1",
    )


def withdrawn(**overrides) -> Brief:
    return factories.make_brief(
        status=Status.WITHDRAWN,
        withdrawn_reason="Superseded.",
        published_at=timezone.now() - datetime.timedelta(days=10),
        **overrides,
    )


def hidden_briefs() -> list[Brief]:
    """A draft, a brief in review, a scheduled one and a trashed one."""
    return [
        factories.make_brief(status=Status.DRAFT),
        factories.make_brief(status=Status.IN_REVIEW),
        factories.make_brief(published_at=timezone.now() + datetime.timedelta(days=3)),
        factories.make_brief(deleted_at=timezone.now()),
    ]


def test_identify(client, seed_like):
    set_datestamp(seed_like, datetime.datetime(2025, 5, 21, 8, 30, tzinfo=UTC))
    root = oai(client, verb="Identify")
    identify = root.find("oai:Identify", NS)
    assert identify.findtext("oai:repositoryName", namespaces=NS) == (
        "Pupin Initiative archive"
    )
    assert identify.findtext("oai:baseURL", namespaces=NS) == "http://testserver/oai/"
    assert identify.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("oai:adminEmail", namespaces=NS) == (
        "archive@pupin.example.org"
    )
    assert identify.findtext("oai:earliestDatestamp", namespaces=NS) == (
        "2025-05-21T08:30:00Z"
    )
    assert identify.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert root.find("oai:request", NS).get("verb") == "Identify"


def test_list_metadata_formats(client, seed_like):
    root = oai(client, verb="ListMetadataFormats", identifier=identifier(seed_like))
    (fmt,) = root.findall("oai:ListMetadataFormats/oai:metadataFormat", NS)
    assert fmt.findtext("oai:metadataPrefix", namespaces=NS) == "oai_dc"
    assert fmt.findtext("oai:metadataNamespace", namespaces=NS) == NS["oai_dc"]
    root = oai(client, verb="ListMetadataFormats", identifier="oai:elsewhere:1")
    assert error_code(root) == "idDoesNotExist"


def test_list_sets_are_the_topics_of_public_briefs(client, db):
    security = factories.make_topic(name="Security", slug="security")
    eu = factories.make_topic(name="EU integration", slug="eu-integration")
    draft_only = factories.make_topic(name="Unannounced", slug="unannounced")
    factories.make_brief(status=Status.DRAFT, topics=[draft_only, security])
    assert error_code(oai(client, verb="ListSets")) == "noSetHierarchy"
    factories.make_brief(topics=[security, eu])
    root = oai(client, verb="ListSets")
    sets = [
        (
            s.findtext("oai:setSpec", namespaces=NS),
            s.findtext("oai:setName", namespaces=NS),
        )
        for s in root.findall("oai:ListSets/oai:set", NS)
    ]
    assert sets == [("eu-integration", "EU integration"), ("security", "Security")]


def test_get_record_in_dublin_core(client, seed_like):
    root = oai(
        client,
        verb="GetRecord",
        identifier=identifier(seed_like),
        metadataPrefix="oai_dc",
    )
    record = root.find("oai:GetRecord/oai:record", NS)
    assert record.findtext("oai:header/oai:identifier", namespaces=NS) == identifier(
        seed_like
    )
    assert record.find("oai:header", NS).get("status") is None
    assert [s.text for s in record.findall("oai:header/oai:setSpec", NS)] == [
        "security"
    ]
    dc = record.find("oai:metadata/oai_dc:dc", NS)

    def values(name: str) -> list[str]:
        return [e.text for e in dc.findall(f"dc:{name}", NS)]

    assert values("title") == ["Do Rival Pacts Make the Balkans Safer?"]
    assert values("creator") == ["Velebit, Vuk", "Cvejanov, Andrej"]
    assert values("contributor") == ["Ivić, Petar"]
    assert values("subject") == ["Security"]
    assert values("publisher") == ["Pupin Initiative", "Пупин Иницијатива"]
    cyrillic = dc.findall("dc:publisher", NS)[1]
    assert cyrillic.get("{http://www.w3.org/XML/1998/namespace}lang") == "sr-Cyrl"
    assert values("date") == ["2025-05-21"]
    assert values("type") == ["Text", "Policy brief"]
    assert values("identifier") == [
        f"https://archive.example.org/b/{seed_like.pk}/",
        "https://doi.org/10.5555/pupin.1",
        f"https://archive.example.org/briefs/{seed_like.slug}.pdf",
    ]
    assert values("language") == ["eng"]
    # The seed's footer reserves all rights: no licence is claimed.
    assert values("rights") == ["All rights reserved"]


def test_rights_name_the_chosen_licence_by_its_text(client, seed_like):
    Brief.objects.filter(pk=seed_like.pk).update(licence=Licence.CC_BY)
    seed_like.refresh_from_db()
    factories.publish(seed_like)
    root = oai(
        client,
        verb="GetRecord",
        identifier=identifier(seed_like),
        metadataPrefix="oai_dc",
    )
    rights = root.findall(".//{http://purl.org/dc/elements/1.1/}rights")
    assert [r.text for r in rights] == ["https://creativecommons.org/licenses/by/4.0/"]


def test_corrected_brief_describes_its_version(client, seed_like):
    factories.publish(
        seed_like, at=datetime.datetime(2025, 6, 2, 9, tzinfo=UTC), note="Fixed."
    )
    root = oai(
        client,
        verb="GetRecord",
        identifier=identifier(seed_like),
        metadataPrefix="oai_dc",
    )
    descriptions = [e.text for e in root.iterfind(".//dc:description", NS)]
    assert "Version 2, updated 2025-06-02." in descriptions
    # The correction is news to a harvester: the datestamp is its release.
    assert root.findtext(".//oai:datestamp", namespaces=NS) == "2025-06-02T09:00:00Z"


def test_records_show_the_published_edition_not_the_working_copy(client, seed_like):
    """Editing a published brief changes nothing a harvester sees until it is
    published again (the record is the citation its edition stored)."""
    Brief.objects.filter(pk=seed_like.pk).update(
        title="Unpublished new title", summary="Unpublished new summary."
    )
    params = {"identifier": identifier(seed_like), "metadataPrefix": "oai_dc"}
    root = oai(client, verb="GetRecord", **params)
    assert root.findtext(".//dc:title", namespaces=NS) == (
        "Do Rival Pacts Make the Balkans Safer?"
    )
    assert "Unpublished" not in etree.tostring(root, encoding="unicode")
    seed_like.refresh_from_db()
    factories.publish(seed_like, note="Retitled.")
    root = oai(client, verb="GetRecord", **params)
    assert root.findtext(".//dc:title", namespaces=NS) == "Unpublished new title"


def test_withdrawn_brief_is_a_deleted_record(client, db):
    topic = factories.make_topic(slug="security")
    brief = withdrawn(topics=[topic])
    root = oai(
        client, verb="GetRecord", identifier=identifier(brief), metadataPrefix="oai_dc"
    )
    record = root.find("oai:GetRecord/oai:record", NS)
    assert record.find("oai:header", NS).get("status") == "deleted"
    assert record.find("oai:metadata", NS) is None
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    (header,) = root.findall("oai:ListIdentifiers/oai:header", NS)
    assert header.get("status") == "deleted"
    # Dated by the withdrawal, so an incremental harvest learns of it, and
    # still in its set, so a harvest by set does too.
    edition = Edition.objects.get(brief=brief)
    assert header.findtext("oai:datestamp", namespaces=NS) == (
        edition.withdrawn_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    assert [s.text for s in header.findall("oai:setSpec", NS)] == ["security"]
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="security")
    assert len(root.findall("oai:ListIdentifiers/oai:header", NS)) == 1


def test_deleted_record_tombstone_and_citation_files_agree(client, db):
    """One withdrawn edition answers all three: the page says it is gone (410)
    and names it, the citation files still cite it, OAI reports it deleted."""
    brief = withdrawn(title="Withdrawn Findings", slug="withdrawn-findings")
    page = client.get("/briefs/withdrawn-findings/")
    assert page.status_code == 410
    assert "Withdrawn Findings" in page.content.decode()
    bib = client.get("/briefs/withdrawn-findings/cite.bib")
    assert bib.status_code == 200
    assert "{{Withdrawn Findings}}" in bib.content.decode()
    assert f"/b/{brief.pk}/" in bib.content.decode()
    root = oai(
        client, verb="GetRecord", identifier=identifier(brief), metadataPrefix="oai_dc"
    )
    assert root.find(".//oai:header", NS).get("status") == "deleted"


def test_unpublished_briefs_never_appear(client, db):
    for brief in hidden_briefs():
        root = oai(
            client,
            verb="GetRecord",
            identifier=identifier(brief),
            metadataPrefix="oai_dc",
        )
        assert error_code(root) == "idDoesNotExist"
    for verb in ("ListIdentifiers", "ListRecords"):
        assert error_code(oai(client, verb=verb, metadataPrefix="oai_dc")) == (
            "noRecordsMatch"
        )


def test_lists_are_paged_with_resumption_tokens(client, db):
    briefs = [factories.make_brief() for _ in range(5)]
    for n, brief in enumerate(briefs):
        set_datestamp(brief, datetime.datetime(2025, 1, 1 + n, tzinfo=UTC))
    seen, cursors = [], []
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    while True:
        listing = root.find("oai:ListRecords", NS)
        seen += [
            r.findtext("oai:header/oai:identifier", namespaces=NS) for r in listing
        ]
        token = listing.find("oai:resumptionToken", NS)
        cursors.append((token.get("cursor"), token.get("completeListSize")))
        if not token.text:
            break
        root = oai(client, verb="ListRecords", resumptionToken=token.text)
        assert root.find("oai:request", NS).get("resumptionToken") == token.text
    seen = [i for i in seen if i]
    assert seen == [identifier(b) for b in briefs]  # oldest datestamp first
    assert cursors == [("0", "5"), ("2", "5"), ("4", "5")]


def test_a_short_list_has_no_resumption_token(client, db):
    factories.make_brief()
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert root.find("oai:ListIdentifiers/oai:resumptionToken", NS) is None


def test_selective_harvesting_by_date_and_set(client, db):
    topic = factories.make_topic(slug="security")
    early, middle, late = (
        factories.make_brief(topics=[topic]),
        factories.make_brief(),
        factories.make_brief(topics=[topic]),
    )
    set_datestamp(early, datetime.datetime(2025, 3, 18, 9, 0, 0, tzinfo=UTC))
    set_datestamp(middle, datetime.datetime(2025, 4, 1, 12, 0, 0, tzinfo=UTC))
    set_datestamp(late, datetime.datetime(2025, 5, 21, 23, 59, 59, tzinfo=UTC))

    def harvest(**params) -> list[str]:
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **params)
        if error_code(root) == "noRecordsMatch":
            return []
        assert error_code(root) is None
        return [
            h.findtext("oai:identifier", namespaces=NS)
            for h in root.findall("oai:ListIdentifiers/oai:header", NS)
        ]

    ids = {b: identifier(b) for b in (early, middle, late)}
    assert harvest(**{"from": "2025-04-01"}) == [ids[middle], ids[late]]
    assert harvest(until="2025-04-01") == [ids[early], ids[middle]]
    # `until` is inclusive to the second, `from` from the second.
    assert harvest(until="2025-04-01T11:59:59Z") == [ids[early]]
    assert harvest(
        **{"from": "2025-04-01T12:00:00Z", "until": "2025-05-21T23:59:59Z"}
    ) == [
        ids[middle],
        ids[late],
    ]
    assert harvest(**{"from": "2025-05-22"}) == []
    assert harvest(set="security") == [ids[early], ids[late]]
    assert harvest(set="security", **{"from": "2025-04-01"}) == [ids[late]]
    assert harvest(set="no-such-topic") == []
    assert harvest(until="9999-12-31") == [ids[early], ids[middle]]  # page 1
    assert harvest(until="9999-12-31T23:59:59Z") == [ids[early], ids[middle]]
    assert harvest(**{"from": "0001-01-01", "until": "0001-01-02"}) == []


def test_scheduled_brief_gets_the_datestamp_of_its_release(client, db):
    """An edition prepared on 1 May for release on 21 May is dated 21 May, and
    is no record at all before then."""
    brief = factories.make_brief(edition=False)
    edition = factories.publish(
        brief, at=datetime.datetime(2025, 5, 21, 8, 0, tzinfo=UTC)
    )
    Edition.objects.filter(pk=edition.pk).update(
        created_at=datetime.datetime(2025, 5, 1, tzinfo=UTC)
    )
    factories.publish(
        factories.make_brief(edition=False),
        at=timezone.now() + datetime.timedelta(hours=1),
    )
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    (header,) = root.findall("oai:ListIdentifiers/oai:header", NS)
    assert header.findtext("oai:datestamp", namespaces=NS) == "2025-05-21T08:00:00Z"


LIST = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
GET = {"verb": "GetRecord", "metadataPrefix": "oai_dc"}
NO_SUCH_BRIEF = "oai:archive.example.org:briefs/0"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({**LIST, "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({**LIST, "from": "21.5.2025"}, "badArgument"),
        ({**LIST, "from": "2025-02-30"}, "badArgument"),
        (
            {**LIST, "from": "2025-05-01", "until": "2025-05-02T00:00:00Z"},
            "badArgument",
        ),
        ({**LIST, "from": "2025-06-01", "until": "2025-05-01"}, "badArgument"),
        ({**LIST, "metadataPrefix": "oai dc"}, "badArgument"),
        ({**LIST, "set": "a b"}, "badArgument"),
        ({**LIST, "resumptionToken": "x"}, "badArgument"),
        ({**GET, "identifier": "<x>"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "forged"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
        ({**LIST, "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({**GET, "identifier": NO_SUCH_BRIEF}, "idDoesNotExist"),
        ({**GET, "identifier": "urn:isbn:123"}, "idDoesNotExist"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}, "noRecordsMatch"),
    ],
)
def test_protocol_errors(client, db, params, code):
    root = oai(client, **params)
    assert error_code(root) == code
    request = root.find("oai:request", NS)
    assert request.text == "http://testserver/oai/"
    if code in {"badVerb", "badArgument"}:
        assert dict(request.attrib) == {}  # the protocol wants the bare base URL


def test_a_token_only_works_for_its_own_verb(client, db):
    for _ in range(3):
        factories.make_brief()
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.findtext(".//oai:resumptionToken", namespaces=NS)
    assert token
    assert error_code(oai(client, verb="ListRecords", resumptionToken=token)) == (
        "badResumptionToken"
    )
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert error_code(
        oai(client, verb="ListIdentifiers", resumptionToken=tampered)
    ) == ("badResumptionToken")


def test_post_requests_are_answered(client, seed_like):
    root = oai(client, method="post", verb="ListRecords", metadataPrefix="oai_dc")
    assert len(root.findall("oai:ListRecords/oai:record", NS)) == 1


def test_control_characters_in_text_do_not_break_the_xml(client, db):
    brief = factories.make_brief(title="Bad\x0bchar", summary="A\x01B")
    root = oai(
        client, verb="GetRecord", identifier=identifier(brief), metadataPrefix="oai_dc"
    )
    assert root.findtext(".//dc:title", namespaces=NS) == "Badchar"


def test_a_page_of_records_costs_constant_queries(
    client, db, django_assert_max_num_queries
):
    def fill(n: int) -> None:
        for _ in range(n):
            factories.make_brief(
                authors=[factories.make_person()], topics=[factories.make_topic()]
            )

    fill(1)
    with django_assert_max_num_queries(6):
        oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    fill(4)
    with django_assert_max_num_queries(6):
        oai(client, verb="ListRecords", metadataPrefix="oai_dc")


@pytest.mark.django_db(transaction=True)
def test_a_real_harvester_gets_every_published_brief_once(live_server, settings):
    """The `oaipmh` client harvests over HTTP across several resumption tokens."""
    settings.OAI_PAGE_SIZE = 3
    published = [factories.make_brief() for _ in range(10)]
    gone = withdrawn()
    hidden = hidden_briefs()

    registry = MetadataRegistry()
    registry.registerReader("oai_dc", oai_dc_reader)
    client = Client(f"{live_server.url}/oai/", registry)
    identify = client.identify()
    assert identify.deletedRecord() == "persistent"

    records = list(client.listRecords(metadataPrefix="oai_dc"))
    live = [h.identifier() for h, metadata, _ in records if not h.isDeleted()]
    deleted = [h.identifier() for h, metadata, _ in records if h.isDeleted()]
    assert sorted(live) == sorted(identifier(b) for b in published)
    assert len(live) == len(set(live)) == 10  # each exactly once, over 4 pages
    assert deleted == [identifier(gone)]
    assert not {identifier(b) for b in hidden} & {*live, *deleted}
    titles = {m.getField("title")[0] for h, m, _ in records if m is not None}
    assert titles == {b.title for b in published}

    headers = list(client.listIdentifiers(metadataPrefix="oai_dc"))
    assert len(headers) == 11
    header, metadata, _ = client.getRecord(
        identifier=identifier(published[0]), metadataPrefix="oai_dc"
    )
    assert metadata.getField("identifier")[0] == (
        f"https://archive.example.org/b/{published[0].pk}/"
    )


def test_the_schema_really_checks(client, seed_like):
    """Guard against a vacuous schema: break a valid response and it must fail."""
    root = oai(
        client,
        verb="GetRecord",
        identifier=identifier(seed_like),
        metadataPrefix="oai_dc",
    )
    root.find(".//dc:title", NS).tag = "{http://purl.org/dc/elements/1.1/}headline"
    assert not SCHEMA.validate(root)
    root = oai(client, verb="Identify")
    root.find(".//oai:deletedRecord", NS).text = "sometimes"
    assert not SCHEMA.validate(root)


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def dc_of(client, brief: Brief) -> etree._Element:
    root = oai(
        client, verb="GetRecord", identifier=identifier(brief), metadataPrefix="oai_dc"
    )
    return root.find("oai:GetRecord/oai:record/oai:metadata/oai_dc:dc", NS)


def marked(dc: etree._Element, name: str) -> list[tuple[str, str | None]]:
    return [(e.text, e.get(XML_LANG)) for e in dc.findall(f"dc:{name}", NS)]


@pytest.mark.parametrize(
    ("language", "title", "summary", "titles", "descriptions"),
    [
        (
            "sr-Cyrl",
            "Савези на Балкану",
            "Мини-савези.",
            [("Савези на Балкану", "sr-Cyrl"), ("Savezi na Balkanu", "sr-Latn")],
            [("Мини-савези.", "sr-Cyrl"), ("Mini-savezi.", "sr-Latn")],
        ),
        (
            "sr-Latn",
            "Savezi na Balkanu",
            "Mini-savezi.",
            [("Savezi na Balkanu", "sr-Latn"), ("Савези на Балкану", "sr-Cyrl")],
            [("Mini-savezi.", "sr-Latn"), ("Мини-савези.", "sr-Cyrl")],
        ),
    ],
)
def test_a_serbian_brief_is_described_in_both_scripts(
    client, db, language, title, summary, titles, descriptions
):
    brief = factories.make_brief(title=title, summary=summary, language=language)
    dc = dc_of(client, brief)
    assert marked(dc, "title") == titles
    assert marked(dc, "description") == descriptions
    # ISO 639 (three letters: 639-2 and 639-3 agree): the language, not the script.
    assert marked(dc, "language") == [("srp", None)]


def test_an_english_brief_has_one_title_and_iso_639_english(client, seed_like):
    dc = dc_of(client, seed_like)
    assert marked(dc, "title") == [("Do Rival Pacts Make the Balkans Safer?", "en")]
    assert marked(dc, "language") == [("eng", None)]


def test_harvesters_read_serbian_records(client, db):
    """pyoai (as harvesters use it) reads both titles and the language."""
    brief = factories.make_brief(title="Савези", language="sr-Cyrl")
    registry = MetadataRegistry()
    registry.registerReader("oai_dc", oai_dc_reader)

    harvester = Client("https://archive.example.org/oai/", registry)
    # Over the test client instead of the network.
    harvester.makeRequest = lambda **kwargs: client.get("/oai/", kwargs).content
    header, metadata, _ = harvester.getRecord(
        identifier=identifier(brief), metadataPrefix="oai_dc"
    )
    assert metadata.getField("title") == ["Савези", "Savezi"]
    assert metadata.getField("language") == ["srp"]
