"""Citing a brief: the record, the three styles, and BibTeX/RIS/CSL-JSON read
back by the tools people really use (bibtexparser, rispy, citeproc-py).

Every record here is the one an edition stored when it was published
(`record_of`): nothing public builds a citation from the working brief.
"""

import ast
import datetime
import json
from dataclasses import replace
from pathlib import Path

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
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from briefs.models import Brief, Contribution, Role, Status
from briefs.services import change_brief_slug
from publishing.citations import (
    CitationName,
    CitationRecord,
    Contributor,
    citation_payload,
    format_apa,
    format_bibtex,
    format_chicago,
    format_csl_json,
    format_mla,
    format_ris,
    record_from_json,
    record_in,
)
from publishing.models import Edition
from tests import factories

SITE = "https://archive.example.org"
TITLE = "Do Rival Pacts Make the Balkans Safer?"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def record_of(brief: Brief) -> CitationRecord:
    """The record the brief's current edition stored; publishing it first if
    it has no edition yet (a test that adds credits before publishing)."""
    edition = Edition.objects.filter(brief=brief, is_current=True).first()
    return record_from_json((edition or factories.publish(brief)).citation)


@pytest.fixture
def working_brief(db) -> Brief:
    """A brief credited as the seed brief is (two authors, two researchers),
    not yet published: a test may add to it first."""
    people = {
        name: factories.make_person(name=name)
        for name in ("Vuk Velebit", "Andrej Cvejanov", "Petar Ivić", "Aleksa Jovanović")
    }
    return factories.make_brief(
        title=TITLE,
        slug="balkan-military-alliances",
        summary="Rival mini-alliances in the Western Balkans.",
        publication_date=datetime.date(2025, 5, 21),
        authors=[people["Vuk Velebit"], people["Andrej Cvejanov"]],
        researchers=[people["Petar Ivić"], people["Aleksa Jovanović"]],
        topics=[factories.make_topic(name="Security", slug="security")],
        edition=False,
    )


@pytest.fixture
def brief(working_brief) -> Brief:
    """The same brief, published (edition 1)."""
    factories.publish(working_brief)
    return working_brief


def corrected(brief: Brief) -> Brief:
    """Two corrections published: the brief is at version 3."""
    for day, note in (
        (datetime.date(2025, 5, 28), "Typo."),
        (datetime.date(2025, 6, 2), "Figure fixed."),
    ):
        at = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
        factories.publish(brief, at=at, note=note)
    return brief


def add_contributor(brief: Brief, name: str, role: str, order: int) -> None:
    Contribution.objects.create(
        brief=brief, person=factories.make_person(name=name), role=role, order=order
    )


def test_name_parsing_keeps_diacritics_and_particles():
    assert CitationName.parse("Petar Ivić") == CitationName("Ivić", "Petar")
    assert CitationName.parse("Ursula von der Leyen") == CitationName(
        "von der Leyen", "Ursula"
    )
    assert CitationName.parse("Ana-Marija Luka").initials == "A.-M."
    assert CitationName.parse("Plato") == CitationName("Plato")


def test_record_lists_authors_in_order_and_contributors_with_roles(working_brief):
    brief = working_brief
    add_contributor(brief, "Jelena Urošević", Role.EDITOR, 5)
    add_contributor(brief, "Marko Đorđević", Role.TRANSLATOR, 6)
    record = record_of(brief)
    assert [n.natural for n in record.authors] == ["Vuk Velebit", "Andrej Cvejanov"]
    assert [(c.name.natural, c.role) for c in record.contributors] == [
        ("Petar Ivić", "researcher"),
        ("Aleksa Jovanović", "researcher"),
        ("Jelena Urošević", "editor"),
        ("Marko Đorđević", "translator"),
    ]
    assert record.publisher == "Pupin Initiative"
    assert record.publisher_local == "Пупин Иницијатива"
    assert record.url == f"{SITE}/b/{brief.pk}/"
    assert record.pdf_url == f"{SITE}/briefs/balkan-military-alliances.pdf"
    assert record.version == 1 and record.version_label == ""


def test_author_order_follows_the_order_field_not_creation(db):
    first, second = (
        factories.make_person(name="Zoran Z"),
        factories.make_person(name="Ana A"),
    )
    brief = factories.make_brief(edition=False)
    Contribution.objects.create(brief=brief, person=first, role=Role.AUTHOR, order=2)
    Contribution.objects.create(brief=brief, person=second, role=Role.AUTHOR, order=1)
    assert [n.family for n in record_of(brief).authors] == ["A", "Z"]


