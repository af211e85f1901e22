"""The language switcher's one view: remember the reader's choice, go on reading."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from languages.alternates import language_path
from languages.codes import PUBLIC_LANGUAGES

# A year: the choice is a preference, not a session.
COOKIE_AGE = 365 * 24 * 60 * 60


@require_GET
def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """`/language/<code>/?next=<path>`: set the language cookie, then show `next`.

    The switcher's links come here with `next` already the page's address in
    the chosen language (languages.alternates.alternates), so the reader stays on
    the same item. A `next` that is not a path on this site is replaced by
    the chosen language's home page. Setting a cookie is not a write: no
    database is touched, and the answer is never cached (it is a redirect).
    """
    if code not in PUBLIC_LANGUAGES:
        raise Http404("No such language.")
    target = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not safe or not target.startswith("/"):
        target = language_path("/", code)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    response["Cache-Control"] = "no-store"
    return response
