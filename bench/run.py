"""Public pages and partner API on SQLite and PostgreSQL, side by side, in one run.

    .venv/bin/python bench/run.py --briefs 1000             # both databases
    .venv/bin/python bench/run.py --briefs 1000 --db sqlite # one of them
    .venv/bin/python bench/run.py --regenerate              # rebuild the data
    .venv/bin/python bench/run.py --report                  # reprint the last run
    make bench                                              # the first line

For each database, in a process of its own (Django is configured once per
process): migrate a database kept for the benchmark (bench/out/run_<N>.sqlite3,
PostgreSQL `archive_bench_<N>`), fill it with bench/generate_site_data.py if it
does not hold N published briefs yet (every brief published through the
editions pipeline, a tenth of them corrected once), then measure in-process
CPU time per request (bench/measure.py: interleaved rounds, medians) for a
minimal view and every surface, first uncached (PAGE_CACHE_SECONDS=0) and then
with the page and API answer cache on. One table compares the two databases
as ratios to the minimal view measured in the same rounds; results are kept
in bench/out/run_<db>_<N>.json.

The cache is Redis when one answers on 127.0.0.1:6379 (as in production; a db
of its own, `--redis-db`), else local memory; the table says which. On
PostgreSQL the server's own work is not counted (it runs in another process);
on SQLite it is.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
SEED_SLUG = "balkans-new-military-alliances"

# (key, label, address, uncached target, cached target); targets are ratios to
# the minimal view from issue #10. Cached: no worse than before editions.
MINIMAL = "/bench/minimal/"
SURFACES = [
    ("brief", "brief page", f"/briefs/{SEED_SLUG}/", 5, 1.3),
    ("list", "brief list", "/briefs/", 6, 1.3),
    ("actor", "actor page (Serbia)", "/actors/serbia/", 8, 1.3),
    (
        "agreement",
        "agreement page",
        "/agreements/serbia-hungary-defense-cooperation-plan/",
        8,
        1.3,
    ),
    ("recommendations", "recommendations page", "/recommendations/", 10, 1.3),
    # The same page in Serbian (Cyrillic, Latin) and, for a fair comparison,
    # in English through the same route: under /sr/ and /sr-latn/ once the
    # site has its language prefixes, through bench/urls.py's route before.
    ("brief_en", "brief page (en, same route)", f"/en/briefs/{SEED_SLUG}/", 5, 1.3),
    ("brief_sr", "brief page (sr)", f"/sr/briefs/{SEED_SLUG}/", 5, 1.3),
    ("brief_sr_latn", "brief page (sr-latn)", f"/sr-latn/briefs/{SEED_SLUG}/", 5, 1.3),
    ("api_list", "API brief list (20)", "/api/v1/briefs/?page_size=20", 12, 4.7),
    ("api_detail", "API brief detail", f"/api/v1/briefs/{SEED_SLUG}/", 8, 4.7),
]
DATABASES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def database_url(db: str, briefs: int) -> str:
    if db == "postgres":
        return f"{PG_SERVER}/archive_bench_{briefs}"
    return f"sqlite:///{OUT / f'run_{briefs}.sqlite3'}"


def redis_available() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


def environment(db: str, briefs: int, redis_db: int | None) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": "bench-only-not-secret",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Throttling stays on (its cache work is part of the cost), never reached.
        "API_ANON_RATE": "100000000/min",
        "LOG_LEVEL": "ERROR",
        "PAGE_CACHE_SECONDS": "0",
        "DATABASE_URL": database_url(db, briefs),
        **({"REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}"} if redis_db else {}),
    }


# The worker: one database, in its own process ------------------------------------


def _create_postgres_database(name: str, *, fresh: bool) -> None:
    import psycopg
    import psycopg.sql

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        ident = psycopg.sql.Identifier(name)
        if fresh:
            conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {}").format(ident))
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(ident))


def prepare(db: str, briefs: int, regenerate: bool) -> float | None:
    """Migrate, and generate the archive unless it is there; seconds generating."""
    if db == "postgres":
        _create_postgres_database(f"archive_bench_{briefs}", fresh=regenerate)
    elif regenerate:
        (OUT / f"run_{briefs}.sqlite3").unlink(missing_ok=True)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from publishing.models import Edition

    public = Edition.objects.public()
    if public.count() >= briefs and public.filter(slug=SEED_SLUG).exists():
        return None
    call_command("flush", interactive=False, verbosity=0)
    from bench.generate_site_data import generate

    started = time.perf_counter()
    generate(briefs=briefs)
    return time.perf_counter() - started


def measure(seconds: float, rounds: int) -> dict:
    from django.conf import settings
    from django.core.cache import cache
    from django.core.wsgi import get_wsgi_application

    from bench.measure import call, interleaved, queries_per_request

    app = get_wsgi_application()
    urls = {
        "minimal": MINIMAL,
        **{key: _language_address(url) for key, _, url, _, _ in SURFACES},
    }
    # A surface that does not answer 200 (the code is mid-change) is reported
    # with its status instead of stopping the run.
    results: dict = {"failed": {}}
    for key, url in list(urls.items()):
        status = call(app, url)[0]
        if not status.startswith("200"):
            results["failed"][key] = status
            del urls[key]
    settings.PAGE_CACHE_SECONDS = 0
    results["uncached"] = interleaved(
        app, urls, rounds=rounds, seconds=seconds * rounds
    )
    results["queries"] = {
        key: queries_per_request(app, url) for key, url in urls.items()
    }
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    results["cached"] = interleaved(app, urls, rounds=rounds, seconds=seconds * rounds)
    settings.PAGE_CACHE_SECONDS = 0
    return results


def _language_address(url: str) -> str:
    """A language-prefixed address as the site serves it: /sr/… once it has
    language prefixes (English unprefixed), else bench/urls.py's route."""
    from django.urls import Resolver404, resolve

    language, _, page = url.lstrip("/").partition("/")
    if language not in ("en", "sr", "sr-latn"):
        return url
    if language == "en":
        try:
            resolve("/sr/" + page)
        except Resolver404:
            return f"/bench/in/en/{page}"
        return f"/{page}"
    try:
        resolve(url)
    except Resolver404:
        return f"/bench/in/{language}/{page}"
    return url


