"""Benchmark the partner API against a minimal Django view, in one run.

    .venv/bin/python bench/api_bench.py [--quick]

Generates its own archive with bench/generate_site_data.py (1,000 briefs
published through the editions pipeline, 300 actors, 200 agreements) into a
separate SQLite database under bench/out/ (or BENCH_DATABASE_URL), then:

1. CPU time per request, in-process through the full WSGI stack (middleware,
   throttling, DRF, queries, JSON): `/api/v1/briefs/` (a page of 20),
   `/api/v1/agreements/?party=…&party=…&status=…`, and a minimal view;
   first uncached (PAGE_CACHE_SECONDS=0: every request queries and
   serialises), then with the answer cache on (kernel/viewsets.py; a local
   memory cache here, Redis in production) for a repeated request and a
   conditional one (If-None-Match, 304). On SQLite the database work is
   in-process and counted; on PostgreSQL it is not (it runs in the server
   process).
2. Queries per request for the brief list with page sizes 5, 20 and 100.
3. Throughput under load: gunicorn (2 sync workers) on 127.0.0.1 and `wrk`
   (or a small Python load generator when wrk is absent) for a few seconds
   per address, uncached and then with the answer cache on.

Prints each figure and the ratios to the minimal view. Target: the brief
list at most 12x the minimal view's CPU time per request (met by the cached
answer; the uncached figure is printed beside it), and a query count that
does not grow with the page size. Bounded: about a minute and a half in all.
"""

import argparse
import http.client
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "archive.settings",
    "SECRET_KEY": "bench-only-not-secret",
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    # Throttling stays on (its cache work is part of the cost), never reached.
    "API_ANON_RATE": "100000000/min",
    "LOG_LEVEL": "ERROR",
    # Uncached unless a measurement turns the answer cache on.
    "PAGE_CACHE_SECONDS": "0",
    "DATABASE_URL": os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{OUT / 'api_bench.sqlite3'}"
    ),
}
os.environ.update(BENCH_ENV)
OUT.mkdir(parents=True, exist_ok=True)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import api_wsgi  # noqa: E402  (sets up Django)

BRIEFS = 1000
PAGE_URL = "/api/v1/briefs/"
AGREEMENTS_URL = "/api/v1/agreements/?party=serbia&party=hungary&status=signed"
MINIMAL_URL = "/bench/minimal/"


def generate() -> None:
    """The archive of bench/generate_site_data.py, generated once and reused.

    Published through the editions pipeline, as every public surface (the
    API included) reads editions.
    """
    from bench.generate_site_data import generate as generate_archive
    from publishing.models import Edition

    call_command("migrate", verbosity=0)
    if Edition.objects.public().count() >= BRIEFS:
        return
    print("generating the archive…", flush=True)
    call_command("flush", interactive=False, verbosity=0)
    generate_archive(briefs=BRIEFS)


def _environ(url: str, headers: dict[str, str] | None = None) -> dict:
    path, _, query = url.partition("?")
    return {
        **(headers or {}),
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }


def call(url: str, headers: dict[str, str] | None = None) -> tuple[str, bytes]:
    status, answer_headers = [], []

    def start_response(s: str, h: list, *a: object) -> None:
        status.append(s)
        answer_headers.append(dict(h))

    body = b"".join(api_wsgi.application(_environ(url, headers), start_response))
    call.headers = answer_headers[0]
    return status[0], body


def cpu_per_request(
    url: str, seconds: float, headers: dict[str, str] | None = None
) -> float:
    """Mean CPU seconds per request over about `seconds` of wall time."""
    status, _ = call(url, headers)
    expected = "304" if headers else "200"
    assert status.startswith(expected), (url, status)
    for _ in range(5):
        call(url, headers)  # warm caches
    n, start_cpu, start = 0, time.process_time(), time.perf_counter()
    while time.perf_counter() - start < seconds or n < 20:
        call(url, headers)
        n += 1
    return (time.process_time() - start_cpu) / n


