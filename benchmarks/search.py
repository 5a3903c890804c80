"""How long site search takes over 1,000 generated projects: 200 searches, median and 95th percentile.

Run from the repository root: `.venv/bin/python benchmarks/search.py` (see benchmarks/README.md).
It builds a scratch SQLite database (or uses `--database-url` for a scratch PostgreSQL database), loads
the demo with N generated projects, and times the queries of the evaluation set (search/eval), cycled.
"""

import argparse
import io
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = 1000
SEARCHES = 200
WARMUP = 10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=PROJECTS, help="generated projects to add")
    parser.add_argument("--searches", type=int, default=SEARCHES, help="timed searches")
    parser.add_argument(
        "--database-url", help="an empty scratch database to use instead of SQLite (it will be overwritten)"
    )
    return parser.parse_args()


def timed(function, items):
    timings = []
    for item in items:
        started = time.perf_counter()
        function(item)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def summary(timings):
    p95 = statistics.quantiles(timings, n=20, method="inclusive")[18]
    return f"median {statistics.median(timings):.1f} ms   p95 {p95:.1f} ms"


def main():
    args = parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="search-bench-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{scratch / 'search.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from projects.models import ProjectPage
    from search.eval import load_queries
    from search.site_search import search_pages

    try:
        print(f"Building the demo with {args.projects} generated projects…", file=sys.stderr, flush=True)
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", projects=args.projects, stdout=io.StringIO())
        built = time.monotonic() - started

        queries = [item["q"] for item in load_queries()]
        searches = list(islice(cycle(queries), args.searches))
        client = Client()

        def top_ten(query):
            list(search_pages(query)[:10])

        def page(query):
            response = client.get("/search/?" + urlencode({"q": query}))
            if response.status_code != 200:
                raise SystemExit(f"/search/?q={query} answered {response.status_code}")

        for query in searches[:WARMUP]:
            page(query)
        search_timings = timed(top_ten, searches)
        page_timings = timed(page, searches)

        vendor = f"SQLite {sqlite3.sqlite_version}" if connection.vendor == "sqlite" else connection.vendor
        print(
            f"Search benchmark: {vendor}, Python {platform.python_version()}, {os.cpu_count()} CPUs; "
            f"{ProjectPage.objects.live().count()} live projects, built in {built:.0f} s; "
            f"{args.searches} searches cycling through {len(queries)} evaluation queries."
        )
        print(f"  top 10 results (search_pages):        {summary(search_timings)}")
        print(f"  whole /search/ page (Django client):  {summary(page_timings)}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
