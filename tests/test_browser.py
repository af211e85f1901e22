"""Browser tests: Playwright driving Debian's Chromium against the live server.

The pages are opened in a real browser: no console errors, no broken internal
links, no serious or critical axe-core violation, and the reader's journey from
the home page to the seed brief, Serbia, the Serbia–Hungary plan and back to
every brief that discusses it works on a phone without JavaScript and with the
keyboard alone. Screenshots go to `test-artifacts/`.

Playwright's sync API runs an event loop in the thread that starts it, and
Django refuses ORM calls in a thread with a running loop; so the browser lives
in a thread of its own (`BrowserThread`), started once per module, while test
data is created in the test's thread as usual. Set CHROMIUM to use another
browser binary.
"""

import datetime
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings

from tests import factories
from tests.site_world import SEED_SLUG, build_world

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PLAN = "/agreements/serbia-hungary-defense-cooperation-plan/"
PAGES = {
    "home": "/",
    "seed_brief": f"/briefs/{SEED_SLUG}/",
    "actor": "/actors/serbia/",
    "agreement": PLAN,
    "compare": "/compare/?a=serbia,hungary&b=albania,croatia,kosovo&a_name=Belgrade",
    "compare_form": "/compare/",
    "network": "/actors/network/",
    "network_on_a_day": "/actors/network/?on=2025-05-01&actor=serbia",
    # The recommendation tracker's scorecard, with status badges.
    "scorecard": "/recommendations/?addressee=nato",
    # Index pages: results, then facets with "Show all".
    "brief_list": "/briefs/",
    "search": "/search/?q=serbia",
}

playwright_api = pytest.importorskip("playwright.sync_api")
if not shutil.which(CHROMIUM):
    pytest.skip(
        f"Chromium not found at {CHROMIUM}: apt-get install -y chromium "
        "(make test does this when run as root)",
        allow_module_level=True,
    )


