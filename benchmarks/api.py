"""The open data API and downloads at 20 and 1,000 generated projects: requests per second and SQL queries
per request for the filtered project list and one project, and the size and regeneration time of every
download file.

Run from the repository root: `.venv/bin/python benchmarks/api.py` (see benchmarks/README.md).
Each size gets its own scratch SQLite database and media folder in a child process.
"""

import argparse
import io
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from child_runs import count_queries, run_child

ROOT = Path(__file__).resolve().parent.parent
SIZES = (20, 1000)
REQUESTS = 300
WARMUP = 5
# The filtered project list (first page), as a portal would ask for it, with slugs of the demo catalog
# (projects/demo/catalog.json) that the generated projects use too. The project detail URL is added per
# size, for a generated project.
LIST_URL = "/api/projects/?category=children&support=website"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="numbers of projects")
    parser.add_argument("--requests", type=int, default=REQUESTS, help="timed requests per URL and state")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folders and print where")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


def log(message):
    # Progress goes to stderr: a child's stdout carries only its JSON figures.
    print(message, file=sys.stderr, flush=True)


def measure(size, requests, keep):
    """In a child process: build a scratch site with `size` generated projects and measure it."""
    scratch = Path(tempfile.mkdtemp(prefix=f"api-bench-{size}-"))
    # Read by cms.settings when Django starts, so they must be set before django.setup().
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'api.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    # One log line per request would drown the figures.
    logging.disable(logging.INFO)
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from projects.models import ProjectPage

    settings.MEDIA_ROOT = str(scratch / "media")
    # The benchmark is one address asking as fast as it can: the per-address limit would answer 429.
    settings.API_RATE_LIMIT = "100000000/m"

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", projects=size, stdout=io.StringIO())
    built = time.monotonic() - started
    live = ProjectPage.objects.live().count()
    log(f"  {size} projects: site built in {built:.0f} s ({live} live projects with the demo's own)")

    generated = ProjectPage.objects.live().filter(slug__startswith="bench-project-").order_by("pk").first()
    project = generated or ProjectPage.objects.live().order_by("pk").first()
    client = Client()
    results = []
    for url in (LIST_URL, f"/api/projects/{project.slug}/"):
        for _ in range(WARMUP):
            check(client.get(url), url)
        cache.clear()
        response, queries = count_queries(connection, lambda url=url: client.get(url))
        check(response, url)
        _response, cached_queries = count_queries(connection, lambda url=url: client.get(url))
        # Warm: answered from the API's cache, as every repeat is until content changes.
        warm = time_requests(client, url, requests)
        # Cold: the cache emptied before every request, so every answer is built from the database.
        cold = time_requests(client, url, requests, before=cache.clear)
        results.append(
            {
                "url": url,
                "queries": queries,
                "cached_queries": cached_queries,
                "bytes": len(response.content),
                "warm": warm,
                "cold": cold,
            }
        )

    downloads = regenerate(call_command)
    if keep:
        log(f"  scratch folder kept in {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)
    return {"size": size, "live": live, "build_seconds": built, "urls": results, "downloads": downloads}


def regenerate(call_command):
    """Regenerate every download file now, as the worker does after a change: the time and each file."""
    from projects.opendata.storage import read_manifest

    start = time.perf_counter()
    call_command("generate_open_data", stdout=io.StringIO())
    seconds = time.perf_counter() - start
    files = {name: entry["bytes"] for name, entry in read_manifest()["files"].items()}
    return {"seconds": seconds, "files": files}


def time_requests(client, url, requests, before=None):
    """Requests per second, in one thread through the whole Django stack (`django.test.Client`)."""
    elapsed = 0.0
    for _ in range(requests):
        if before is not None:
            before()
        start = time.perf_counter()
        response = client.get(url)
        elapsed += time.perf_counter() - start
        check(response, url)
    return requests / elapsed


def check(response, url):
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")


def main():
    args = parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.requests, args.keep)))
        return

    print(
        f"API benchmark: SQLite {sqlite3.sqlite_version}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs; {args.requests} timed requests per URL and state, one thread, "
        f"through django.test.Client.",
        flush=True,
    )
    runs = []
    for size in args.sizes:
        log(f"Building {size} generated projects…")
        runs.append(
            run_child(__file__, size, "--requests", str(args.requests), *(["--keep"] if args.keep else []))
        )
    for run in runs:
        print(f"\n{run['size']} generated projects ({run['live']} live):")
        print("  | request | SQL queries (built / cached) | req/s cached | req/s built | bytes |")
        print("  | --- | --- | --- | --- | --- |")
        for result in run["urls"]:
            print(
                f"  | `{result['url']}` | {result['queries']} / {result['cached_queries']} "
                f"| {result['warm']:.0f} | {result['cold']:.0f} | {result['bytes']:,} |"
            )
        downloads = run["downloads"]
        print(f"  Downloads regenerated in {downloads['seconds']:.2f} s:")
        for name, size in downloads["files"].items():
            print(f"    {name}: {size:,} bytes")
    if len(runs) > 1:
        first, last = runs[0], runs[-1]
        same = all(
            small["queries"] == large["queries"]
            for small, large in zip(first["urls"], last["urls"], strict=True)
        )
        verdict = "equal" if same else "NOT equal"
        print(f"\nSQL queries per request at {first['size']} and {last['size']} projects: {verdict}.")


if __name__ == "__main__":
    main()