def test_apa_chicago_and_mla_for_the_seed_brief(brief):
    record = record_of(brief)
    link = f"{SITE}/b/{brief.pk}/"
    assert format_apa(record) == (
        f"Velebit, V., & Cvejanov, A. (2025). {TITLE} [Policy brief]. "
        f"Pupin Initiative (Пупин Иницијатива). {link}"
    )
    assert format_chicago(record) == (
        f"Velebit, Vuk, and Andrej Cvejanov. 2025. {TITLE} Policy brief. "
        f"Belgrade: Pupin Initiative (Пупин Иницијатива). {link}"
    )
    assert format_mla(record) == (
        f"Velebit, Vuk, and Andrej Cvejanov. {TITLE} "
        f"Pupin Initiative (Пупин Иницијатива), 21 May 2025, {link}."
    )


def test_styles_with_one_and_three_authors(db):
    one = factories.make_brief(
        title="On Trust", authors=[factories.make_person(name="Petar Ivić")]
    )
    three = factories.make_brief(
        title="On Trust",
        authors=[
            factories.make_person(name=n) for n in ("Ana Ban", "Ivo Car", "Eva Dan")
        ],
    )
    assert format_apa(record_of(one)).startswith("Ivić, P. (2025). On Trust [")
    assert format_mla(record_of(one)).startswith("Ivić, Petar. On Trust. ")
    assert format_apa(record_of(three)).startswith(
        "Ban, A., Car, I., & Dan, E. (2025)."
    )
    assert format_chicago(record_of(three)).startswith(
        "Ban, Ana, Ivo Car, and Eva Dan. 2025. On Trust. Policy brief."
    )
    assert format_mla(record_of(three)).startswith("Ban, Ana, et al. On Trust.")


def test_html_citations_escape_user_text(db):
    brief = factories.make_brief(title="<script>alert(1)</script> & more")
    html = format_apa(record_of(brief), html=True)
    assert "<script>" not in html
    assert "<i>&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</i>" in html


def test_bibtex_parses_and_matches_the_brief_field_by_field(working_brief):
    brief = working_brief
    add_contributor(brief, "Jelena Urošević", Role.EDITOR, 5)
    text = format_bibtex(record_of(brief))
    library = bibtexparser.parse_string(
        text, append_middleware=[SeparateCoAuthors(), SplitNameParts()]
    )
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert entry.entry_type == "techreport"
    assert entry.key == f"velebit2025rival-{brief.pk}"
    fields = {field.key: field.value for field in entry.fields}
    assert [(n.first, n.last) for n in fields["author"]] == [
        (["Vuk"], ["Velebit"]),
        (["Andrej"], ["Cvejanov"]),
    ]
    assert [(n.first, n.last) for n in fields["editor"]] == [(["Jelena"], ["Urošević"])]
    # The title is double-braced so that styles keep its capitals.
    assert fields["title"] == "{" + TITLE + "}"
    assert fields["institution"] == "Pupin Initiative (Пупин Иницијатива)"
    assert fields["type"] == "Policy brief"
    assert fields["year"] == "2025"
    assert fields["month"] == "may"
    assert fields["date"] == "2025-05-21"
    assert fields["url"] == f"{SITE}/b/{brief.pk}/"
    assert fields["note"] == "Research: Petar Ivić, Aleksa Jovanović"
    assert fields["language"] == "english"
    assert fields["langid"] == "english"
    assert "doi" not in fields and "version" not in fields


def test_bibtex_escapes_tex_specials(db):
    brief = factories.make_brief(title="Costs & 50% of {budget} #1")
    text = format_bibtex(record_of(brief))
    assert r"title = {{Costs \& 50\% of \{budget\} \#1}}," in text
    assert bibtexparser.parse_string(text).failed_blocks == []


def test_ris_parses_and_matches_the_brief_field_by_field(working_brief):
    brief = working_brief
    add_contributor(brief, "Marko Đorđević", Role.TRANSLATOR, 6)
    (entry,) = rispy.loads(format_ris(record_of(brief)))
    assert entry["type_of_reference"] == "RPRT"
    assert entry["authors"] == ["Velebit, Vuk", "Cvejanov, Andrej"]
    assert entry["subsidiary_authors"] == ["Đorđević, Marko"]
    assert entry["title"] == TITLE
    assert entry["type_of_work"] == "Policy brief"
    assert entry["year"] == "2025"
    assert entry["date"] == "2025/05/21"
    assert entry["publisher"] == "Pupin Initiative (Пупин Иницијатива)"
    assert entry["place_published"] == "Belgrade"
    assert entry["urls"] == [f"{SITE}/b/{brief.pk}/"]
    assert entry["file_attachments1"] == f"{SITE}/briefs/balkan-military-alliances.pdf"
    assert entry["keywords"] == ["Security"]
    assert entry["notes"] == ["Research: Petar Ivić, Aleksa Jovanović"]
    assert "doi" not in entry


