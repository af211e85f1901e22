"""Abuse benchmark: hostile input through every door, and the site under load meanwhile.

    .venv/bin/python bench/abuse.py --seconds 60             # the full run
    .venv/bin/python bench/abuse.py --seconds 10 --cases 4   # a quick check
    .venv/bin/python bench/abuse.py --seconds 60 --skip-corpus

On a SQLite database of its own (bench/out/abuse.sqlite3: `load_demo`, the
demo-sized archive `make run` shows, plus a staff account and a draft to
attack), with production settings (DEBUG off, page cache off, so every
request does its full work):

1. **Corpus.** Every entry of tests/fixtures/pathological.py at the body limit
   (`BODY_MAX_CHARS`): rendered in-process (`render_markdown`); imported
   in-process as a plain-text file (`parse_brief` then `import_brief`, the
   whole write path); and saved through the admin's change form on a real
   server (gunicorn, over loopback: sign in, GET the form, POST it with the
   body replaced), as an editor's browser would. Each answer is recorded
   (seconds, status); an import refused with a message counts as answered.
2. **Load.** gunicorn with `--workers` sync workers (default 3). For
   `--seconds`, `--clients` keep-alive clients (default 6) request the public
   pages and the API in turn (home, brief list, a brief, an actor, search,
   the feed, API lists, detail and search) while `--hostile` clients (default
   1, so at most one worker at a time) save pathological bodies through the
   admin back to back: GET the change form, POST the next body of the
   corpus. Reported per surface: requests, p50, p95 and maximum latency, and
   errors (5xx, refused or dropped connections, worker timeouts; 4xx counts
   as an error too, except where noted).

Search and API throttles are raised out of reach (`SEARCH_RATE`,
`API_ANON_RATE`): every client comes from 127.0.0.1, and the point is to
measure latency, not the throttle. The second factor is off (`OTP_REQUIRED=0`)
so the hostile client can sign in with a password. Results are written to
bench/out/abuse.json. The machine's other load shows in the latencies: run it
on a quiet machine, and read p95 beside p50.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import multiprocessing
import os
import sys
import threading
import time
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
PORT = 8767
USERNAME, PASSWORD = "abuse-bench", "abuse-bench-password-7d2e"
TARGET_SLUG = "abuse-bench-target"
ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "SECRET_KEY": "bench-only-not-secret",
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DATABASE_URL": f"sqlite:///{OUT / 'abuse.sqlite3'}",
    "PAGE_CACHE_SECONDS": "0",
    "OTP_REQUIRED": "0",
    "SEARCH_RATE": "1000000/min",
    "API_ANON_RATE": "1000000/min",
    "EDITION_PDF_AFTER_PUBLISH": "0",
    "REDIS_URL": "",
}
# The hostile save, as a surface of its own, and its form's GET.
SAVE, FORM = "admin save (hostile)", "admin change form (hostile)"


# -- Setup ----------------------------------------------------------------------


def prepare() -> dict:
    """Migrate and fill the database once; return the public URLs and the target."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.contrib.auth import get_user_model

    from briefs.importers import import_brief, parse_brief
    from briefs.models import Brief
    from publishing.models import Edition
    from tests.fixtures import pathological

    if not Edition.objects.public().exists():
        call_command("load_demo", verbosity=0)
    users = get_user_model()._default_manager
    if not users.filter(username=USERNAME).exists():
        users.create_superuser(USERNAME, "abuse@example.org", PASSWORD)
    if not Brief.objects.filter(slug=TARGET_SLUG).exists():
        import_brief(
            parse_brief(pathological.import_file("A short draft to attack.")),
            slug=TARGET_SLUG,
        )
    brief = Edition.objects.public().order_by("pk").first()
    actor = brief.brief.actors.order_by("pk").first() if brief else None
    surfaces = {
        "home": "/",
        "brief list": "/briefs/",
        "brief page": f"/briefs/{brief.slug}/",
        "actor page": f"/actors/{actor.slug}/" if actor else "/actors/",
        "search page": "/search/?q=kosovo+security",
        "RSS feed": "/feeds/briefs.rss",
        "API brief list": "/api/v1/briefs/",
        "API brief detail": f"/api/v1/briefs/{brief.slug}/",
        "API search": "/api/v1/briefs/?q=serbia+defence",
        "API actor list": "/api/v1/actors/",
    }
    target = Brief.objects.get(slug=TARGET_SLUG)
    return {"surfaces": surfaces, "target": target.pk}


# -- A small browser: keep-alive, cookies (Secure ones too: this is loopback) ----