def worker(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(environment(args.worker, args.briefs, args.redis_db))
    generated = prepare(args.worker, args.briefs, args.regenerate)
    from django.conf import settings
    from django.db import connection

    results = {
        "db": args.worker,
        "server_version": _server_version(connection),
        "briefs": args.briefs,
        "generated_seconds": generated,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "prepared_lists": settings.PREPARED_LISTS,
        **measure(args.seconds, args.rounds),
    }
    result_path(args.worker, args.briefs).write_text(json.dumps(results, indent=2))


def _server_version(connection: object) -> str:
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return f"{major}.{minor}"
    import sqlite3

    return sqlite3.sqlite_version


def result_path(db: str, briefs: int) -> Path:
    return OUT / f"run_{db}_{briefs}.json"


# The report ------------------------------------------------------------------------


def _cell(phase: dict, key: str, queries: dict | None, target: float) -> str:
    if key not in phase:
        return "not measured"
    ratio = phase[key]["cpu_ms"] / phase["minimal"]["cpu_ms"]
    flag = "" if ratio <= target else " !"
    extra = f", {queries[key]}q" if queries else ""
    return f"{ratio:6.1f}x ({phase[key]['cpu_ms']:.2f} ms{extra}){flag}"


def report(results: dict[str, dict]) -> str:
    dbs = [db for db in DATABASES if db in results]
    columns = [(db, "uncached") for db in dbs] + [(db, "cached") for db in dbs]
    headers = ["surface"] + [
        f"{'PG' if db == 'postgres' else 'SQLite'} {phase}" for db, phase in columns
    ]
    headers.append("target (uncached / cached)")
    rows = []
    minimal = ["minimal view (absolute)"]
    for db, phase in columns:
        minimal.append(f"{results[db][phase]['minimal']['cpu_ms']:.3f} ms")
    rows.append(minimal + [""])
    for key, label, _url, target, cached_target in SURFACES:
        row = [label]
        for db, phase in columns:
            data = results[db]
            row.append(
                _cell(
                    data[phase],
                    key,
                    data["queries"] if phase == "uncached" else None,
                    target if phase == "uncached" else cached_target,
                )
            )
        row.append(f"<= {target}x / <= {cached_target}x")
        rows.append(row)
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return (
            "| "
            + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
            + " |"
        )

    out = [
        f"CPU time per request in-process, as a ratio to the minimal view in the "
        f"same rounds; {results[dbs[0]]['briefs']:,} briefs.",
        "Uncached cells give the queries per request; '!' marks a missed target.",
    ]
    for db in dbs:
        data = results[db]
        out.append(
            f"  {DATABASES[db]} {data['server_version']}: cache {data['cache']}, "
            f"PREPARED_LISTS={'on' if data['prepared_lists'] else 'off'}"
            + (
                f"; data generated in {data['generated_seconds']:.0f} s"
                if data["generated_seconds"]
                else "; data reused"
            )
        )
    out += ["", line(headers), line(["-" * w for w in widths])]
    out += [line(row) for row in rows]
    for db in dbs:
        for key, status in results[db]["failed"].items():
            out.append(f"{DATABASES[db]}: {key} answered {status}; not measured.")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefs", type=int, default=1000)
    parser.add_argument("--db", choices=["both", *DATABASES], default="both")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--seconds",
        type=float,
        default=0.6,
        help="wall time per surface per round (plus a warm-up)",
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--redis-db", type=int, default=12, help="Redis db to use")
    parser.add_argument("--no-redis", action="store_true", help="local-memory cache")
    parser.add_argument("--report", action="store_true", help="reprint the last run")
    parser.add_argument("--worker", choices=list(DATABASES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.no_redis or not redis_available():
        args.redis_db = None
    if args.worker:
        worker(args)
        return
    dbs = list(DATABASES) if args.db == "both" else [args.db]
    if not args.report:
        for db in dbs:
            command = [sys.executable, __file__, "--worker", db]
            command += ["--briefs", str(args.briefs), "--seconds", str(args.seconds)]
            command += ["--rounds", str(args.rounds)]
            command += ["--redis-db", str(args.redis_db or 0)]
            command += ["--regenerate"] if args.regenerate else []
            command += ["--no-redis"] if args.redis_db is None else []
            print(f"{DATABASES[db]}: preparing and measuring…", file=sys.stderr)
            subprocess.run(command, cwd=ROOT, check=True)
    results = {}
    for db in dbs:
        path = result_path(db, args.briefs)
        if path.exists():
            results[db] = json.loads(path.read_text())
    print(report(results))


if __name__ == "__main__":
    main()