# citeproc-py 0.11 predates CSL 1.0.2's `license` variable and says so.
@pytest.mark.filterwarnings("ignore:The following arguments for Reference")
def test_csl_json_renders_with_citeproc_py(brief):
    data = json.loads(format_csl_json(record_of(brief)))
    (item,) = data
    assert item["type"] == "report"
    assert item["author"] == [
        {"family": "Velebit", "given": "Vuk"},
        {"family": "Cvejanov", "given": "Andrej"},
    ]
    assert item["contributor"] == [
        {"family": "Ivić", "given": "Petar"},
        {"family": "Jovanović", "given": "Aleksa"},
    ]
    assert item["issued"] == {"date-parts": [[2025, 5, 21]]}
    assert item["publisher"] == "Pupin Initiative (Пупин Иницијатива)"
    assert item["genre"] == "Policy brief"
    assert item["URL"] == f"{SITE}/b/{brief.pk}/"

    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(
        style, CiteProcJSON(data), formatter.plain
    )
    bibliography.register(Citation([CitationItem(item["id"])]))
    (rendered,) = [str(entry) for entry in bibliography.bibliography()]
    assert "Velebit, V. and Cvejanov, A. (2025)" in rendered
    assert TITLE in rendered
    assert "Pupin Initiative (Пупин Иницијатива)" in rendered


def test_corrected_brief_cites_its_version_everywhere(brief):
    record = record_of(corrected(brief))
    assert record.version == 3
    label = "version 3, updated 2025-06-02"
    for text in (
        format_apa(record),
        format_chicago(record),
        format_mla(record),
        format_bibtex(record),
        format_ris(record),
    ):
        assert label in text.lower()
    (item,) = json.loads(format_csl_json(record))
    assert item["version"] == "3" and item["note"] == label
    (entry,) = rispy.loads(format_ris(record))
    assert entry["edition"] == label


def test_doi_is_exported_everywhere(db):
    brief = factories.make_brief(doi="https://doi.org/10.5555/pupin.2025.1")
    record = record_of(brief)
    assert record.doi == "10.5555/pupin.2025.1"
    for text in (format_apa(record), format_chicago(record), format_mla(record)):
        assert "https://doi.org/10.5555/pupin.2025.1" in text
    assert "doi = {10.5555/pupin.2025.1}" in format_bibtex(record)
    assert rispy.loads(format_ris(record))[0]["doi"] == "10.5555/pupin.2025.1"
    assert json.loads(format_csl_json(record))[0]["DOI"] == "10.5555/pupin.2025.1"


def test_citation_payload_for_the_api_holds_every_format(brief):
    record = record_of(brief)
    payload = citation_payload(record)
    assert payload["apa"] == format_apa(record)
    assert payload["bibtex"] == format_bibtex(record)
    assert payload["ris"] == format_ris(record)
    assert payload["csl"] == json.loads(format_csl_json(record))
    assert payload["permanent_url"] == f"{SITE}/b/{brief.pk}/"
    assert payload["doi"] is None and payload["version"] == 1
    json.dumps(payload)  # JSON-ready as it is


# The download addresses -----------------------------------------------------------


