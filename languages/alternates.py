"""Addresses of one page in each public language, and how a reader chooses one.

`alternates(path)` is the one place that answers "where is this page in
English, in Serbian Cyrillic, in Serbian Latin?": the `<link rel="alternate"
hreflang>` set, the sitemap's alternates and the language switcher all read
it. By default a page's other languages are the same address with the
language prefix changed (`translate_url`); a view whose page has a better
counterpart in another language (a brief translated into another brief)
passes `paths` and puts the result in its context as `alternates`, which
overrides the default the context processor gives every page.
"""

import functools
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from languages.codes import ENGLISH, PUBLIC_LANGUAGES

X_DEFAULT = "x-default"


class Alternate(NamedTuple):
    hreflang: str  # BCP 47 tag (en, sr-Cyrl, sr-Latn) or "x-default"
    url: str  # absolute, under SITE_URL


# Addresses longer than this (a page's path and its query) are worked out
# per request rather than kept: the caches below hold real pages' addresses,
# never a client's arbitrarily long ones.
CACHED_ADDRESS_MAX = 300


def language_path(path: str, code: str) -> str:
    """`path` (a page of the site, in any language) as it reads in language `code`.

    Addresses outside the prefixed site (API, admin, an unknown path) come back
    unchanged. Kept per process (the URL configuration does not change under
    it): resolving and reversing each page in three languages was a fifth of
    an uncached brief page's work.
    """
    if len(path) > CACHED_ADDRESS_MAX:
        return _language_path(path, code)
    return _kept_language_path(path, code)


def _language_path(path: str, code: str) -> str:
    with translation.override(translation.get_language_from_path(path) or ENGLISH):
        return translate_url(path, code)


_kept_language_path = functools.lru_cache(maxsize=4096)(_language_path)


def alternates(path: str, paths: dict[str, str] | None = None) -> list[Alternate]:
    """Every public language's address of the page at `path`, then x-default.

    Empty for an address that is not a page of the prefixed site.

    `paths` maps a language code to the path of that language's counterpart
    when it is not simply `path` with another prefix. x-default is the English
    address: the unprefixed site is what a reader with no language gets.
    """
    paths = paths or {}
    found = [
        Alternate(
            language.tag,
            settings.SITE_URL + (paths.get(code) or language_path(path, code)),
        )
        for code, language in PUBLIC_LANGUAGES.items()
    ]
    if len({alternate.url for alternate in found}) == 1:
        return []  # not a page of the prefixed site (admin, API, unknown address)
    return [*found, Alternate(X_DEFAULT, found[0].url)]


# Stand for the two per-page parts in a page shell (see templatetags).
ALTERNATES_MARK = "\x00alternates\x00"
SWITCHER_MARK = "\x00switcher\x00"


def alternate_links_html(found: list[Alternate]) -> SafeString:
    """`<link rel="alternate" hreflang>` for each alternate."""
    return format_html_join(
        "\n  ",
        '<link rel="alternate" hreflang="{}" href="{}">',
        ((alternate.hreflang, alternate.url) for alternate in found),
    )


def switcher_links(found: list[Alternate], query: str = "") -> list[dict]:
    """The switcher's links: each language's counterpart, through choose_language.

    Each link remembers the choice (the language cookie) and redirects to
    the counterpart, keeping the query string (a search, a filter).
    """
    by_tag = dict(found)
    current = translation.get_language()
    links = []
    for code, language in PUBLIC_LANGUAGES.items():
        if language.tag not in by_tag:
            continue
        target = urlsplit(by_tag[language.tag]).path + (f"?{query}" if query else "")
        href = _choose_language_path(code)
        links.append(
            {
                "language": language,
                "target": target,
                "href": f"{href}?{urlencode({'next': target})}",
                "current": code == current,
            }
        )
    return links


@functools.lru_cache(maxsize=len(PUBLIC_LANGUAGES))
def _choose_language_path(code: str) -> str:
    return reverse("choose-language", args=[code])  # outside the prefixes


def switcher_html(found: list[Alternate], query: str = "") -> SafeString:
    """The language switcher: a named navigation of plain links, each in its
    own language; the two Serbian ones say their script to a screen reader
    (they sound alike), the current one is marked for it too. Written here
    rather than as a template: it is on every page, and a template's
    rendering cost more than the rest of the switcher's work."""
    links = switcher_links(found, query)
    if not links:
        return mark_safe("")
    items = format_html_join(
        "",
        '<li><a href="{}" lang="{}" hreflang="{}" rel="nofollow"{}{}>{}</a></li>',
        (
            (
                link["href"],
                link["language"].tag,
                link["language"].tag,
                mark_safe(' aria-current="page"') if link["current"] else "",
                format_html(
                    ' aria-label="{}, {}"',
                    link["language"].name,
                    link["language"].script_name,
                )
                if link["language"].script_name
                else "",
                link["language"].name,
            )
            for link in links
        ),
    )
    return format_html(
        '<nav class="language-switcher" aria-label="{}">\n  <ul>{}</ul>\n</nav>',
        translation.gettext("Language"),
        items,
    )


def fill_page_links(
    page: str, request: HttpRequest, found: list[Alternate] | None = None
) -> str:
    """A prepared page with its shell's markers replaced for this request."""
    query = request.META.get("QUERY_STRING", "")
    if found is None:
        build = (
            _default_page_links
            if len(request.path) + len(query) <= CACHED_ADDRESS_MAX
            else _default_page_links.__wrapped__
        )
        links, switcher = build(
            request.path, query, translation.get_language(), settings.SITE_URL
        )
    else:
        links, switcher = alternate_links_html(found), switcher_html(found, query)
    return page.replace(ALTERNATES_MARK, links).replace(SWITCHER_MARK, switcher)


@functools.lru_cache(maxsize=4096)
def _default_page_links(
    path: str, query: str, language: str, site_url: str
) -> tuple[str, str]:
    """The hreflang links and the switcher of a page whose counterparts are
    its own address in each language, for the active `language` (and the
    site's address): the same for every request of that address, so kept
    per process."""
    found = alternates(path)
    return alternate_links_html(found), switcher_html(found, query)
