"""Public-site benchmark: every figure as a ratio to a minimal Django view.

    .venv/bin/python bench/site_bench.py                  # PostgreSQL (default)
    .venv/bin/python bench/site_bench.py --db sqlite      # a SQLite file instead
    .venv/bin/python bench/site_bench.py --regenerate     # rebuild the data
    .venv/bin/python bench/site_bench.py --db-name archive_mine --redis-db 10
        # a database and Redis db of your own, beside other benchmark runs

1. Fills a database of its own (PostgreSQL `archive_sitebench`, or
   bench/out/sitebench.sqlite3) with bench/generate_site_data.py: 1,000 briefs,
   300 actors, 200 agreements, ~30,000 mentions. Done once; reused after.
2. In-process CPU time per request (time.process_time over N requests through
   the WSGI handler, after a warm-up) for the minimal view, the seed brief, the
   brief list, an actor page and the alliance map (/actors/network/): page
   cache off, then on; plus a conditional request (If-None-Match) with the
   cache on, checked to be a 304 that ran no query and rendered no template.
3. Load: gunicorn (2 sync workers) on 127.0.0.1, and `wrk` (or a Python client
   when wrk is missing) in a separate process, for the same URLs, cache off and
   on: requests per second, p50 and p99 latency.

Every figure is printed beside the minimal view's from the same run and as a
ratio to it. Runtime is bounded: a few seconds per load run. Results are also
written to bench/out/site_bench.json. Targets (from the issue): uncached CPU
per request, brief page <= 7x the minimal view, list, actor page and alliance
map <= 10x; with the page cache on, brief page throughput >= 0.5x the
minimal view's.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PORT = 8765
PG_DB = "archive_sitebench"
REDIS_DB = 9
SEED = "/briefs/balkans-new-military-alliances/"
URLS = {
    "minimal": "/bench/minimal/",
    "brief": SEED,
    "list": "/briefs/",
    "actor": "/actors/serbia/",
    "network": "/actors/network/",
}
TARGETS = {"brief": 7.0, "list": 10.0, "actor": 10.0, "network": 10.0}


def configure(
    db: str, db_name: str = PG_DB, redis_db: int = REDIS_DB
) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": "bench-only-not-secret",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}",
        "PAGE_CACHE_SECONDS": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db_name}"
        if db == "postgres"
        else f"sqlite:///{OUT / 'sitebench.sqlite3'}",
    }
    os.environ.update(env)
    return env


def prepare_database(db: str, regenerate: bool, db_name: str = PG_DB) -> None:
    if db == "postgres":
        import psycopg
        import psycopg.sql

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [db_name]
            ).fetchone()
            if not exists:
                conn.execute(
                    psycopg.sql.SQL("CREATE DATABASE {}").format(
                        psycopg.sql.Identifier(db_name)
                    )
                )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from briefs.models import Brief

    if regenerate or not Brief.objects.filter(slug=SEED.split("/")[2]).exists():
        call_command("flush", interactive=False, verbosity=0)
        from bench.generate_site_data import generate

        started = time.perf_counter()
        generate()
        print(f"generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def interleaved(app, n: int, rounds: int = 5) -> dict:
    """This benchmark's URLs in alternating rounds (see bench/measure.py)."""
    from bench import measure

    return measure.interleaved(app, URLS, n, rounds)


def in_process(n: int) -> dict:
    from django.conf import settings
    from django.core.cache import cache
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.template.backends.django import Template
    from django.test.utils import CaptureQueriesContext

    from bench import measure

    app = get_wsgi_application()
    results: dict = {"uncached": {}, "cached": {}}
    settings.PAGE_CACHE_SECONDS = 0
    results["uncached"] = interleaved(app, n)
    for name, path in URLS.items():
        with CaptureQueriesContext(connection) as queries:
            measure.call(app, path)
        results["uncached"][name]["queries"] = len(queries)

    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    results["cached"] = interleaved(app, n)
    status, _, headers = measure.call(app, SEED)
    etag = headers["ETag"]
    rendered = []
    original = Template.render

    def counting_render(self, *args, **kwargs):
        rendered.append(self)
        return original(self, *args, **kwargs)

    Template.render = counting_render
    try:
        with CaptureQueriesContext(connection) as queries:
            status, body, _ = measure.call(app, SEED, {"If-None-Match": etag})
    finally:
        Template.render = original
    results["conditional"] = {
        "status": int(status[:3]),
        "queries": len(queries),
        "templates_rendered": len(rendered),
        "body_bytes": len(body),
        **measure.cpu_per_request(app, SEED, n, {"If-None-Match": etag}),
    }
    settings.PAGE_CACHE_SECONDS = 0
    return results


def _wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def start_gunicorn(
    env: dict[str, str], cache_seconds: int, *, workers: int = 2, port: int = PORT
) -> subprocess.Popen:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"port {port} is already in use; stop that server")
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "archive.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env={**os.environ, **env, "PAGE_CACHE_SECONDS": str(cache_seconds)},
        start_new_session=True,
    )
    _wait_for_port(port)
    time.sleep(0.5)
    if process.poll() is not None:
        raise RuntimeError("gunicorn exited at start")
    return process


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s)$", text)
    if match is None:
        raise ValueError(f"unexpected latency {text!r} in wrk's output")
    number, unit = match.groups()
    return float(number) * _UNITS[unit]