@pytest.mark.parametrize(
    ("ext", "content_type"),
    [
        ("bib", "application/x-bibtex; charset=utf-8"),
        ("ris", "application/x-research-info-systems; charset=utf-8"),
        ("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
    ],
)
def test_citation_files_are_served_at_stable_addresses(
    client, brief, ext, content_type
):
    response = client.get(f"/briefs/balkan-military-alliances/cite.{ext}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="balkan-military-alliances.{ext}"'
    )
    body = response.content.decode("utf-8")
    assert "Ivić" in body
    assert "Пупин Иницијатива" in body


def test_citation_file_queries_are_constant(
    client, brief, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        assert (
            client.get("/briefs/balkan-military-alliances/cite.bib").status_code == 200
        )


def test_unknown_format_and_unknown_slug_are_404(client, brief):
    assert client.get("/briefs/balkan-military-alliances/cite.docx").status_code == 404
    assert client.get("/briefs/no-such-brief/cite.bib").status_code == 404


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": Status.DRAFT},
        {"status": Status.IN_REVIEW},
        {"published_at": timezone.now() + datetime.timedelta(days=2)},
        {"deleted_at": timezone.now()},
        {"status": Status.WITHDRAWN, "withdrawn_reason": "Wrong figures."},
    ],
    ids=["draft", "review", "scheduled", "trashed", "withdrawn"],
)
def test_unpublished_briefs_have_no_citation_files(client, db, overrides):
    factories.make_brief(slug="hidden", **overrides)
    for ext in ("bib", "ris", "json"):
        assert client.get(f"/briefs/hidden/cite.{ext}").status_code == 404


def test_brief_page_has_a_cite_this_box(client, brief):
    response = client.get("/briefs/balkan-military-alliances/")
    html = response.content.decode()
    assert "Cite this" in html
    assert (
        f"Velebit, V., &amp; Cvejanov, A. (2025). <i>{TITLE}</i> [Policy brief]."
        in html
    )
    assert "Velebit, Vuk, and Andrej Cvejanov. 2025." in html
    for href in ("cite.bib", "cite.ris", "cite.json"):
        assert f'href="/briefs/balkan-military-alliances/{href}"' in html
    assert 'href="/briefs/balkan-military-alliances.pdf"' in html
    assert f'href="{SITE}/b/{brief.pk}/"' in html
    assert 'class="Z3988" title="ctx_ver=Z39.88-2004&amp;' in html
    assert "rft.au=Velebit%2C+Vuk&amp;rft.au=Cvejanov%2C+Andrej" in html


def test_corrected_brief_page_shows_its_version(client, brief):
    for day, note in ((28, "Typo."), (2, "Figure fixed.")):
        month = 5 if day == 28 else 6
        at = datetime.datetime(2025, month, day, 12, tzinfo=datetime.UTC)
        factories.publish(brief, at=at, note=note)
    html = client.get("/briefs/balkan-military-alliances/").content.decode()
    assert "version 3, updated 2025-06-02" in html


def test_citation_meta_tags_for_reference_managers(brief):
    html = Edition.objects.get(brief=brief, is_current=True).head_html
    assert f'<meta name="citation_title" content="{TITLE}">' in html
    assert html.index('content="Velebit, Vuk"') < html.index(
        'content="Cvejanov, Andrej"'
    )
    assert '<meta name="citation_publication_date" content="2025/05/21">' in html
    assert (
        f'<meta name="citation_pdf_url" content="{SITE}/briefs/'
        'balkan-military-alliances.pdf">' in html
    )
    assert 'content="Pupin Initiative (Пупин Иницијатива)"' in html


# The permanent link -------------------------------------------------------------------


def test_permanent_link_redirects_to_the_current_slug(client, brief):
    response = client.get(f"/b/{brief.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/briefs/balkan-military-alliances/"
    # Renamed through the write function, which renames its editions too.
    change_brief_slug(brief=brief, new_slug="new-military-alliances")
    assert (
        client.get(f"/b/{brief.pk}/")["Location"] == "/briefs/new-military-alliances/"
    )


def test_permanent_link_of_a_withdrawn_brief_leads_to_its_page(client, db):
    brief = factories.make_brief(
        slug="gone",
        status=Status.WITHDRAWN,
        withdrawn_reason="Superseded.",
        published_at=timezone.now() - datetime.timedelta(days=3),
    )
    response = client.get(f"/b/{brief.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/briefs/gone/"


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": Status.DRAFT},
        {"published_at": timezone.now() + datetime.timedelta(days=2)},
        {"deleted_at": timezone.now()},
    ],
    ids=["draft", "scheduled", "trashed"],
)
def test_permanent_link_of_an_unpublished_brief_is_404(client, db, overrides):
    brief = factories.make_brief(**overrides)
    assert client.get(f"/b/{brief.pk}/").status_code == 404


def test_permanent_link_of_an_unknown_id_is_404(client, db):
    assert client.get("/b/999999999/").status_code == 404
    # Beyond any database integer: still a 404, never a 500.
    assert client.get("/b/99999999999999999999999999/").status_code == 404


