"""Each edition's PDF: rendered once from the edition, stored under its own name.

One PDF per edition and script. A Serbian brief is printed in both
scripts, Cyrillic for /sr/ and Latin for /sr-latn/, each with its title
page, contents and page numbers in that language; its English page links
the PDF in the script its editor wrote it in (the document is Serbian
either way). An English brief has one PDF, in English, which its Serbian
pages link too: its text is English, a Serbian title page on it would make
a document in two languages, and two more WeasyPrint runs (the slow part of
publishing) would buy nothing. `pdf_language` is that rule.

The name holds the edition's id and a hash of the HTML it is rendered from,
so re-rendering an edition (a renamed address) makes a new file, and a
reader never gets a PDF of another version. Publishing renders it after the
transaction commits, in a background thread; a request that comes first
renders it itself and stores the file (a file, never a database row: GET
requests do not write to the database).
"""

import hashlib
import logging
import posixpath
import threading

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import close_old_connections, transaction
from django.utils import translation

from languages import codes
from publishing import pdf
from publishing.models import Edition, rendered
from publishing.pdf import PDFUnavailable, pdf_html

logger = logging.getLogger(__name__)

PDF_DIR = "editions/pdf"


def pdf_languages(content_language: str) -> tuple[str, ...]:
    """The languages a brief written in `content_language` is printed in."""
    if codes.is_serbian(content_language):
        return (codes.SERBIAN_CYRILLIC, codes.SERBIAN_LATIN)
    return (codes.ENGLISH,)


def pdf_language(content_language: str, language: str | None = None) -> str:
    """Which of the brief's PDFs readers of `language` (default: the active
    language) get: their own script's for a Serbian brief on a Serbian page,
    the editor's script on the English page, English for an English brief."""
    if not codes.is_serbian(content_language):
        return codes.ENGLISH
    reader = codes.public_language(language or translation.get_language())
    if codes.is_serbian(reader.code):
        return reader.code
    return codes.content_public_language(content_language).code


def edition_pdf_html(edition: Edition, language: str | None = None) -> str:
    """The HTML of the edition's PDF for readers of `language` (see pdf_language).

    From the edition's snapshot restored in that language's script and the
    citation record the edition stored for it (one query), with the
    language active for the PDF's own words.
    """
    from publishing.citations import record_from_json
    from publishing.editions import history_of, restore_brief

    language = pdf_language(edition.language, language)
    citation = (
        Edition.objects.filter(pk=edition.pk)
        .rendered_in(language, "citation")
        .values_list(rendered("citation"), flat=True)
        .get()
    )
    with translation.override(language):
        brief = restore_brief(edition, history_of(edition), language)
        return pdf_html(brief, record=record_from_json(citation))


def edition_pdf_name(edition: Edition, html: str, language: str) -> str:
    digest = hashlib.sha256(html.encode()).hexdigest()[:16]
    return posixpath.join(
        PDF_DIR, str(edition.brief_id), f"{edition.pk}-{language}-{digest}.pdf"
    )


def ensure_edition_pdf(edition: Edition, language: str | None = None) -> str:
    """The storage name of the edition's PDF for readers of `language` (default:
    the active language; see pdf_language), rendering and storing it if needed."""
    language = pdf_language(edition.language, language)
    html = edition_pdf_html(edition, language)
    name = edition_pdf_name(edition, html, language)
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(pdf.render_pdf(html)))
        logger.info("Rendered %s", name)
    return name


def _render_in_background(edition_id: int) -> None:
    def run() -> None:
        try:
            edition = Edition.objects.filter(pk=edition_id).first()
            if edition is not None:
                # One after the other, in this one thread: a Serbian brief's
                # two scripts, an English brief's one PDF.
                for language in pdf_languages(edition.language):
                    ensure_edition_pdf(edition, language)
        except PDFUnavailable:
            logger.warning(
                "No PDF for edition %s: WeasyPrint is unavailable", edition_id
            )
        except Exception:  # a reader's request will try again
            logger.exception("Rendering the PDF of edition %s failed", edition_id)
        finally:
            close_old_connections()

    threading.Thread(target=run, name=f"edition-pdf-{edition_id}", daemon=True).start()


def render_after_commit(edition: Edition) -> None:
    """Have the edition's PDF ready before most readers ask for it.

    Off with EDITION_PDF_AFTER_PUBLISH=0 (tests: no threads behind their back).
    """
    from django.conf import settings

    if getattr(settings, "EDITION_PDF_AFTER_PUBLISH", True):
        transaction.on_commit(lambda: _render_in_background(edition.pk), robust=True)
