from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """The publisher's name and addresses, shown in every page's footer."""
    return {"publisher": settings.PUBLISHER}