def test_only_the_edition_renderer_builds_citation_records():
    """Every surface cites from the record an edition stored; building one from
    a brief happens only when an edition (or the admin's would-be edition) is
    rendered, in publishing/editions.py."""
    root = Path(__file__).resolve().parents[2]
    callers = set()
    for path in root.glob("*/**/*.py"):
        relative = path.relative_to(root)
        if relative.parts[0] in {"tests", ".venv", "bench"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", ""))
                == "citation_record"
            ):
                callers.add(str(relative))
    assert callers == {"publishing/editions.py"}


def test_the_stored_record_gives_the_editions_date_and_number(brief):
    corrected(brief)
    edition = Edition.objects.get(brief=brief, is_current=True)
    record = record_of(brief)
    assert (record.issued, record.version) == (edition.public_date, edition.number)
    assert (record.issued, record.version) == (datetime.date(2025, 5, 21), 3)
    assert record.version_date == edition.updated_on == datetime.date(2025, 6, 2)


# --- In the reader's language and script ----------------------------------------

SR_TITLE = "Да ли супарнички савези чине Балкан безбеднијим?"
SR_TITLE_LATIN = "Da li suparnički savezi čine Balkan bezbednijim?"


def get_as(client, language: str, name: str, **kwargs):
    """GET a public address as readers of `language` do (/sr/…, /sr-latn/…)."""
    with translation.override(language):
        response = client.get(reverse(name, kwargs=kwargs))
    return response


@pytest.fixture
def serbian_brief(db) -> Brief:
    """Written in Cyrillic; its people carry their (Latin) English names."""
    return factories.make_brief(
        title=SR_TITLE,
        slug="savezi",
        language="sr-Cyrl",
        summary="Супарнички мини-савези на Западном Балкану.",
        publication_date=datetime.date(2025, 5, 21),
        authors=[factories.make_person(name="Petar Ivić")],
        topics=[factories.make_topic(name="Безбедност", slug="bezbednost")],
    )


def test_a_serbian_brief_is_cited_in_each_script(serbian_brief):
    record = record_of(serbian_brief)
    cyrillic, latin = record_in(record, "sr"), record_in(record, "sr-latn")
    assert (cyrillic.title, cyrillic.authors[0].natural) == (SR_TITLE, "Петар Ивић")
    assert (latin.title, latin.authors[0].natural) == (SR_TITLE_LATIN, "Petar Ivić")
    assert latin.abstract == "Suparnički mini-savezi na Zapadnom Balkanu."
    assert (cyrillic.keywords, latin.keywords) == (("Безбедност",), ("Bezbednost",))
    assert (cyrillic.language, latin.language) == ("sr-Cyrl", "sr-Latn")
    # One key in both scripts: a bibliography keeps it when the reader switches.
    assert cyrillic.key == latin.key == f"ivic2025da-{serbian_brief.pk}"
    # English readers get it as its editor wrote it.
    assert record_in(record, "en") == record


def test_an_english_brief_keeps_its_english_citation_in_every_language(brief):
    record = record_of(brief)
    assert record_in(record, "sr") == record_in(record, "sr-latn") == record


@pytest.mark.parametrize(
    ("language", "title", "author", "langid", "tag"),
    [
        ("sr", SR_TITLE, ("Петар", "Ивић"), "serbianc", "sr-Cyrl"),
        ("sr-latn", SR_TITLE_LATIN, ("Petar", "Ivić"), "serbian", "sr-Latn"),
    ],
)
def test_bibtex_of_a_serbian_brief_is_in_the_pages_script(
    client, serbian_brief, language, title, author, langid, tag
):
    response = get_as(client, language, "briefs:cite", slug="savezi", ext="bib")
    assert response["Content-Language"] == tag
    library = bibtexparser.parse_string(
        response.content.decode(),
        append_middleware=[SeparateCoAuthors(), SplitNameParts()],
    )
    assert library.failed_blocks == []
    fields = {field.key: field.value for field in library.entries[0].fields}
    assert fields["title"] == "{" + title + "}"
    assert [(n.first, n.last) for n in fields["author"]] == [([author[0]], [author[1]])]
    # biblatex: the language by name, babel's module (serbianc: Cyrillic).
    assert (fields["language"], fields["langid"]) == ("serbian", langid)


