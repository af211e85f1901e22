"""The printable PDF of a brief's edition: its HTML and the renderer.

Which PDF belongs to which edition, and where it is stored, is
publishing/pdfs.py's business; this module turns an edition (restored from
its snapshot) into HTML and the HTML into PDF bytes.

The PDF is rendered with WeasyPrint from `templates/briefs/brief_pdf.html`:
a title page (authors, date, version, licence, permanent link, DOI, how to
cite), the table of contents with page numbers, the body with its tables and
footnotes, the recommendations, and page numbers on every page after the first.

WeasyPrint needs Pango (and HarfBuzz) from the operating system; see the
README and `make system-deps`. It is imported only when a PDF is rendered, so
the rest of the site runs on a machine without them.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from briefs.models import Brief, Role
from languages.codes import public_language
from publishing.citations import CitationRecord, format_apa


class PDFUnavailable(RuntimeError):
    """The PDF library or the system libraries it needs are missing."""


def page_counter() -> str:
    """ "Page 2 of 9" in the active language, as a CSS `content` value."""
    text = _("Page {page} of {pages}").replace("\\", "").replace('"', "'")
    value = f'"{text}"'
    value = value.replace("{page}", '" counter(page) "')
    return value.replace("{pages}", '" counter(pages) "')


def pdf_html(brief: Brief, *, record: CitationRecord) -> str:
    """The HTML a brief's PDF is rendered from (deterministic: no clock in it).

    `brief` is an edition restored from its snapshot and `record` the
    citation record stored with that edition (publishing/pdfs.py), so the
    title page gives the same date and version as every other surface.
    The PDF's own words (title page, contents, page numbers) are in the
    active language (publishing/pdfs.py activates the PDF's), the brief's
    text in its language (`lang` says which).
    """
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
            "page_counter": page_counter(),
            "ui_language": public_language(get_language()).tag,
        },
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