class BrowserThread:
    """One Chromium, driven from one dedicated thread; `call` runs work there."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="browser")
        self.call(self._start)

    def _start(self) -> None:
        self.playwright = playwright_api.sync_playwright().start()
        self.browser = self.playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
            ],
        )

    def call(self, work, *args):
        return self.pool.submit(work, *args).result(timeout=180)

    def page(self, **context_options):
        context = self.browser.new_context(**context_options)
        page = context.new_page()
        page.errors = []
        # Chromium reports each CSP violation as a console error ("Refused to
        # execute inline script because it violates the following Content
        # Security Policy directive …"), so any violation fails the tests.
        page.on(
            "console",
            lambda msg: (
                page.errors.append(msg.text)
                if msg.type == "error" or "Content Security Policy" in msg.text
                else None
            ),
        )
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    def close(self) -> None:
        def stop() -> None:
            self.browser.close()
            self.playwright.stop()

        self.call(stop)
        self.pool.shutdown()


@pytest.fixture(scope="module")
def chromium():
    thread = BrowserThread()
    yield thread
    thread.close()


@pytest.fixture
def site(live_server):
    # live_server makes the test transactional, so the server thread sees this.
    world = build_world()
    # The seed brief's page and the scorecard show a status history and badges.
    for day in (datetime.date(2025, 9, 1), datetime.date(2026, 3, 1)):
        for recommendation in world.brief.recommendations.all()[:2]:
            factories.make_assessment(recommendation, assessed_on=day)
    briefs_discussing_plan = sorted(
        [world.brief.get_absolute_url()] + [b.get_absolute_url() for b in world.others]
    )
    ARTIFACTS.mkdir(exist_ok=True)
    return live_server.url, briefs_discussing_plan


def _internal_links(page, base: str) -> set[str]:
    hrefs = page.eval_on_selector_all(
        "a[href], link[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    links = set()
    for href in hrefs:
        url = urljoin(page.url, href)
        if urlsplit(url).netloc == urlsplit(base).netloc:
            links.add(url.split("#")[0])
    return links


def _check_page(
    chromium: BrowserThread, base: str, name: str, scheme: str = "light"
) -> dict:
    from axe_playwright_python.sync_playwright import Axe

    page = chromium.page(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    status = page.goto(base + PAGES[name]).status
    suffix = "" if scheme == "light" else f"_{scheme}"
    page.screenshot(path=str(ARTIFACTS / f"{name}{suffix}.png"), full_page=True)
    broken = {}
    for url in sorted(_internal_links(page, base)):
        if "/search/" in url:
            continue  # the site search is served by another part of the site
        link_status = page.request.get(url).status
        if link_status >= 400:
            broken[url] = link_status
    violations = Axe().run(page).response["violations"]
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    errors = list(page.errors)
    page.context.close()
    return {"status": status, "errors": errors, "broken": broken, "axe": serious}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_clean_linked_and_accessible(site, chromium, name):
    base, _ = site
    result = chromium.call(_check_page, chromium, base, name)
    assert result == {"status": 200, "errors": [], "broken": {}, "axe": []}


@pytest.mark.parametrize("name", ["home", "seed_brief", "search"])
def test_page_is_accessible_in_the_dark_theme(site, chromium, name):
    # prefers-color-scheme: dark swaps the palette (static/css/site.css, tokens).
    base, _ = site
    result = chromium.call(_check_page, chromium, base, name, "dark")
    assert result == {"status": 200, "errors": [], "broken": {}, "axe": []}


def _phone_journey(chromium: BrowserThread, base: str) -> dict:
    page = chromium.page(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    visited = []
    page.goto(base + "/")
    with page.expect_navigation():  # wait for the new page, not just the click
        page.locator("#featured-h + article h3 a").click()
    visited.append(urlsplit(page.url).path)
    # No sideways scrolling on a phone (wide tables scroll inside their box).
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(ARTIFACTS / "seed_brief_phone.png"), full_page=True)
    with page.expect_navigation():
        page.locator(".boxes").get_by_role("link", name="Serbia", exact=True).click()
    visited.append(urlsplit(page.url).path)
    with page.expect_navigation():
        page.get_by_role("link", name="Serbia–Hungary defense cooperation plan").click()
    visited.append(urlsplit(page.url).path)
    page.screenshot(path=str(ARTIFACTS / "agreement_phone.png"), full_page=True)
    section = page.locator("section", has=page.locator("#briefs-h"))
    found = sorted(
        urlsplit(href).path
        for href in section.locator("h3 a").evaluate_all("els => els.map(e => e.href)")
    )
    page.context.close()
    return {"visited": visited, "fits": fits, "found": found}


def test_phone_reader_without_javascript_follows_the_cross_links(site, chromium):
    base, briefs_discussing_plan = site
    result = chromium.call(_phone_journey, chromium, base)
    assert result == {
        "visited": [PAGES["seed_brief"], "/actors/serbia/", PLAN],
        "fits": True,
        "found": briefs_discussing_plan,
    }


def _tab_to(page, name: str, limit: int = 300) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"could not reach {name!r} with the Tab key")


def _keyboard_journey(chromium: BrowserThread, base: str) -> dict:
    page = chromium.page(viewport={"width": 1280, "height": 900})
    page.goto(base + "/")
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.className")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    visited = []
    _tab_to(page, page.locator("#featured-h + article h3 a").inner_text())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    visited.append(urlsplit(page.url).path)
    _tab_to(page, "Serbia")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    visited.append(urlsplit(page.url).path)
    _tab_to(page, "Serbia–Hungary defense cooperation plan")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    visited.append(urlsplit(page.url).path)
    page.context.close()
    return {"first": first, "outline": outline != "none", "visited": visited}


def test_keyboard_reader_follows_the_cross_links(site, chromium):
    base, _ = site
    result = chromium.call(_keyboard_journey, chromium, base)
    assert result == {
        "first": "skip-link",  # the skip link comes first ...
        "outline": True,  # ... and focus is visible
        "visited": [PAGES["seed_brief"], "/actors/serbia/", PLAN],
    }


def _print_view(chromium: BrowserThread, base: str) -> dict:
    page = chromium.page(viewport={"width": 1280, "height": 900})
    page.goto(base + PAGES["seed_brief"])
    page.emulate_media(media="print")
    result = {
        "header_hidden": page.locator(".site-header").is_hidden(),
        "toc_hidden": page.locator(".toc").is_hidden(),
        "address": page.locator(".print-only").inner_text(),
        "address_visible": page.locator(".print-only").is_visible(),
    }
    page.screenshot(path=str(ARTIFACTS / "seed_brief_print.png"), full_page=True)
    page.context.close()
    return result


def test_brief_prints_cleanly_with_its_address(site, chromium):
    base, _ = site
    result = chromium.call(_print_view, chromium, base)
    assert result == {
        "header_hidden": True,
        "toc_hidden": True,
        "address": f"http://127.0.0.1:8000{PAGES['seed_brief']}",
        "address_visible": True,
    }


def _compare_print_view(chromium: BrowserThread, base: str) -> dict:
    page = chromium.page(viewport={"width": 390, "height": 800})
    page.goto(base + PAGES["compare"])
    page.emulate_media(media="print")
    result = {
        "form_hidden": page.locator(".compare-form").is_hidden(),
        "table_visible": page.locator(".comparison-table").is_visible(),
        "sources_visible": page.locator(".comparison .sources").is_visible(),
    }
    page.screenshot(path=str(ARTIFACTS / "compare_print.png"), full_page=True)
    page.context.close()
    return result


def test_comparison_prints_its_table_and_sources_without_the_form(site, chromium):
    base, _ = site
    result = chromium.call(_compare_print_view, chromium, base)
    assert result == {
        "form_hidden": True,
        "table_visible": True,
        "sources_visible": True,
    }


# -- Content-Security-Policy ---------------------------------------------------

CSP_PAGES = {
    "brief list": "/briefs/",
    "search": "/search/?q=serbia",
    "compare": "/compare/?a=serbia,hungary&b=albania,croatia,kosovo",
    "api docs": "/api/docs/",
    "admin login": "/admin/login/",
}


def _csp_errors(chromium: BrowserThread, base: str, path: str, wait_for: str) -> dict:
    page = chromium.page()
    response = page.goto(base + path)
    page.wait_for_selector(wait_for, timeout=30_000)
    header = response.headers.get("content-security-policy", "")
    errors = list(page.errors)
    page.context.close()
    return {"status": response.status, "csp": "script-src" in header, "errors": errors}


@pytest.mark.parametrize("name", list(CSP_PAGES))
def test_page_breaks_no_content_security_policy(site, chromium, name):
    base, _ = site
    # The API docs render with Swagger UI's scripts: wait until they have run.
    wait_for = ".swagger-ui .info" if name == "api docs" else "body"
    result = chromium.call(_csp_errors, chromium, base, CSP_PAGES[name], wait_for)
    assert result == {"status": 200, "csp": True, "errors": []}


def _admin_session(chromium: BrowserThread, base: str, paths: list[str]) -> dict:
    page = chromium.page()
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "csp-admin")
    page.fill("#id_password", "a-browser-password-1")
    with page.expect_navigation():
        page.click("input[type=submit]")
    statuses = {}
    for path in paths:
        statuses[path] = page.goto(base + path).status
        page.wait_for_selector("#content")
    errors = list(page.errors)
    page.context.close()
    return {"statuses": statuses, "errors": errors}


def test_admin_pages_break_no_content_security_policy(
    site, chromium, django_user_model
):
    from briefs.models import Brief

    base, _ = site
    django_user_model.objects.create_superuser(
        "csp-admin", "csp@example.org", "a-browser-password-1"
    )
    brief = Brief.objects.get(slug=SEED_SLUG)
    paths = [
        "/admin/",
        "/admin/briefs/brief/",
        f"/admin/briefs/brief/{brief.pk}/change/",
        f"/admin/briefs/brief/{brief.pk}/history/",
    ]
    result = chromium.call(_admin_session, chromium, base, paths)
    assert result == {"statuses": dict.fromkeys(paths, 200), "errors": []}


def _desk_session(chromium: BrowserThread, base: str, path: str) -> dict:
    page = chromium.page(viewport={"width": 1400, "height": 900})
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "desk-editor")
    page.fill("#id_password", "a-browser-password-1")
    with page.expect_navigation():
        page.click("input[type=submit]")
    page.goto(base + path)
    frame = page.frame(name="brief-preview")
    frame.wait_for_selector("article")
    opened = frame.content()
    with page.expect_response(lambda r: r.url.endswith("/presence/")) as pinged:
        page.fill("#id_body", "## Typed here\n\nNot saved yet.")
    presence_status = pinged.value.status
    with page.expect_response(lambda r: r.url.endswith("/preview/")):
        page.click("button[formtarget=brief-preview]")
    frame = page.frame(name="brief-preview")
    frame.wait_for_selector("#typed-here")
    side_by_side = page.eval_on_selector(
        ".desk", "el => getComputedStyle(el).gridTemplateColumns.split(' ').length"
    )
    errors = list(page.errors)
    # The page stays open: closing it sends "left", which clears the presence
    # the test reads (the test closes it after).
    return {
        "context": page.context,
        "opened_with_preview": "<article" in opened,
        "presence": presence_status,
        "columns": side_by_side,
        "errors": errors,
    }


def test_editor_desk_previews_beside_the_form_and_pings_presence_on_typing(
    site, chromium, django_user_model
):

    base, _ = site
    editor = django_user_model.objects.create_superuser(
        "desk-editor", "desk@example.org", "a-browser-password-1"
    )
    brief = factories.make_brief(status="draft", created_by=editor)
    path = f"/admin/briefs/brief/{brief.pk}/change/"
    result = chromium.call(_desk_session, chromium, base, path)
    from editorial.models import EditPresence

    context = result.pop("context")
    recorded = EditPresence.objects.filter(brief=brief, user=editor).exists()
    chromium.call(context.close)
    assert recorded
    assert result == {
        "opened_with_preview": True,
        "presence": 204,
        "columns": 2,
        "errors": [],
    }
    brief.refresh_from_db()
    assert "Typed here" not in brief.body  # previewed, not saved


# -- The site's main pages at desktop and phone widths, in each language ------

# Each kind of public page, as in issue #14: screenshots at 1280 and 390 px.
SITE_PAGES = {
    "home": "/",
    "brief": f"/briefs/{SEED_SLUG}/",
    "actor": "/actors/serbia/",
    "agreement": PLAN,
    "person": "/people/vuk-velebit/",
    "search": "/search/?q=serbia",
    "recommendations": "/recommendations/",
    "people": "/people/",
    "topics": "/topics/",
    "about": "/about/",
    "accessibility": "/accessibility/",
}
WIDTHS = {"desktop": 1280, "phone": 390}
LANGUAGE_PREFIXES = {"en": "", "sr": "/sr", "sr-latn": "/sr-latn"}
LANGUAGE_TAGS = {"en": "en", "sr": "sr-Cyrl", "sr-latn": "sr-Latn"}


# What sticks out sideways on the page (nothing, when the page fits): the
# innermost elements whose right edge passes the viewport, outside boxes that
# scroll on their own (wide tables and pictures scroll inside their box).
OVERFLOWING = """
(() => {
  if (document.documentElement.scrollWidth <= window.innerWidth) return [];
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === "auto" || x === "scroll" || x === "hidden") return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.getBoundingClientRect().right <= window.innerWidth + 1) continue;
    if (scrolls(el)) continue;
    const inner = [...el.children].some(
      (c) => c.getBoundingClientRect().right > window.innerWidth + 1
    );
    const cls = typeof el.className === "string" ? el.className.trim() : "";
    const name = el.tagName.toLowerCase();
    if (!inner) out.push(cls ? name + "." + cls.split(/\\s+/).join(".") : name);
    if (out.length >= 3) break;
  }
  return out.length ? out : ["(the page is wider than the window)"];
})()
"""


# How far the page's content moved while it loaded, as Chrome's Cumulative
# Layout Shift counts it (the layout-shift entries, buffered since the page
# began), read once the web fonts are in: late fonts, images without a size
# and late-inserted boxes all shift the text. With the elements that moved.
LAYOUT_SHIFT = """
async () => {
  await document.fonts.ready;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  return await new Promise((done) => {
    let total = 0;
    const moved = new Set();
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.hadRecentInput) continue;
        total += entry.value;
        for (const source of entry.sources || []) {
          const node = source.node;
          if (node && node.nodeType === 1) {
            const cls =
              typeof node.className === "string" ? node.className.trim() : "";
            const name = node.tagName.toLowerCase();
            moved.add(cls ? name + "." + cls.split(/\\s+/)[0] : name);
          }
        }
      }
    }).observe({ type: "layout-shift", buffered: true });
    const report = () =>
      done({ total: Math.round(total * 1000) / 1000, moved: [...moved].slice(0, 3) });
    setTimeout(report, 100);
  });
}
"""


def _survey(chromium: BrowserThread, base: str, language: str) -> dict:
    """Every page of SITE_PAGES at each width: status, `lang`, rendered height,
    layout shift, console errors, sideways overflow and axe-core violations
    (WCAG 2 A/AA)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    prefix = LANGUAGE_PREFIXES[language]
    results = {}
    for width_name, width in WIDTHS.items():
        for name, path in SITE_PAGES.items():
            # A first visit each time: nothing (fonts) in the browser's cache.
            page = chromium.page(viewport={"width": width, "height": 900})
            status = page.goto(base + prefix + path).status
            shift = page.evaluate(LAYOUT_SHIFT)  # before the screenshot resizes it
            page.screenshot(
                path=str(ARTIFACTS / f"{name}-{language}-{width}.png"), full_page=True
            )
            violations = axe.run(
                page,
                options={
                    "runOnly": {
                        "type": "tag",
                        "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"],
                    }
                },
            ).response["violations"]
            results[f"{name} @{width_name}"] = {
                "status": status,
                "lang": page.evaluate("document.documentElement.lang"),
                "rendered": page.evaluate("document.body.scrollHeight") > 200,
                "layout_shift": shift if shift["total"] else "none",
                "overflowing": page.evaluate(OVERFLOWING),
                "errors": list(page.errors),
                "axe": [
                    (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                    for v in violations
                ],
            }
            page.context.close()
    return results


@pytest.mark.parametrize("language", list(LANGUAGE_PREFIXES))
def test_main_pages_render_fit_a_phone_and_pass_axe(site, chromium, language):
    """In each language, at 1280 and 390 px: rendered, the page's `lang`, no
    layout shift while it loads (fonts and pictures come in without moving
    the text), no console error, nothing sticking out sideways (a phone
    scrolls no page sideways), no axe violation.

    One language per test (the world is built once for all its pages):
    screenshots go to test-artifacts/<page>-<language>-<width>.png.
    """
    base, _ = site
    results = chromium.call(_survey, chromium, base, language)
    clean = {
        "status": 200,
        "lang": LANGUAGE_TAGS[language],
        "rendered": True,
        "layout_shift": "none",
        "overflowing": [],
        "errors": [],
        "axe": [],
    }
    assert results == {
        f"{name} @{width}": clean for width in WIDTHS for name in SITE_PAGES
    }


def _switch_language_by_keyboard(chromium: BrowserThread, base: str) -> dict:
    page = chromium.page(viewport={"width": 1280, "height": 900})
    page.goto(base + SITE_PAGES["brief"])
    _tab_to(page, "Српски")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    switched = urlsplit(page.url).path
    lang = page.evaluate("document.documentElement.lang")
    _tab_to(page, "Srpski")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    latin = urlsplit(page.url).path
    # The next visit to an unprefixed address comes back in the chosen language.
    page.goto(base + "/people/")
    remembered = urlsplit(page.url).path
    remembered_lang = page.evaluate("document.documentElement.lang")
    page.context.close()
    return {
        "switched": switched,
        "lang": lang,
        "latin": latin,
        "remembered": remembered,
        "remembered_lang": remembered_lang,
    }


def test_language_switcher_works_by_keyboard_and_is_remembered(site, chromium):
    base, _ = site
    result = chromium.call(_switch_language_by_keyboard, chromium, base)
    assert result == {
        "switched": f"/sr{SITE_PAGES['brief']}",
        "lang": "sr-Cyrl",
        "latin": f"/sr-latn{SITE_PAGES['brief']}",
        "remembered": "/sr-latn/people/",
        "remembered_lang": "sr-Latn",
    }


# -- What a screen reader hears on a brief page -------------------------------

READER_BRIEF_BODY = (
    "## Forces\n\nTable: Main battle tanks, 2025\n\n"
    "| Country | Tanks |\n|---|--:|\n| Serbia | 262 |\n| Kosovo |  |\n\n"
    "Source: IISS, The Military Balance 2025.\n\n"
    "### Reading the table\n\nThe gap is wide.[^1]\n\n[^1]: A note.\n"
)

HEADINGS = """
[...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
  .filter((h) => h.getClientRects().length)
  .map((h) => [Number(h.tagName[1]), h.textContent.trim()])
"""


def _screen_reader_pass(chromium: BrowserThread, base: str, path: str) -> dict:
    """The page as assistive technology gets it: the accessibility tree
    (Chromium's, through Playwright's roles and names), the heading outline
    and the first keystrokes. The tree is kept in test-artifacts/ to read."""
    page = chromium.page(viewport={"width": 1280, "height": 900})
    page.goto(base + path)
    page.keyboard.press("Tab")
    first_stop = page.evaluate("document.activeElement.textContent.trim()")
    page.keyboard.press("Enter")
    after_skip = page.evaluate("document.activeElement.id")
    (ARTIFACTS / "brief-accessibility-tree.yml").write_text(
        page.locator("body").aria_snapshot(), encoding="utf-8"
    )
    navigation = page.get_by_role("navigation")
    caption = "Main battle tanks, 2025"
    result = {
        "first_stop": first_stop,
        "after_skip": after_skip,
        "landmarks": {
            role: page.get_by_role(role).count()
            for role in ("banner", "main", "contentinfo", "search")
        },
        "navigation": sorted(
            navigation.nth(i).get_attribute("aria-label")
            or page.locator(
                f"#{navigation.nth(i).get_attribute('aria-labelledby')}"
            ).text_content()
            for i in range(navigation.count())
        ),
        "headings": page.evaluate(HEADINGS),
        "table": page.get_by_role("table", name=caption, exact=True).count(),
        "table_region": page.get_by_role("region", name=caption, exact=True).count(),
        "no_data_cells": page.get_by_role("cell", name="no data", exact=True).count(),
        "footnote_way_back": page.get_by_role(
            "link", name="Back to footnote 1 in the text", exact=True
        ).count(),
        # What is read out: the name, and the script where two sound alike.
        "switcher": re.findall(
            r'link "([^"]+)"',
            page.get_by_role("navigation", name="Language").aria_snapshot(),
        ),
        "switcher_lang": page.eval_on_selector_all(
            ".language-switcher a", "links => links.map(a => [a.lang, a.hreflang])"
        ),
    }
    page.context.close()
    return result


def test_a_screen_reader_hears_the_brief_in_order(site, chromium):
    """Landmarks named and single, one h1 and no skipped heading level, the
    skip link first, a captioned table named by its caption (and its
    scrolling region too), an empty cell read as "no data", a footnote's way
    back named, the switcher's languages announced in their own language and
    the two Serbian ones told apart by ear."""
    base, _ = site
    brief = factories.make_brief(
        title="Tanks and the gap between them", body=READER_BRIEF_BODY
    )
    result = chromium.call(
        _screen_reader_pass, chromium, base, brief.get_absolute_url()
    )
    headings = result.pop("headings")
    assert [text for level, text in headings if level == 1] == [brief.title]
    levels = [level for level, _ in headings]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), headings
    assert [2, "Forces"] in headings and [3, "Reading the table"] in headings
    assert result == {
        "first_stop": "Skip to content",
        "after_skip": "main",
        "landmarks": {"banner": 1, "main": 1, "contentinfo": 1, "search": 1},
        "navigation": ["About the site", "Contents", "Language", "Main"],
        "table": 1,
        "table_region": 1,
        "no_data_cells": 1,
        "footnote_way_back": 1,
        "switcher": ["English", "Српски, ћирилица", "Srpski, latinica"],
        "switcher_lang": [["en", "en"], ["sr-Cyrl", "sr-Cyrl"], ["sr-Latn", "sr-Latn"]],
    }