def wrk(path: str, seconds: int, headers: dict[str, str] | None = None) -> dict:
    command = ["wrk", "-t1", "-c8", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{PORT}{path}"],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99_ms": _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def python_load(path: str, seconds: int, headers=None) -> dict:
    """Fallback when wrk is missing: a separate process with keep-alive clients."""
    code = f"""
import http.client, json, time, threading
lat, stop = [], time.time() + {seconds}
def run():
    c = http.client.HTTPConnection("127.0.0.1", {PORT})
    while time.time() < stop:
        t = time.perf_counter(); c.request("GET", {path!r}, headers={headers or {}!r})
        r = c.getresponse(); r.read(); lat.append((time.perf_counter() - t) * 1000)
threads = [threading.Thread(target=run) for _ in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
lat.sort()
print(json.dumps({{"rps": len(lat) / {seconds}, "p50_ms": lat[len(lat) // 2],
                  "p99_ms": lat[int(len(lat) * .99)], "errors": 0}}))
"""
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return json.loads(output.stdout)


def _warm(path: str, times: int = 20) -> None:
    """Imports, templates, caches and prepared pages, in every worker."""
    import urllib.error
    import urllib.request

    for _ in range(times):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}").read()
        except urllib.error.HTTPError:
            pass


def load(env: dict[str, str], seconds: int) -> dict:
    runner = wrk if shutil.which("wrk") else python_load
    results: dict = {"tool": runner.__name__}
    for label, cache_seconds in (("uncached", 0), ("cached", 300)):
        process = start_gunicorn(env, cache_seconds)
        try:
            results[label] = {}
            for name, path in URLS.items():
                _warm(path)
                results[label][name] = runner(path, seconds)
            if cache_seconds:
                import urllib.request

                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{SEED}") as r:
                    etag = r.headers["ETag"]
                results[label]["conditional"] = runner(
                    SEED, seconds, {"If-None-Match": etag}
                )
        finally:
            stop(process)
    return results


def report(cpu: dict, http: dict, db: str) -> str:
    lines = [f"Public-site benchmark ({db}); ratios are to the minimal view"]
    lines.append("")
    lines.append("In-process CPU time per request (ms, ratio; queries per request)")
    for phase in ("uncached", "cached"):
        base = cpu[phase]["minimal"]["cpu_ms"]
        for name in URLS:
            row = cpu[phase][name]
            target = TARGETS.get(name) if phase == "uncached" else None
            verdict = ""
            if target:
                ok = row["cpu_ms"] / base <= target
                verdict = f"  target <= {target:g}x: {'met' if ok else 'MISSED'}"
            queries = f"; {row['queries']} queries" if "queries" in row else ""
            lines.append(
                f"  {phase:8} {name:8} {row['cpu_ms']:7.3f} ms  "
                f"{row['cpu_ms'] / base:5.2f}x{queries}{verdict}"
            )
    cond = cpu["conditional"]
    base = cpu["cached"]["minimal"]["cpu_ms"]
    lines.append(
        f"  conditional GET: HTTP {cond['status']}, {cond['queries']} queries, "
        f"{cond['templates_rendered']} templates rendered, {cond['cpu_ms']:.3f} ms "
        f"({cond['cpu_ms'] / base:.2f}x)"
    )
    lines.append("")
    lines.append(f"Under load ({http['tool']}, gunicorn 2 sync workers, 8 connections)")
    for phase in ("uncached", "cached"):
        base = http[phase]["minimal"]
        for name, row in http[phase].items():
            rps, p50, p99 = row["rps"], row["p50_ms"], row["p99_ms"]
            lines.append(
                f"  {phase:8} {name:11} {rps:8.0f} req/s "
                f"({rps / base['rps']:4.2f}x)  "
                f"p50 {p50:6.2f} ms ({p50 / base['p50_ms']:5.2f}x)  "
                f"p99 {p99:6.2f} ms ({p99 / base['p99_ms']:5.2f}x)"
            )
    ratio = http["cached"]["brief"]["rps"] / http["cached"]["minimal"]["rps"]
    lines.append(
        f"  cached brief page throughput {ratio:.2f}x the minimal view "
        f"(target >= 0.5x: {'met' if ratio >= 0.5 else 'MISSED'})"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--db-name", default=PG_DB, help="PostgreSQL database")
    parser.add_argument("--redis-db", type=int, default=REDIS_DB, help="Redis db")
    parser.add_argument("--no-load", action="store_true", help="in-process only")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    sys.path.insert(0, str(ROOT))
    env = configure(args.db, args.db_name, args.redis_db)
    prepare_database(args.db, args.regenerate, args.db_name)
    cpu = in_process(args.requests)
    from django.db import connections

    connections.close_all()
    http = (
        {"tool": "none", "uncached": {}, "cached": {}}
        if args.no_load
        else load(env, args.seconds)
    )
    results = {"db": args.db, "cpu": cpu, "http": http}
    (OUT / f"site_bench_{args.db}.json").write_text(json.dumps(results, indent=2))
    if args.no_load:
        http = None
    print(report(cpu, http, args.db) if http else json.dumps(cpu, indent=2))


if __name__ == "__main__":
    main()
