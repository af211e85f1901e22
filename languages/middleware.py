"""Which language a request is answered in.

Django's LocaleMiddleware with `i18n_patterns(prefix_default_language=False)`
answers every unprefixed address in English, the admin's too. This subclass
keeps that for the public site and adds what the archive's readers and
editors need:

- An address with a prefix (/sr/…, /sr-latn/…) is answered in that language,
  always: the address alone decides, so a page cache keyed on the path can
  never mix languages.
- An unprefixed public page is English, except on a reader's arrival: when
  the reader's remembered choice (the language cookie, set by the switcher)
  or, without one, the browser's Accept-Language prefers Serbian, a GET is
  redirected to the same page under /sr/ or /sr-latn/ (Latin when the header
  asks for sr-Latn). Those answers, and the English page, depend on the
  cookie and the header, so they carry `Vary: Accept-Language, Cookie`.
- The admin (unprefixed, not a public page) is in the editor's language:
  the cookie, else Accept-Language, else English.
- Everything else unprefixed (API, OAI-PMH, sitemap, robots.txt, permalinks)
  is English whatever the request says: its content is a stable contract.

Content-Language is the BCP 47 tag (en, sr-Cyrl, sr-Latn), not Django's code.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from languages.alternates import language_path
from languages.codes import (
    ENGLISH,
    PUBLIC_LANGUAGES,
    SERBIAN_CYRILLIC,
    accepted_language,
    public_language,
)

NEGOTIATED = "negotiated"  # request.language_source: cookie/header decided
PREFIX = "prefix"  # the address's prefix decided
FIXED = "fixed"  # English by rule (API, feeds' machinery, unknown paths)


def preferred_language(request: HttpRequest) -> str:
    """The reader's language: the remembered choice, else the browser's wish
    as the partner API reads it too (codes.accepted_language)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in PUBLIC_LANGUAGES:
        return chosen
    return accepted_language(request.headers.get("Accept-Language", "")[:255])


def _admin_prefix() -> str | None:
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return None


def is_admin(path: str) -> bool:
    admin = _admin_prefix()
    return bool(admin) and path.startswith(admin)


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        path = request.path_info
        from_path = translation.get_language_from_path(path)
        admin = not from_path and is_admin(path)
        public = not from_path and not admin and _is_public_page(path)
        if from_path:
            language, source = from_path, PREFIX
        elif admin:
            language, source = preferred_language(request), NEGOTIATED
        elif public:
            language, source = ENGLISH, NEGOTIATED
        else:
            language, source = ENGLISH, FIXED
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        request.language_source = source
        if public and request.method in ("GET", "HEAD"):
            # English, unless the reader prefers Serbian (the remembered
            # choice, else the browser): then the same page in Serbian.
            wanted = preferred_language(request)
            if wanted != ENGLISH:
                return self._redirect(request, wanted)
        return None

    def _redirect(self, request: HttpRequest, language: str) -> HttpResponse:
        target = language_path(request.path_info, language)
        query = request.META.get("QUERY_STRING", "")
        response = HttpResponseRedirect(f"{target}?{query}" if query else target)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def process_response(
        self, request: HttpRequest, response: HttpResponse
    ) -> HttpResponse:
        if getattr(request, "language_source", None) == NEGOTIATED:
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        language = public_language(translation.get_language())
        response.headers.setdefault("Content-Language", language.tag)
        return response


def _is_public_page(path: str) -> bool:
    """Is `path` a page of the prefixed site (it has a Serbian address)?"""
    return language_path(path, SERBIAN_CYRILLIC) != path
