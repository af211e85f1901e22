"""The comparison page against a minimal Django view, with the demo data.

    .venv/bin/python bench/compare_bench.py              # 5 rounds, ~20 s
    .venv/bin/python bench/compare_bench.py --seconds 10

Loads the demo (`load_demo`, 32 actors, 37 indicators, the demo briefs) into
bench/out/compare.sqlite3 the first time (reused after), then measures the
CPU per request, page cache off, of: the minimal view, /compare/ for the
seed's two blocs (page, CSV and JSON), /compare/ with every metric and a
date, and an actor page with its indicators, in alternating rounds
(bench/measure.py). Target (issue #13): the compare page uncached at most 10x
the minimal view.
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DB = OUT / "compare.sqlite3"
BLOCS = "/compare/?a=serbia,hungary&b=albania,croatia,kosovo"
URLS = {
    "minimal": "/bench/minimal/",
    "compare": BLOCS,
    "compare (named, dated, 4 metrics)": BLOCS
    + "&a_name=Belgrade&b_name=Tirana&on=2025-06-01"
    + "&metrics=main_battle_tanks,combat_aircraft,defense_industry,active_troops",
    "compare CSV": BLOCS + "&format=csv",
    "compare JSON": BLOCS + "&format=json",
    "actor page (indicators)": "/actors/serbia/",
}
TARGET = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ["DEBUG"] = "0"
    os.environ["PAGE_CACHE_SECONDS"] = "0"
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    from bench.measure import interleaved

    fresh = not DB.exists()
    call_command("migrate", verbosity=0)
    # Pages name hashed static files (DEBUG off): the manifest must exist.
    call_command("collectstatic", interactive=False, verbosity=0)
    if fresh:
        call_command("load_demo", verbosity=0)
    app = get_wsgi_application()
    results = interleaved(app, URLS, rounds=args.rounds, seconds=args.seconds)
    base = results["minimal"]["cpu_ms"]
    print(f"{'URL':<40} {'CPU ms':>8} {'x minimal':>10}")
    for name, figures in results.items():
        ratio = figures["cpu_ms"] / base
        print(f"{name:<40} {figures['cpu_ms']:8.3f} {ratio:10.1f}")
    ratio = results["compare"]["cpu_ms"] / base
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(
        f"\ncompare page: {ratio:.1f}x the minimal view "
        f"(target <= {TARGET}x): {verdict}"
    )


if __name__ == "__main__":
    main()
