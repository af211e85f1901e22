"""The printable PDF: what a reader with a printer gets, made once per version."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from briefs.models import Status
from publishing import pdf
from publishing.models import Edition
from publishing.pdfs import edition_pdf_html
from tests import factories

BODY = """## Historical Background

The Balkan League of 1912 is the first example.[^1]

## Military Strength Comparison

| Category | Serbia–Hungary | Albania–Kosovo–Croatia |
|---|---|---|
| Main Combat Aircraft | 14 JAS-39 Gripens | 12 Rafales |
| Main Battle Tanks | 250–300 | 75 M-84s |

## Consequences

Closing paragraph of the test brief.

[^1]: Formed against the Ottoman Empire.
"""


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://archive.example.org"
    return tmp_path


@pytest.fixture
def brief(db):
    return factories.make_brief(
        title="Do Rival Pacts Make the Balkans Safer?",
        slug="alliances",
        body=BODY,
        publication_date=datetime.date(2025, 5, 21),
        authors=[
            factories.make_person(name="Vuk Velebit"),
            factories.make_person(name="Andrej Cvejanov"),
        ],
        researchers=[factories.make_person(name="Petar Ivić")],
        recommendations=2,
    )


@pytest.fixture
def fake_renderer(monkeypatch) -> list[str]:
    """Count renderings without paying for WeasyPrint."""
    calls: list[str] = []

    def render(html: str) -> bytes:
        calls.append(html)
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(pdf, "render_pdf", render)
    return calls


def pages_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_pdf_has_everything_a_reader_prints(client, brief):
    response = client.get("/briefs/alliances.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="alliances.pdf"' in response["Content-Disposition"]
    pages = pages_text(b"".join(response.streaming_content))
    title_page, contents = pages[0], pages[1]
    flat = lambda text: " ".join(text.split())  # noqa: E731
    assert "Do Rival Pacts Make the Balkans Safer?" in flat(title_page)
    assert "Vuk Velebit, Andrej Cvejanov" in flat(title_page)
    assert "Research: Petar Ivić" in flat(title_page)
    assert "21 May 2025" in title_page
    # The licence as the brief states it (none chosen: all rights reserved).
    assert "All rights reserved" in flat(title_page)
    assert f"https://archive.example.org/b/{brief.pk}/" in flat(title_page)
    assert "Пупин Иницијатива" in title_page
    # The table of contents lists each section with the page it starts on.
    assert "Contents" in contents
    assert re.search(r"Military Strength Comparison\W*\d", contents)
    assert re.search(r"Recommendations\W*\d", contents)
    body = flat(" ".join(pages[2:]))
    assert "14 JAS-39 Gripens" in body and "75 M-84s" in body  # the table
    assert "Formed against the Ottoman Empire." in body  # the footnote
    assert "Recommendation 1" in body and "Do thing 2." in body
    # Page numbers on every page but the title page.
    assert "Page" not in title_page
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {len(pages)}" in text


def test_pdf_is_rendered_once_per_edition_and_stored(
    client, brief, fake_renderer, media_root
):
    for _ in range(3):
        assert client.get("/briefs/alliances.pdf").status_code == 200
    assert len(fake_renderer) == 1
    folder = media_root / "editions" / "pdf" / str(brief.pk)
    (first,) = folder.iterdir()

    factories.publish(
        brief,
        at=datetime.datetime(2025, 6, 2, 12, tzinfo=datetime.UTC),
        note="Figure fixed.",
    )
    assert client.get("/briefs/alliances.pdf").status_code == 200
    assert client.get("/briefs/alliances.pdf").status_code == 200
    assert len(fake_renderer) == 2
    assert "Version 2, updated 2025-06-02" in fake_renderer[-1]
    # Version 1 keeps a PDF at its own address, which it now cites itself by.
    for _ in range(2):
        assert client.get("/briefs/alliances/v1.pdf").status_code == 200
    assert len(fake_renderer) == 3
    assert "/briefs/alliances/v1/" in fake_renderer[-1]
    assert first.exists()


def test_an_unpublished_edit_changes_no_pdf(client, brief, fake_renderer):
    client.get("/briefs/alliances.pdf")
    brief.body += "\nOne more paragraph.\n"
    brief.save()
    client.get("/briefs/alliances.pdf")
    assert len(fake_renderer) == 1
    factories.publish(brief, at=timezone.now(), note="A paragraph added.")
    client.get("/briefs/alliances.pdf")
    assert len(fake_renderer) == 2
    assert "One more paragraph." in fake_renderer[-1]


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": Status.DRAFT},
        {"published_at": timezone.now() + datetime.timedelta(days=2)},
        {"deleted_at": timezone.now()},
        {"status": Status.WITHDRAWN, "withdrawn_reason": "Wrong figures."},
    ],
    ids=["draft", "scheduled", "trashed", "withdrawn"],
)
def test_unpublished_briefs_have_no_pdf(client, db, fake_renderer, overrides):
    factories.make_brief(slug="hidden", **overrides)
    assert client.get("/briefs/hidden.pdf").status_code == 404
    assert fake_renderer == []


def test_missing_pdf_library_is_a_503_not_a_500(client, brief, monkeypatch):
    def broken(html: str) -> bytes:
        raise pdf.PDFUnavailable("no Pango")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    assert client.get("/briefs/alliances.pdf").status_code == 503


def test_pdf_html_escapes_user_text_and_fetches_nothing(db, fake_renderer):
    brief = factories.make_brief(
        title="<img src=http://evil.example/x.png>",
        body="<img src='http://evil.example/y.png'> text",
    )
    html = edition_pdf_html(Edition.objects.get(brief=brief))
    assert "<img" not in html


# --- In each language and script ---------------------------------------------------

SR_BODY = """## Историјат

