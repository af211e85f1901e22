"""`{% citation_for brief as cite %}`: what the "Cite this" box and the
citation meta tags show.

A tag rather than view context because both templates are included from the
brief page, whose view should not need to know about citations; the record
reads the contributions and topics the view already prefetched.
"""

from django import template
from django.urls import reverse

from briefs.models import Brief
from publishing.citations import citation_record, format_coins, formatted_citations

register = template.Library()


@register.simple_tag
def citation_for(brief: Brief) -> dict:
    record = citation_record(brief)
    return {
        "record": record,
        "styles": formatted_citations(record),
        "coins": format_coins(record),
        "downloads": [
            (label, reverse("briefs:cite", kwargs={"slug": brief.slug, "ext": ext}))
            for label, ext in (("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "json"))
        ],
        "pdf": reverse("briefs:pdf", kwargs={"slug": brief.slug}),
    }
