"""How long site search takes over 1,000 generated projects, and what its index costs.

Run from the repository root: `.venv/bin/python benchmarks/search.py` (see benchmarks/README.md).
It builds a scratch SQLite database (or uses `--database-url` for a scratch PostgreSQL database), loads
the demo with N generated projects, times `update_index` and measures the index's size, then times 200
searches cycling through the queries of the evaluation set (search/eval): the search alone, and the whole
/search/ page (median and 95th percentile).
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
FTS_TABLE = "wagtailsearch_indexentry_fts"
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


def index_size(connection):
    """The space the search index takes: Wagtail's index entries (on SQLite with their FTS5 table and its
    shadow tables; on PostgreSQL with their indexes and TOAST), and the vocabulary kept beside them."""
    from modelsearch.conf import get_app_config

    from search.models import IndexedWords

    tables = {
        "index entries": get_app_config().get_model("IndexEntry")._meta.db_table,
        "vocabulary": IndexedWords._meta.db_table,
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sizes = {}
            for label, table in tables.items():
                cursor.execute("SELECT pg_total_relation_size(%s::regclass)", [table])
                sizes[label] = cursor.fetchone()[0]
        else:
            sizes = sqlite_sizes(cursor, tables)
            if sizes is None:
                return f"dbstat unavailable; database file {megabytes(database_file_size(connection))}"
    parts = ", ".join(f"{label} {megabytes(size)}" for label, size in sizes.items())
    return f"{megabytes(sum(sizes.values()))} ({parts})"


def sqlite_sizes(cursor, tables):
    """Bytes of the pages each table and everything built on it (indexes, FTS5 shadow tables) use, from
    SQLite's dbstat virtual table; None if this SQLite was built without it."""
    try:
        cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
    except sqlite3.OperationalError:
        return None
    pages = dict(cursor.fetchall())
    cursor.execute("SELECT name, tbl_name FROM sqlite_master")
    owner = dict(cursor.fetchall())
    sizes = {}
    for label, table in tables.items():
        # The FTS5 table (<table>_fts) and its shadow tables (<table>_fts_data, …) are named after the table.
        sizes[label] = sum(
            size
            for name, size in pages.items()
            if name == table or owner.get(name) == table or name.startswith(f"{table}_fts")
        )
    return sizes


def database_file_size(connection):
    return Path(connection.settings_dict["NAME"]).stat().st_size


def load_average():
    """The 1-minute load average: the machine is shared, and other work slows every figure."""
    return f"{os.getloadavg()[0]:.2f}"


def megabytes(size):
    return f"{size / 1_000_000:.2f} MB"


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
    from search.site_search import run_search

    try:
        load_at_start = load_average()
        print(f"Building the demo with {args.projects} generated projects…", file=sys.stderr, flush=True)
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", projects=args.projects, stdout=io.StringIO())
        built = time.monotonic() - started
        size_loaded = index_size(connection)
        started = time.monotonic()
        call_command("update_index", stdout=io.StringIO())
        update_index_time = time.monotonic() - started
        size_rebuilt = index_size(connection)
        size_merged = None
        if connection.vendor == "sqlite":
            # FTS5 keeps replaced rows until its segments are merged; merged, the size is the index's own.
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES('optimize')")
            size_merged = index_size(connection)

        queries = [item["q"] for item in load_queries()]
        searches = list(islice(cycle(queries), args.searches))
        client = Client()

        def top_ten(query):
            list(run_search(query).pages[:10])

        def page(query):
            response = client.get("/search/?" + urlencode({"q": query}))
            if response.status_code != 200:
                raise SystemExit(f"/search/?q={query} answered {response.status_code}")

        for query in searches[:WARMUP]:
            page(query)
        load_before_timing = load_average()
        search_timings = timed(top_ten, searches)
        page_timings = timed(page, searches)

        vendor = f"SQLite {sqlite3.sqlite_version}" if connection.vendor == "sqlite" else connection.vendor
        print(
            f"Search benchmark: {vendor}, Python {platform.python_version()}, {os.cpu_count()} CPUs; "
            f"{ProjectPage.objects.live().count()} live projects, built in {built:.0f} s; "
            f"{args.searches} searches cycling through {len(queries)} evaluation queries."
        )
        print(f"  load average at the start {load_at_start}, before timing the searches {load_before_timing}")
        print(f"  top 10 results (run_search):          {summary(search_timings)}")
        print(f"  whole /search/ page (Django client):  {summary(page_timings)}")
        print(f"  update_index (all pages, rebuilt):    {update_index_time:.1f} s")
        print(f"  search index as loaded:               {size_loaded}")
        print(f"  search index after update_index:      {size_rebuilt}")
        if size_merged is not None:
            print(f"  the same, FTS5 segments merged:       {size_merged}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
