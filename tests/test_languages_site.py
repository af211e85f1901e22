"""The public site and the admin in English, Serbian Cyrillic and Serbian Latin.

English is unprefixed, Serbian Cyrillic is under /sr/, Serbian Latin under
/sr-latn/ (languages/codes.py). Every public page exists in all three, says
which it is (`<html lang>`, Content-Language), links to the other two and to
x-default (hreflang), and offers a switcher that keeps the reader on the same
item. A reader's first unprefixed visit may follow the browser's language; an
explicit choice (the switcher's cookie) wins afterwards.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from languages.alternates import language_path
from tests.site_world import SEED_SLUG, build_archive, public_urls

PREFIXES = {"en": "", "sr": "/sr", "sr-latn": "/sr-latn"}
TAGS = {"en": "en", "sr": "sr-Cyrl", "sr-latn": "sr-Latn"}
SITE = settings.SITE_URL

_HREFLANG = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')
_HTML_LANG = re.compile(r'<html lang="([^"]+)">')
_SWITCHER = re.compile(r'<nav class="language-switcher".*?</nav>', re.S)
_SWITCH_LINK = re.compile(
    r'<a href="([^"]+)" lang="([^"]+)" hreflang="([^"]+)" rel="nofollow"'
    r'( aria-current="page")?(?: aria-label="[^"]+")?>'
)


@pytest.fixture
def archive(db, settings, tmp_path, monkeypatch):
    from publishing import pdf

    settings.MEDIA_ROOT = tmp_path
    settings.API_ANON_RATE = "100000/min"
    monkeypatch.setattr(pdf, "render_pdf", lambda html: b"%PDF-1.7 test")
    return build_archive()


def is_page(url: str) -> bool:
    """Is this address a page of the prefixed site (it has a Serbian twin)?"""
    path = urlsplit(url).path
    return language_path(path, "sr") != path


def alternates_of(html: str) -> dict[str, str]:
    return dict(_HREFLANG.findall(html))


def expected_alternates(path: str) -> dict[str, str]:
    return {
        "en": SITE + path,
        "sr-Cyrl": SITE + "/sr" + path,
        "sr-Latn": SITE + "/sr-latn" + path,
        "x-default": SITE + path,
    }


def test_every_public_page_answers_in_all_three_languages(client, archive):
    client.raise_request_exception = False
    checked = 0
    for url in public_urls(*archive):
        if not is_page(url):
            # Machine addresses (API, OAI, sitemap, robots, permalinks) have
            # one address, in English.
            assert client.get("/sr" + url).status_code == 404, url
            continue
        english = client.get(url)
        for code, prefix in PREFIXES.items():
            response = client.get(prefix + url) if prefix else english
            assert response.status_code == english.status_code, (code, url)
            if response.status_code not in (200, 400, 404, 410):
                continue
            if not response["Content-Type"].startswith("text/html"):
                # A document (a cite file, a PDF) says the language of its
                # own text: an English brief's BibTeX is English under /sr/
                # too (tests/publishing/test_citations.py).
                assert response.has_header("Content-Language"), (code, url)
                continue
            assert response["Content-Language"] == TAGS[code], (code, url)
            html = response.content.decode()
            found = _HTML_LANG.search(html)
            assert found and found.group(1) == TAGS[code], (code, url, html[:300])
            if response.status_code != 200:
                continue
            checked += 1
            path = urlsplit(url).path
            # Complete and reciprocal: every language's page names the same set.
            assert alternates_of(html) == expected_alternates(path), (code, url)
    assert checked > 40


def test_the_switcher_keeps_the_reader_on_the_same_item(client, archive):
    page = f"/briefs/{SEED_SLUG}/"
    html = client.get("/sr-latn" + page).content.decode()
    switcher = _SWITCHER.search(html).group(0)
    links = _SWITCH_LINK.findall(switcher)
    assert [(lang, hreflang) for _, lang, hreflang, _ in links] == [
        ("en", "en"),
        ("sr-Cyrl", "sr-Cyrl"),
        ("sr-Latn", "sr-Latn"),
    ]
    current = [hreflang for _, _, hreflang, marked in links if marked]
    assert current == ["sr-Latn"]
    targets = {}
    for href, _, hreflang, _ in links:
        href = href.replace("&amp;", "&")
        response = client.get(href)  # a plain link: no script, no form
        assert response.status_code == 302
        targets[hreflang] = response["Location"]
        assert targets[hreflang] == parse_qs(urlsplit(href).query)["next"][0]
    assert targets == {
        "en": page,
        "sr-Cyrl": "/sr" + page,
        "sr-Latn": "/sr-latn" + page,
    }


def test_the_switcher_keeps_a_search(client, archive):
    html = client.get("/search/?q=serbia").content.decode()
    links = _SWITCH_LINK.findall(_SWITCHER.search(html).group(0))
    nexts = [
        parse_qs(urlsplit(h.replace("&amp;", "&")).query)["next"][0] for h, *_ in links
    ]
    assert nexts == [
        "/search/?q=serbia",
        "/sr/search/?q=serbia",
        "/sr-latn/search/?q=serbia",
    ]


def test_the_switcher_refuses_to_send_readers_elsewhere(client, db):
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.get("/language/sr/", {"next": target})
        assert response["Location"] == "/sr/"
    assert client.get("/language/fr/").status_code == 404


@pytest.mark.django_db
def test_a_first_visit_follows_the_browsers_language(client):
    cyrillic = client.get(
        "/briefs/?page=1", HTTP_ACCEPT_LANGUAGE="sr-RS,sr;q=0.9,en;q=0.5"
    )
    assert cyrillic.status_code == 302
    assert cyrillic["Location"] == "/sr/briefs/?page=1"
    assert {"accept-language", "cookie"} <= {
        v.strip().lower() for v in cyrillic["Vary"].split(",")
    }
    latin = client.get("/", HTTP_ACCEPT_LANGUAGE="sr-Latn-RS,sr;q=0.8")
    assert latin["Location"] == "/sr-latn/"
    english_first = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,sr;q=0.8")
    assert english_first.status_code == 200
    assert "accept-language" in english_first["Vary"].lower()
    # No preference, another language: English, as before.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE").status_code == 200
    assert client.get("/").status_code == 200
    # A prefixed address is never redirected, whatever the browser says.
    assert client.get("/sr-latn/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200


@pytest.mark.django_db
def test_an_explicit_choice_is_remembered_and_wins(client):
    client.get("/language/en/", {"next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    # The browser prefers Serbian, the reader chose English: English.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="sr").status_code == 200
    client.get("/language/sr-latn/", {"next": "/sr-latn/"})
    response = client.get("/briefs/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/sr-latn/briefs/"


@pytest.mark.django_db
def test_machine_addresses_stay_english_whatever_the_reader_prefers(client):
    # The partner API is the exception: it answers in the language asked for
    # (?lang= or Accept-Language; tests/publishing/test_api_languages.py).
    for url in (
        "/robots.txt",
        "/sitemap.xml",
        "/oai/?verb=Identify",
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="sr")
        assert response.status_code == 200, url
        assert response["Content-Language"] == "en", url


UI_WORDS = [
    "Skip to content",
    "Search the archive",
    "Latest briefs",
    "All briefs",
    "Topics",
    "Follow new briefs",
    "Recommendations",
    "Agreements",
    "Refine",
    "found",
    "Result pages",
    "Previous",
    "Next",
    "Filtered by",
    "People",
    "Actors",
]
# Cards and brief pages are rendered into editions at publish time (their
# language is the editions' business); the page around them is checked here.
_CARD = re.compile(r'<article class="(brief-card|search-hit)">.*?</article>', re.S)


def interface_text(html: str) -> str:
    html = _CARD.sub("", html)
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_serbian_pages_have_no_english_interface_words(client, archive):
    for prefix in ("/sr", "/sr-latn"):
        for url in ("/", "/search/?q=serbia", "/briefs/", "/actors/", "/agreements/"):
            text = interface_text(client.get(prefix + url).content.decode())
            left = [word for word in UI_WORDS if re.search(rf"\b{word}\b", text)]
            assert left == [], (prefix + url, left)
    home = interface_text(client.get("/sr/").content.decode())
    assert "Најновије публикације" in home
    assert "Najnovije publikacije" in interface_text(
        client.get("/sr-latn/").content.decode()
    )
    # English stays English.
    assert "Latest briefs" in client.get("/").content.decode()


def test_dates_are_written_as_serbian_readers_write_them(client, archive):
    world = archive[0]
    url = f"/agreements/{world.plan.slug}/"
    assert ">1 April 2025</time>" in client.get(url).content.decode()
    assert ">1. април 2025.</time>" in client.get("/sr" + url).content.decode()
    assert ">1. april 2025.</time>" in client.get("/sr-latn" + url).content.decode()


def test_plural_forms_are_serbian(client, archive):
    # 1, 2-4 and 5+ take three different forms.
    from django.utils import translation

    with translation.override("sr"):
        from django.utils.translation import ngettext

        forms = [
            ngettext("%(count)s actor", "%(count)s actors", n) % {"count": n}
            for n in (1, 3, 5, 21, 22, 11)
        ]
    assert forms == [
        "1 актер",
        "3 актера",
        "5 актера",
        "21 актер",
        "22 актера",
        "11 актера",
    ]
    with translation.override("sr"):
        briefs = [
            ngettext("%(count)s brief", "%(count)s briefs", n) % {"count": n}
            for n in (1, 2, 5)
        ]
    assert briefs == ["1 публикација", "2 публикације", "5 публикација"]


def test_errors_and_tombstones_are_in_the_pages_language(client, archive):
    missing = client.get("/sr/no-such-page/")
    assert missing.status_code == 404
    assert "Страница није пронађена" in missing.content.decode()
    assert 'lang="sr-Cyrl"' in missing.content.decode()
    assert "Page not found" in client.get("/no-such-page/").content.decode()
    withdrawn = archive[1]
    tombstone = client.get(f"/sr-latn/briefs/{withdrawn.slug}/")
    assert tombstone.status_code == 410
    assert "Ova publikacija je povučena" in tombstone.content.decode()


def test_the_sitemap_lists_every_language_with_alternates(client, archive):
    xml = client.get("/sitemap.xml").content.decode()
    brief = f"{SITE}/briefs/{SEED_SLUG}/"
    assert f"<loc>{brief}</loc>" in xml
    assert f"<loc>{SITE}/sr/briefs/{SEED_SLUG}/</loc>" in xml
    assert f"<loc>{SITE}/sr-latn/briefs/{SEED_SLUG}/</loc>" in xml
    for hreflang, href in expected_alternates(f"/briefs/{SEED_SLUG}/").items():
        assert f'hreflang="{hreflang}" href="{href}"' in xml


def test_the_page_cache_never_mixes_languages(client, archive, settings):
    settings.PAGE_CACHE_SECONDS = 60
    pages = {}
    for _ in range(2):  # rendered, then from the cache
        for prefix in ("", "/sr", "/sr-latn"):
            response = client.get(prefix + "/briefs/")
            pages.setdefault(prefix, set()).add(response.content)
            assert response["Content-Language"] == TAGS[prefix.strip("/") or "en"]
    assert all(len(bodies) == 1 for bodies in pages.values())
    assert len({body for bodies in pages.values() for body in bodies}) == 3
    # A reader who prefers Serbian is redirected, not served the cached English.
    response = client.get("/briefs/", HTTP_ACCEPT_LANGUAGE="sr")
    assert response.status_code == 302
    english = client.get("/briefs/")
    serbian = client.get("/sr/briefs/")
    assert english["ETag"] != serbian["ETag"]
    # An English ETag does not validate the Serbian page.
    again = client.get("/sr/briefs/", HTTP_IF_NONE_MATCH=english["ETag"])
    assert again.status_code == 200


@pytest.mark.django_db
def test_the_admin_speaks_the_editors_language(client):
    login = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="sr")
    html = login.content.decode()
    assert login["Content-Language"] == "sr-Cyrl"
    assert "Корисничко име" in html
    latin = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="sr-Latn").content
    assert "Korisničko ime" in latin.decode()
    assert "Username" in client.get("/admin/login/").content.decode()
    # The choice made on the site carries over.
    client.get("/language/sr/", {"next": "/admin/"})
    assert "Корисничко име" in client.get("/admin/login/").content.decode()


def test_the_admin_offers_a_language_choice(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert 'href="/language/sr/?next=/admin/"' in html
    assert 'hreflang="sr-Latn"' in html
