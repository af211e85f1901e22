"""The printable PDF of a published brief, made once per version and stored.

The PDF is rendered with WeasyPrint from `templates/briefs/brief_pdf.html`:
a title page (authors, date, version, licence, permanent link, DOI, how to
cite), the table of contents with page numbers, the body with its tables and
footnotes, the recommendations, and page numbers on every page after the first.

A PDF is stored under `MEDIA_ROOT/briefs/pdf/<id>/` with a name made of the
slug, the version and a hash of the HTML it was rendered from. Any change to
what the PDF prints — a correction, a new author, an edited paragraph, a new
slug — gives a new name, so the next request renders the new version once,
and the old file is removed; every other request streams the stored file.

WeasyPrint needs Pango (and HarfBuzz) from the operating system; see the
README and `make system-deps`. It is imported only when a PDF is rendered, so
the rest of the site runs on a machine without them.
"""

import hashlib
import logging
import posixpath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from briefs.models import Brief, Role
from publishing.citations import CitationRecord, citation_record, format_apa

logger = logging.getLogger(__name__)

PDF_DIR = "briefs/pdf"


class PDFUnavailable(RuntimeError):
    """The PDF library or the system libraries it needs are missing."""


def pdf_html(brief: Brief, *, record: CitationRecord | None = None) -> str:
    """The HTML a brief's PDF is rendered from (deterministic: no clock in it).

    `record` is the edition's stored citation record when there is one.
    """
    record = record or citation_record(brief)
    return render_to_string(
        "briefs/brief_pdf.html",
        {
            "brief": brief,
            "record": record,
            "researchers": record.with_role(Role.RESEARCHER),
            "editors": record.with_role(Role.EDITOR),
            "translators": record.with_role(Role.TRANSLATOR),
            "apa": format_apa(record),
            "recommendations": brief.recommendations.all(),
            "publisher_addresses": settings.PUBLISHER.get("addresses", []),
        },
    )


def pdf_name(brief: Brief, html: str) -> str:
    """Where the PDF rendered from `html` is stored."""
    digest = hashlib.sha256(html.encode()).hexdigest()[:16]
    version = 1 + len(brief.corrections.all())
    return posixpath.join(
        PDF_DIR, str(brief.pk), f"{brief.slug}-v{version}-{digest}.pdf"
    )


def render_pdf(html: str) -> bytes:
    """Render HTML to PDF bytes. Nothing is fetched: only data: URLs load."""
    try:
        import weasyprint
    except OSError as error:  # Pango or its friends are not installed
        raise PDFUnavailable(
            "WeasyPrint cannot load Pango; run `make system-deps` (see README)."
        ) from error
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()


def ensure_brief_pdf(*, brief: Brief) -> str:
    """Return the storage name of the brief's current PDF, rendering it if needed.

    Called by the PDF view and the archive export; a publishing step may call
    it too, so that no reader waits for the first rendering.
    """
    html = pdf_html(brief)
    name = pdf_name(brief, html)
    if default_storage.exists(name):
        return name
    saved = default_storage.save(name, ContentFile(render_pdf(html)))
    folder = posixpath.dirname(saved)
    _, files = default_storage.listdir(folder)
    for old in files:
        if old != posixpath.basename(saved):
            # A superseded version: the permanent link always means the current one.
            default_storage.delete(posixpath.join(folder, old))
    logger.info("Rendered %s", saved)
    return saved