class Browser:
    def __init__(self, timeout: float = 60) -> None:
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: bytes | None = None, headers=None
    ) -> tuple[int | str, bytes, float]:
        """(status or error name, body, milliseconds); never raises."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", PORT, timeout=self.timeout
                )
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection = None
            return type(error).__name__, b"", (time.perf_counter() - start) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.connection = None
        return response.status, content, (time.perf_counter() - start) * 1000

    def post(self, path: str, fields: list[tuple[str, str]]):
        body = urlencode(fields).encode()
        return self.request(
            "POST",
            path,
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )


class FormReader(HTMLParser):
    """The fields a browser would submit from the form with `form_id`."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._multiple = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self.fields.append(
                (
                    a["name"],
                    a.get("value") or ("on" if kind in {"checkbox", "radio"} else ""),
                )
            )
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []
        elif tag == "select":
            self._select, self._options = a["name"], []
            self._multiple = "multiple" in a
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            text = "".join(self._text)
            self.fields.append((self._textarea, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected]
            if not chosen and not self._multiple and self._options:
                chosen = [self._options[0][0]]
            self.fields += [(self._select, v) for v in chosen]
            self._select = None


def sign_in(browser: Browser) -> None:
    browser.request("GET", "/admin/login/")
    status, _, _ = browser.post(
        "/admin/login/?next=/admin/",
        [
            ("csrfmiddlewaretoken", browser.cookies.get("csrftoken", "")),
            ("username", USERNAME),
            ("password", PASSWORD),
            ("next", "/admin/"),
        ],
    )
    if status != 302:
        raise RuntimeError(f"the bench account could not sign in ({status})")


def hostile_save(browser: Browser, pk: int, body: str) -> dict:
    """GET the brief's change form, POST it with `body`: one record per request."""
    url = f"/admin/briefs/brief/{pk}/change/"
    status, page, form_ms = browser.request("GET", url)
    records = [{"surface": FORM, "status": status, "ms": form_ms}]
    if status != 200:
        return {"records": records}
    reader = FormReader("brief_form")
    reader.feed(page.decode())
    fields = [(k, v) for k, v in reader.fields if k != "body"] + [("body", body)]
    status, _, ms = browser.post(url, fields)
    records.append({"surface": SAVE, "status": status, "ms": ms})
    return {"records": records}


# -- Phase 1: the corpus through render, import and the admin --------------------


def corpus(cases: int | None, pk: int) -> list[dict]:
    from briefs.importers import (
        BriefImportError,
        escape_markdown,
        import_brief,
        parse_brief,
    )
    from briefs.markdown import render_markdown
    from briefs.models import BODY_MAX_CHARS
    from tests.fixtures import pathological

    bodies = list(pathological.bodies(BODY_MAX_CHARS).items())[:cases]
    files = list(pathological.import_bodies(BODY_MAX_CHARS).items())[:cases]
    rows: dict[str, dict] = {}
    for name, text in bodies:
        start, cpu = time.perf_counter(), time.process_time()
        render_markdown(text)
        rows[name] = {
            "name": name,
            "render_s": time.perf_counter() - start,
            "render_cpu_s": time.process_time() - cpu,
        }

    def run_import(text: str) -> str:
        try:
            import_brief(
                parse_brief(pathological.import_file(text)), slug="abuse-bench-import"
            )
        except BriefImportError as error:
            return f"refused: {error}"
        return "imported"

    for name, text in files:
        row = rows.setdefault(name, {"name": name})
        start = time.perf_counter()
        row["import"] = run_import(text)
        row["import_s"] = time.perf_counter() - start
        if "body may have at most" in row["import"]:
            # Escaping made the body too long: import the longest text that fits
            # too (as bench/pathological.py does); the slower of the two counts.
            fitted = text[
                : int(len(text) * BODY_MAX_CHARS / len(escape_markdown(text)) * 0.98)
            ]
            start = time.perf_counter()
            row["import"] = f"over the limit refused; {len(fitted):,} chars " + (
                run_import(fitted)
            )
            row["import_s"] = max(row["import_s"], time.perf_counter() - start)
    browser = Browser()
    sign_in(browser)
    for name, text in bodies:
        records = hostile_save(browser, pk, text)["records"]
        rows[name]["save_status"] = records[-1]["status"]
        rows[name]["save_s"] = records[-1]["ms"] / 1000
    return list(rows.values())


# -- Phase 2: load on the public surfaces while hostile saves run ----------------


def public_client(surfaces: dict, offset: int, until: float, out: list) -> None:
    browser = Browser(timeout=60)
    names = list(surfaces)
    i = offset
    while time.time() < until:
        name = names[i % len(names)]
        status, _, ms = browser.request("GET", surfaces[name])
        out.append({"surface": name, "status": status, "ms": ms})
        i += 1


def hostile_client(pk: int, bodies: list[str], until: float, queue) -> None:
    """A process of its own, so that parsing forms never slows the public clients."""
    browser = Browser(timeout=60)
    sign_in(browser)
    records, i = [], 0
    while time.time() < until:
        records += hostile_save(browser, pk, bodies[i % len(bodies)])["records"]
        i += 1
    queue.put(records)


def load(setup: dict, seconds: float, clients: int, hostile: int) -> list[dict]:
    from briefs.models import BODY_MAX_CHARS
    from tests.fixtures import pathological

    bodies = list(pathological.bodies(BODY_MAX_CHARS).values())
    until = time.time() + seconds
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    attackers = [
        context.Process(
            target=hostile_client, args=(setup["target"], bodies, until, queue)
        )
        for _ in range(hostile)
    ]
    for process in attackers:
        process.start()
    records: list[dict] = []
    threads = [
        threading.Thread(
            target=public_client, args=(setup["surfaces"], n, until, records)
        )
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for _ in attackers:
        records += queue.get(timeout=seconds + 120)
    for process in attackers:
        process.join()
    return records


# -- Report ---------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


def is_error(status) -> bool:
    return not isinstance(status, int) or status >= 400


def summarise(records: list[dict], order: list[str]) -> list[dict]:
    rows = []
    for surface in order:
        mine = [r for r in records if r["surface"] == surface]
        ms = [r["ms"] for r in mine]
        errors = [r["status"] for r in mine if is_error(r["status"])]
        rows.append(
            {
                "surface": surface,
                "requests": len(mine),
                "p50_ms": percentile(ms, 0.5),
                "p95_ms": percentile(ms, 0.95),
                "max_ms": max(ms, default=0.0),
                "errors": len(errors),
                "error_kinds": sorted({str(s) for s in errors}),
            }
        )
    return rows


def print_corpus(rows: list[dict]) -> None:
    print("Pathological corpus at the body limit (wall-clock seconds)\n")
    print(
        f"| {'input':<38} | render | render CPU | import | admin save | save answer "
        "| import |"
    )
    print(f"|{'-' * 40}|--------|------------|--------|------------|-------------|---|")
    for row in rows:

        def cell(key: str, width: int = 6, row: dict = row) -> str:
            return f"{row[key]:{width}.3f}" if key in row else " " * width

        print(
            f"| {row['name']:<38} | {cell('render_s')} | {cell('render_cpu_s', 10)} "
            f"| {cell('import_s')} | "
            f"{cell('save_s', 10)} | {str(row.get('save_status', '')):>11} | "
            f"{row.get('import', '')[:50]} |"
        )
    for key in ("render_s", "render_cpu_s", "import_s", "save_s"):
        values = [(row[key], row["name"]) for row in rows if key in row]
        if values:
            worst, name = max(values)
            print(f"max {key[:-2]:<10} {worst:.3f} s  ({name})")
    failed = [r["name"] for r in rows if is_error(r.get("save_status", 302))]
    print(f"admin saves not answered 302: {failed or 'none'}\n")


def print_load(rows: list[dict], seconds: float, args) -> None:
    print(
        f"Load for {seconds:.0f} s: gunicorn {args.workers} sync workers, "
        f"{args.clients} public clients, {args.hostile} hostile admin client(s)\n"
    )
    print(f"| {'surface':<28} | requests | p50 ms | p95 ms | max ms | errors |")
    print(f"|{'-' * 30}|----------|--------|--------|--------|--------|")
    for row in rows:
        kinds = f" ({', '.join(row['error_kinds'])})" if row["errors"] else ""
        print(
            f"| {row['surface']:<28} | {row['requests']:>8} | {row['p50_ms']:6.0f} | "
            f"{row['p95_ms']:6.0f} | {row['max_ms']:6.0f} | {row['errors']:>6}{kinds} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="load duration")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--hostile", type=int, default=1)
    parser.add_argument("--cases", type=int, help="only the first N corpus entries")
    parser.add_argument("--skip-corpus", action="store_true")
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    os.environ.update(ENV)
    setup = prepare()
    from bench.site_bench import start_gunicorn, stop

    server = start_gunicorn(ENV, 0, workers=args.workers, port=PORT)
    results: dict = {"command": " ".join(sys.argv), "settings": ENV}
    try:
        warm = Browser()
        for name, path in setup["surfaces"].items():
            for _ in range(args.workers * 3):
                status, _, _ = warm.request("GET", path)
            if status != 200:
                raise RuntimeError(f"{name} ({path}) answers {status}")
        if not args.skip_corpus:
            results["corpus"] = corpus(args.cases, setup["target"])
            print_corpus(results["corpus"])
        records = load(setup, args.seconds, args.clients, args.hostile)
    finally:
        stop(server)
    results["load"] = summarise(records, [*setup["surfaces"], FORM, SAVE])
    print_load(results["load"], args.seconds, args)
    (OUT / "abuse.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