@pytest.mark.parametrize(
    ("language", "title", "author", "tag"),
    [
        ("sr", SR_TITLE, "Ивић, Петар", "sr-Cyrl"),
        ("sr-latn", SR_TITLE_LATIN, "Ivić, Petar", "sr-Latn"),
    ],
)
def test_ris_of_a_serbian_brief_is_in_the_pages_script(
    client, serbian_brief, language, title, author, tag
):
    response = get_as(client, language, "briefs:cite", slug="savezi", ext="ris")
    (entry,) = rispy.loads(response.content.decode())
    assert (entry["title"], entry["authors"], entry["language"]) == (
        title,
        [author],
        tag,
    )


@pytest.mark.filterwarnings("ignore:The following arguments for Reference")
@pytest.mark.parametrize(
    ("language", "title", "cited", "locale"),
    [
        ("sr", SR_TITLE, "Ивић, П. (2025)", "sr-Cyrl-RS"),
        ("sr-latn", SR_TITLE_LATIN, "Ivić, P. (2025)", "sr-Latn-RS"),
        ("en", SR_TITLE, "Ivić, P. (2025)", "sr-Cyrl-RS"),
    ],
)
def test_csl_json_of_a_serbian_brief_carries_its_locale(
    client, serbian_brief, language, title, cited, locale
):
    response = get_as(client, language, "briefs:cite", slug="savezi", ext="json")
    (item,) = data = json.loads(response.content)
    assert (item["title"], item["language"]) == (title, locale)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(
        style, CiteProcJSON(data), formatter.plain
    )
    bibliography.register(Citation([CitationItem(item["id"])]))
    (rendered,) = [str(entry) for entry in bibliography.bibliography()]
    assert cited in rendered and title in rendered


@pytest.mark.parametrize("language", ["en", "sr", "sr-latn"])
def test_an_english_briefs_files_are_english_on_every_language(client, brief, language):
    response = get_as(
        client, language, "briefs:cite", slug="balkan-military-alliances", ext="bib"
    )
    assert response["Content-Language"] == "en"
    text = response.content.decode()
    assert TITLE in text and "Velebit, Vuk" in text
    assert "langid = {english}" in text


@pytest.mark.parametrize("language", ["sr", "sr-latn"])
def test_serbian_citation_files_cost_the_same_queries(
    client, serbian_brief, language, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = get_as(client, language, "briefs:cite", slug="savezi", ext="bib")
    assert response.status_code == 200


def test_a_serbian_title_escapes_once_in_bibtex(db):
    factories.make_brief(slug="troskovi", language="sr-Latn", title="Troškovi & 50%")
    for language in ("sr", "sr-latn"):
        response = get_as(Client(), language, "briefs:cite", slug="troskovi", ext="bib")
        text = response.content.decode()
        assert text.count(r"\&") == 1 and text.count(r"\%") == 1
    assert (
        r"title = {{Трошкови \& 50\%}}"
        in get_as(
            Client(), "sr", "briefs:cite", slug="troskovi", ext="bib"
        ).content.decode()
    )


def _corrected_with_editor(record: CitationRecord) -> CitationRecord:
    return replace(
        record,
        version=2,
        version_date=datetime.date(2025, 6, 2),
        authors=record.authors + (CitationName.parse("Ana Petrović"),),
        contributors=(
            Contributor(CitationName.parse("Marko Marković"), Role.EDITOR),
            Contributor(CitationName.parse("Jelena Jović"), Role.TRANSLATOR),
        ),
    )


def test_a_serbian_brief_is_cited_with_serbian_words_in_the_readers_script(
    serbian_brief,
):
    record = _corrected_with_editor(record_of(serbian_brief))
    cyrillic, latin = record_in(record, "sr"), record_in(record, "sr-latn")

    chicago = format_chicago(cyrillic)
    assert "Ивић, Петар и Ана Петровић. 2025." in chicago
    assert "Уредник: Марко Марковић. Превод: Јелена Јовић." in chicago
    assert "верзија 2, ажурирана 2025-06-02" in chicago
    assert "(верзија 2, ажурирана 2025-06-02)" in format_apa(cyrillic)
    mla = format_mla(latin)
    assert mla.startswith("Ivić, Petar i Ana Petrović. ")
    assert "Urednik: Marko Marković, prevod: Jelena Jović, verzija 2" in mla
    assert "21. maj 2025" in mla
    assert "Edited by" not in chicago + mla


def test_an_english_brief_is_cited_with_english_words_on_serbian_pages(brief):
    record = _corrected_with_editor(record_of(brief))

    chicago = format_chicago(record_in(record, "sr"))
    assert "Edited by Marko Marković. Translated by Jelena Jović." in chicago
    assert "version 2, updated 2025-06-02" in chicago
