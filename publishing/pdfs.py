"""Each edition's PDF: rendered once from the edition, stored under its own name.

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

from publishing import pdf
from publishing.models import Edition
from publishing.pdf import PDFUnavailable, pdf_html

logger = logging.getLogger(__name__)

PDF_DIR = "editions/pdf"


def edition_pdf_html(edition: Edition) -> str:
    from publishing.citations import record_from_json
    from publishing.editions import history_of, restore_brief

    brief = restore_brief(edition, history_of(edition))
    return pdf_html(brief, record=record_from_json(edition.citation))


def edition_pdf_name(edition: Edition, html: str) -> str:
    digest = hashlib.sha256(html.encode()).hexdigest()[:16]
    return posixpath.join(PDF_DIR, str(edition.brief_id), f"{edition.pk}-{digest}.pdf")


def ensure_edition_pdf(edition: Edition) -> str:
    """The storage name of the edition's PDF, rendering and storing it if needed."""
    html = edition_pdf_html(edition)
    name = edition_pdf_name(edition, html)
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(pdf.render_pdf(html)))
        logger.info("Rendered %s", name)
    return name


def _render_in_background(edition_id: int) -> None:
    def run() -> None:
        try:
            edition = Edition.objects.filter(pk=edition_id).first()
            if edition is not None:
                ensure_edition_pdf(edition)
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
