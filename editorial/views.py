"""The one page editorial shows outside the admin: a shared draft's preview.

Everything else editorial does happens in the admin (editorial/admin.py).
"""

import math

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from briefs.hooks import render_preview
from editorial.admin import SCRIPTS, preview_copy
from editorial.sharing import ShareLinkThrottle, find_share_link, log_share_use
from languages.codes import content_public_language, is_serbian


def _private(response: HttpResponse) -> HttpResponse:
    """Never cached, indexed, or named to another site (the token is the key)."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def shared_preview(request: HttpRequest, token: str) -> HttpResponse:
    """A brief's preview for whoever holds an active share link; reads only.

    An unknown token is a 404; an expired or revoked one a 410 that says
    which, and nothing about the brief. The use is logged to the
    application log and the cache (editorial/sharing.py), not the database.
    """
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    throttle = ShareLinkThrottle()
    if not throttle.allow_request(request, None):
        wait = math.ceil(throttle.wait() or 1)
        response = _private(
            render(
                request,
                "editorial/share_gone.html",
                {
                    "heading": _("Too many requests"),
                    "message": ngettext(
                        "Too many requests from your address; try again in "
                        "%(wait)d second.",
                        "Too many requests from your address; try again in "
                        "%(wait)d seconds.",
                        wait,
                    )
                    % {"wait": wait},
                },
                status=429,
            )
        )
        response["Retry-After"] = str(wait)
        return response
    link = find_share_link(token)
    if link is None or link.brief.deleted_at is not None:
        return _private(
            render(
                request,
                "editorial/share_gone.html",
                {
                    "heading": _("No such link"),
                    "message": _(
                        "This share link does not exist. Check that it was "
                        "copied whole, or ask the person who sent it."
                    ),
                },
                status=404,
            )
        )
    if not link.is_active:
        message = (
            _("This share link has been withdrawn.")
            if link.revoked_at
            else _("This share link has expired.")
        )
        return _private(
            render(
                request,
                "editorial/share_gone.html",
                {
                    "heading": _("Link no longer valid"),
                    "message": message
                    + " "
                    + _("Ask the person who sent it for a new one."),
                },
                status=410,
            )
        )
    log_share_use(request, link)
    brief = link.brief
    script = request.GET.get("script", "")
    if script not in SCRIPTS or not is_serbian(brief.language):
        script = ""
    shown = preview_copy(brief, unsaved={}, script=script)
    # The brief's language (in the script asked for), whatever the visitor's
    # browser asks for.
    language = content_public_language(shown.language)
    with translation.override(language.code):
        response = render_preview(request, shown, script=script)
        response.render()
    response["Content-Language"] = language.tag
    return _private(response)
