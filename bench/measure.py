"""In-process measurement shared by the benchmarks: CPU time per request.

A request goes through the whole WSGI handler (middleware, view, templates or
DRF, queries) in this process, and `time.process_time()` counts the CPU it
used. On SQLite that includes the database's work, which runs in-process; on
PostgreSQL the server's own work is not counted. Every figure is read beside
a minimal view measured in the same rounds, so a burst of load elsewhere on
the shared machine moves both and the ratio stays steady.
"""

import statistics
import sys
import time
from collections.abc import Callable, Iterable
from io import BytesIO
from typing import Any

App = Callable[..., Iterable[bytes]]


def environ(path: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """A WSGI environ for a GET of `path` (query string included) from 127.0.0.1."""
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": path.partition("?")[2],
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        # The API's throttle keys on the client address.
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        env["HTTP_" + name.upper().replace("-", "_")] = value
    return env


def call(
    app: App, path: str, headers: dict[str, str] | None = None
) -> tuple[str, bytes, dict[str, str]]:
    """One request through the WSGI app: (status line, body, headers)."""
    result: dict[str, Any] = {}

    def start_response(status: str, response_headers: list, exc_info: Any = None):
        result["status"] = status
        result["headers"] = dict(response_headers)

    body_iter = app(environ(path, headers), start_response)
    body = b"".join(body_iter)
    if hasattr(body_iter, "close"):
        body_iter.close()
    return result["status"], body, result["headers"]


def cpu_per_request(
    app: App,
    path: str,
    n: int = 200,
    headers: dict[str, str] | None = None,
    seconds: float | None = None,
) -> dict[str, float]:
    """Mean CPU and wall milliseconds per request, after a warm-up.

    `n` requests, or with `seconds` as many as fit in that much wall time (at
    least 20), so that a slow page does not take minutes and a fast one is
    not measured over a handful of requests.
    """
    for _ in range(max(20, n // 10)):  # warm-up: imports, template loader, caches
        status, _, _ = call(app, path, headers)
    assert status[:3] in ("200", "304"), (path, status)
    count, cpu, wall = 0, time.process_time(), time.perf_counter()
    while (
        count < n
        if seconds is None
        else (time.perf_counter() - wall < seconds or count < 20)
    ):
        call(app, path, headers)
        count += 1
    return {
        "cpu_ms": (time.process_time() - cpu) * 1000 / count,
        "wall_ms": (time.perf_counter() - wall) * 1000 / count,
        "requests": count,
    }


def interleaved(
    app: App,
    urls: dict[str, str],
    n: int = 1000,
    rounds: int = 5,
    seconds: float | None = None,
) -> dict[str, dict[str, float]]:
    """Each URL measured in `rounds` alternating rounds; the median round counts.

    The machine is shared, so a burst of load elsewhere would skew whichever
    URL happened to run then; alternating and taking medians keeps the ratios
    to the minimal view, measured in the same rounds, steady. Per round each
    URL gets `n / rounds` requests, or `seconds / rounds` of wall time.
    """
    samples: dict[str, list[dict]] = {name: [] for name in urls}
    for _ in range(rounds):
        for name, path in urls.items():
            samples[name].append(
                cpu_per_request(
                    app,
                    path,
                    max(n // rounds, 20),
                    seconds=None if seconds is None else seconds / rounds,
                )
            )
    return {
        name: {
            key: statistics.median(sample[key] for sample in runs)
            for key in ("cpu_ms", "wall_ms")
        }
        for name, runs in samples.items()
    }


def queries_per_request(app: App, path: str) -> int:
    """How many queries one request of `path` runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        status, _, _ = call(app, path)
    assert status[:3] == "200", (path, status)
    return len(queries)