def queries(url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        status, _ = call(url)
    assert status.startswith("200"), (url, status)
    return len(captured)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _python_load(port: int, url: str, seconds: float, connections: int) -> float:
    """Requests per second from `connections` threads (when wrk is absent)."""
    counts = [0] * connections
    deadline = time.perf_counter() + seconds

    def worker(i: int) -> None:
        while time.perf_counter() < deadline:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", url)
            conn.getresponse().read()
            conn.close()
            counts[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / seconds


def throughput(
    urls: list[str], seconds: float, env: dict[str, str] | None = None
) -> dict[str, float]:
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "bench.api_wsgi:application",
        ],
        cwd=ROOT,
        env={**os.environ, **BENCH_ENV, **(env or {})},
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.1)
        results = {}
        wrk = shutil.which("wrk")
        for url in urls:
            if wrk:
                out = subprocess.run(
                    [
                        wrk,
                        "-t2",
                        "-c8",
                        f"-d{seconds:.0f}s",
                        f"http://127.0.0.1:{port}{url}",
                    ],
                    capture_output=True,
                    text=True,
                    timeout=seconds + 30,
                ).stdout
                match = re.search(r"Requests/sec:\s+([\d.]+)", out)
                errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
                if errors:
                    print(f"  warning: {errors[1]} non-2xx answers for {url}")
                results[url] = float(match[1]) if match else 0.0
            else:
                results[url] = _python_load(port, url, seconds, connections=8)
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs")
    args = parser.parse_args()
    cpu_seconds = 1.5 if args.quick else 4.0
    load_seconds = 3 if args.quick else 6

    generate()
    print(f"database: {connection.vendor}; briefs: {BRIEFS}")

    print("\nqueries per request (brief list):")
    for size in [5, 20, 100]:
        print(f"  page_size={size:<4} {queries(f'{PAGE_URL}?page_size={size}')}")
    print(f"  agreements filter  {queries(AGREEMENTS_URL)}")

    from django.conf import settings
    from django.core.cache import cache

    def show(label: str, seconds: float) -> None:
        ratio = seconds / cpu[MINIMAL_URL]
        print(f"  {label:<62} {seconds * 1000:7.3f} ms  {ratio:5.1f}x minimal")

    print("\nCPU time per request, uncached (in-process, full WSGI stack):")
    cpu = {
        url: cpu_per_request(url, cpu_seconds)
        for url in [MINIMAL_URL, PAGE_URL, AGREEMENTS_URL]
    }
    for url, seconds in cpu.items():
        show(url, seconds)

    print("\nCPU time per request, answer cache on (repeated request):")
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    cached = {
        url: cpu_per_request(url, cpu_seconds) for url in [PAGE_URL, AGREEMENTS_URL]
    }
    for url, seconds in cached.items():
        show(url, seconds)
    with CaptureQueriesContext(connection) as captured:
        call(PAGE_URL)
    print(f"  queries per cached brief list: {len(captured)}")
    etag = call.headers["ETag"]
    conditional = cpu_per_request(PAGE_URL, cpu_seconds, {"HTTP_IF_NONE_MATCH": etag})
    show(f"{PAGE_URL} If-None-Match (304)", conditional)
    settings.PAGE_CACHE_SECONDS = 0

    urls = [MINIMAL_URL, PAGE_URL, AGREEMENTS_URL]
    for label, env in [
        ("uncached", {}),
        ("answer cache on, local memory per worker", {"PAGE_CACHE_SECONDS": "300"}),
    ]:
        print(
            f"\nthroughput under load, {label} "
            f"(gunicorn 2 workers, {load_seconds}s each):"
        )
        rps = throughput(urls, load_seconds, env)
        for url, value in rps.items():
            ratio = rps[MINIMAL_URL] / value if value else float("inf")
            print(f"  {url:<62} {value:8.1f} req/s  {ratio:5.1f}x slower than minimal")

    uncached_ratio = cpu[PAGE_URL] / cpu[MINIMAL_URL]
    ratio = cached[PAGE_URL] / cpu[MINIMAL_URL]
    print(
        f"\nbrief list: {ratio:.1f}x the minimal view's CPU per request with the "
        f"answer cache ({uncached_ratio:.1f}x uncached; target at most 12x): "
        f"{'OK' if ratio <= 12 else 'OVER TARGET'}"
    )


if __name__ == "__main__":
    main()
