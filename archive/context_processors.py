from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from languages.alternates import alternates
from languages.codes import public_language


def site(request: HttpRequest) -> dict:
    """The publisher (footer, citations), the page's canonical address and language.

    The canonical address is under SITE_URL, not the request's host, and drops
    the query string: a filtered or paginated view is not a separate document.
    `alternates` is the page's address in each public language (hreflang links,
    the language switcher); a view whose page has a better counterpart puts
    its own `alternates` in the context, which wins over this one.
    """
    return {
        "publisher": settings.PUBLISHER,
        "contact_email": settings.CONTACT_EMAIL,
        "canonical_url": f"{settings.SITE_URL}{request.path}",
        "alternates": alternates(request.path),
        "page_language": public_language(translation.get_language()),
    }
