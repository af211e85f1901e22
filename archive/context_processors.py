from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """The publisher (footer, citations) and the page's canonical address.

    The canonical address is under SITE_URL, not the request's host, and drops
    the query string: a filtered or paginated view is not a separate document.
    """
    return {
        "publisher": settings.PUBLISHER,
        "canonical_url": f"{settings.SITE_URL}{request.path}",
    }