Балкански савез из 1912. године је први пример.

## Закључак

Завршни пасус.
"""


@pytest.fixture
def serbian(db):
    return factories.make_brief(
        title="Да ли супарнички савези чине Балкан безбеднијим?",
        slug="savezi",
        language="sr-Cyrl",
        body=SR_BODY,
        publication_date=datetime.date(2025, 5, 21),
        authors=[factories.make_person(name="Petar Ivić")],
    )


def get_pdf_as(client, language: str, slug: str):
    with translation.override(language):
        response = client.get(reverse("briefs:pdf", kwargs={"slug": slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def embedded_fonts(content: bytes) -> set[str]:
    """The base names of the fonts the PDF carries inside it (a font file)."""
    found = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            if any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            ):
                found.add(str(font["/BaseFont"]))
    return found


def test_a_serbian_brief_prints_in_cyrillic_with_its_fonts_embedded(client, serbian):
    content = get_pdf_as(client, "sr", "savezi")
    text = " ".join(" ".join(page.split()) for page in pages_text(content))
    # Cyrillic comes back out of the PDF: the glyphs map back to their letters.
    assert "Да ли супарнички савези чине Балкан безбеднијим?" in text
    assert "Петар Ивић" in text
    assert "Балкански савез из 1912. године је први пример." in text
    fonts = embedded_fonts(content)
    assert fonts and all("DejaVu" in name for name in fonts), fonts


def test_a_serbian_brief_prints_in_latin_on_the_latin_pages(client, serbian):
    content = get_pdf_as(client, "sr-latn", "savezi")
    text = " ".join(" ".join(page.split()) for page in pages_text(content))
    assert "Da li suparnički savezi čine Balkan bezbednijim?" in text
    assert "Petar Ivić" in text
    assert "Balkanski savez iz 1912. godine je prvi primer." in text
    assert "Балкан" not in text


def test_each_script_has_its_pdf_and_the_english_page_links_the_editors(
    client, serbian, fake_renderer, media_root
):
    for language in ("sr", "sr-latn", "en", "sr", "sr-latn", "en"):
        get_pdf_as(client, language, "savezi")
    # Two documents, each rendered once; the English page serves the Cyrillic
    # one (the script the brief was written in).
    assert len(fake_renderer) == 2
    cyrillic, latin = fake_renderer
    assert '<html lang="sr-Cyrl">' in cyrillic and "Балкан" in cyrillic
    assert '<html lang="sr-Latn">' in latin and "Balkan" in latin
    names = sorted(p.name for p in (media_root / "editions" / "pdf").rglob("*.pdf"))
    assert [name.split("-")[1] for name in names] == ["sr", "sr"]
    assert any("-sr-latn-" in name for name in names)


def test_an_english_brief_has_one_pdf_for_every_language(client, brief, fake_renderer):
    for language in ("en", "sr", "sr-latn"):
        get_pdf_as(client, language, "alliances")
    assert len(fake_renderer) == 1
    assert '<html lang="en">' in fake_renderer[0]


def test_the_pdfs_own_words_are_in_its_language(db, serbian, fake_renderer):
    edition = Edition.objects.get(brief=serbian)
    for language in ("sr", "sr-latn"):
        html = edition_pdf_html(edition, language)
        with translation.override(language):
            assert translation.gettext("Contents") in html
            tag = "sr-Cyrl" if language == "sr" else "sr-Latn"
            assert f'<h2 id="toc-h" lang="{tag}">' in html
    english = edition_pdf_html(Edition.objects.get(brief=serbian), "en")
    assert '<html lang="sr-Cyrl">' in english  # the editor's script


@pytest.mark.django_db(transaction=True)
def test_publishing_renders_a_serbian_brief_in_both_scripts_in_the_background(
    settings, fake_renderer, media_root
):
    import threading

    settings.EDITION_PDF_AFTER_PUBLISH = True
    for make in (
        lambda: factories.make_brief(slug="savezi", title="Савези", language="sr-Cyrl"),
        lambda: factories.make_brief(slug="pacts", title="Pacts"),
    ):
        before = set(threading.enumerate())
        make()
        # One publication's thread at a time: SQLite locks a table that the
        # next publication writes while a thread reads it.
        for thread in set(threading.enumerate()) - before:
            thread.join(timeout=30)
    # Two for the Serbian brief, one for the English one: never three each.
    assert len(fake_renderer) == 3
