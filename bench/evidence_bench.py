"""The evidence pages (bloc comparisons, alliance maps) against a minimal view.

    .venv/bin/python bench/evidence_bench.py --seconds 8 --rounds 4   # both databases
    .venv/bin/python bench/evidence_bench.py --db sqlite              # one of them

The demo data (`load_demo`: 32 actors, 37 indicators, the demo briefs and
agreements) is loaded into bench/out/evidence.sqlite3 and into the PostgreSQL
database `speed_b` on 127.0.0.1:5432 (or $EVIDENCE_PG_URL) the first time and
reused after. Each database is measured in a process of its own, page cache
off (`PAGE_CACHE_SECONDS=0`), as CPU per request (`time.process_time`, which
on PostgreSQL leaves out the server's own work) divided by the CPU of a
minimal view measured in the same interleaved rounds (bench/measure.py).

Three figures per page:

- **steady**: the median round, with the in-process picture memo on
  (`PREPARED_LISTS=1`: each SVG picture is drawn once per content generation
  and day, per process, `publishing/pictures.py`). The compare page keeps
  nothing per query; its per-process state is compiled queries and the page
  skeleton, which are the same for every query.
- **drawn**: the picture memo emptied before each request, so every picture
  is drawn (what `PREPARED_LISTS=0` costs, and the first request after any
  change to the reference data); median of `--drawn` requests after warm-up.
- **first**: the very first request of that address in the process (one
  sample: imports, template loading, query compiling, drawing).

Target (issue #13): the compare page and the network page uncached at most
10x the minimal view.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SQLITE = OUT / "evidence.sqlite3"
PG_URL = os.environ.get("EVIDENCE_PG_URL", "postgres://postgres@127.0.0.1:5432/speed_b")
BLOCS = "/compare/?a=serbia,hungary&b=albania,croatia,kosovo"
URLS = {
    "minimal": "/bench/minimal/",
    "compare HTML": BLOCS,
    "compare JSON": BLOCS + "&format=json",
    "compare CSV": BLOCS + "&format=csv",
    "network": "/actors/network/",
    "network (serbia, 2025-05-01)": "/actors/network/?actor=serbia&on=2025-05-01",
    "actor page (serbia)": "/actors/serbia/",
    "agreement page": "/agreements/albania-croatia-kosovo-defence-declaration-2025/",
}
TARGETS = {"compare HTML": 10.0, "network": 10.0}


def environment(db: str) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": "bench-only-not-secret",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "ERROR",
        "PAGE_CACHE_SECONDS": "0",
        # The picture memo on; local-memory cache (no REDIS_URL) in one process.
        "PREPARED_LISTS": "1",
        "REDIS_URL": "",
        "DATABASE_URL": PG_URL if db == "postgres" else f"sqlite:///{SQLITE}",
    }


def worker(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from actors.models import Actor
    from bench.measure import call, interleaved
    from publishing import pictures

    call_command("migrate", verbosity=0)
    # Pages name hashed static files (DEBUG off): the manifest must exist.
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Actor.objects.filter(slug="serbia").exists():
        call_command("load_demo", verbosity=0)
    app = get_wsgi_application()

    def one(path: str) -> float:
        started = time.process_time()
        status, _, _ = call(app, path)
        assert status.startswith("200"), (path, status)
        return (time.process_time() - started) * 1000

    first = {name: one(path) for name, path in URLS.items()}
    drawn: dict[str, float] = {}
    for name, path in URLS.items():
        samples = []
        for _ in range(args.drawn):
            pictures.forget()
            samples.append(one(path))
        drawn[name] = statistics.median(samples)
    steady = interleaved(app, URLS, rounds=args.rounds, seconds=args.seconds)
    result = {
        "db": connection.vendor,
        "version": _server_version(connection),
        "prepared_lists": settings.PREPARED_LISTS,
        "page_cache_seconds": settings.PAGE_CACHE_SECONDS,
        "first": first,
        "drawn": drawn,
        "steady": {name: figures["cpu_ms"] for name, figures in steady.items()},
    }
    print("RESULT " + json.dumps(result))


def _server_version(connection: object) -> str:
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        if connection.vendor == "postgresql":  # type: ignore[attr-defined]
            cursor.execute("SHOW server_version")
            return "PostgreSQL " + cursor.fetchone()[0].split()[0]
        cursor.execute("SELECT sqlite_version()")
        return "SQLite " + cursor.fetchone()[0]


def report(result: dict) -> str:
    base = result["steady"]["minimal"]
    lines = [
        f"{result['version']}: page cache off "
        f"(PAGE_CACHE_SECONDS={result['page_cache_seconds']}); picture memo "
        f"{'ON' if result['prepared_lists'] else 'OFF'} "
        "(PREPARED_LISTS=1, SVG kept per content generation and day) for 'steady';\n"
        "'drawn' empties it before each request; 'first' is the process's first "
        "request.",
        f"{'page':<30} {'steady ms':>9} {'x min':>6} {'drawn ms':>9} {'x min':>6}"
        f" {'first ms':>9} {'target':>7}",
    ]
    for name in URLS:
        steady, drawn = result["steady"][name], result["drawn"][name]
        target = TARGETS.get(name)
        verdict = ""
        if target:
            verdict = f"<= {target:g}x " + (
                "met" if steady / base <= target else "MISSED"
            )
        lines.append(
            f"{name:<30} {steady:9.3f} {steady / base:6.1f} {drawn:9.3f}"
            f" {drawn / base:6.1f} {result['first'][name]:9.1f} {verdict}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--drawn", type=int, default=9)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    OUT.mkdir(exist_ok=True)
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        command = [
            sys.executable,
            __file__,
            "--worker",
            f"--seconds={args.seconds}",
            f"--rounds={args.rounds}",
            f"--drawn={args.drawn}",
        ]
        done = subprocess.run(
            command,
            cwd=ROOT,
            env={**os.environ, **environment(db)},
            check=True,
            capture_output=True,
            text=True,
        )
        line = next(ln for ln in done.stdout.splitlines() if ln.startswith("RESULT "))
        result = json.loads(line[len("RESULT ") :])
        (OUT / f"evidence_{db}.json").write_text(json.dumps(result, indent=1))
        print(report(result) + "\n", flush=True)


if __name__ == "__main__":
    main()
