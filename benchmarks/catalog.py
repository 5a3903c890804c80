"""How long the filtered project catalog takes to render at 1,000 and 5,000 generated projects.

Run from the repository root: `.venv/bin/python benchmarks/catalog.py` (see benchmarks/README.md).
Each size gets its own scratch SQLite database in a child process, so the sizes never share a connection,
a cache or a warmed-up page tree.
"""

import argparse
import io
import json
import os
import platform
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from child_runs import count_queries, run_child

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1000, 5000)
RENDERS = 200
WARMUP = 5
# Filtered catalog pages a visitor would open: facets, a page number, a sort and a status. Slugs come from
# the demo catalog (projects/demo/catalog.json), which the generated projects also use.
URLS = (
    "/projects/?category=children&support=website",
    "/projects/?area=hachioji-station&status=completed&sort=newest&page=2",
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="numbers of projects")
    parser.add_argument("--renders", type=int, default=RENDERS, help="timed renders per URL and size")
    parser.add_argument("--keep", action="store_true", help="keep the scratch databases and print where")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


def log(message):
    # Progress goes to stderr: a child's stdout carries only its JSON figures.
    print(message, file=sys.stderr, flush=True)


def measure(size, renders, keep):
    """In a child process: build a scratch database with `size` generated projects and time the URLs."""
    scratch = Path(tempfile.mkdtemp(prefix=f"catalog-bench-{size}-"))
    # Read by cms.settings.base when Django starts, so they must be set before django.setup().
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'catalog.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from projects.models import ProjectPage

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", projects=size, stdout=io.StringIO())
    built = time.monotonic() - started
    live = ProjectPage.objects.live().count()
    log(f"  {size} projects: database built in {built:.0f} s ({live} live projects with the demo's own)")

    client = Client()
    results = []
    for url in URLS:
        for _ in range(WARMUP):
            check(client.get(url), url)
        response, queries = count_queries(connection, lambda url=url: client.get(url))
        check(response, url)
        warm = time_renders(client, url, renders)
        # Cold: the cache (menu, catalog counts, image renditions) emptied before every render.
        cold = time_renders(client, url, renders, before=cache.clear)
        results.append({"url": url, "queries": queries, "warm": summarize(warm), "cold": summarize(cold)})
    if keep:
        log(f"  scratch database kept in {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)
    return {"size": size, "live": live, "build_seconds": built, "urls": results}


def time_renders(client, url, renders, before=None):
    timings = []
    for _ in range(renders):
        if before is not None:
            before()
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        check(response, url)
    return timings


def summarize(timings):
    return {
        "median": statistics.median(timings),
        "p95": statistics.quantiles(timings, n=20, method="inclusive")[18],
    }


def check(response, url):
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")


def main():
    args = parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.renders, args.keep)))
        return

    print(
        f"Catalog benchmark: SQLite {sqlite3.sqlite_version}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs; {args.renders} timed renders per URL after {WARMUP} warm-up requests.",
        flush=True,
    )
    runs = []
    for size in args.sizes:
        log(f"Building {size} generated projects (about 40 ms each)…")
        run = run_child(__file__, size, "--renders", str(args.renders), *(["--keep"] if args.keep else []))
        runs.append(run)
        print(f"\n{run['size']} generated projects ({run['live']} live):")
        for result in run["urls"]:
            print(f"  {result['url']}  ({result['queries']} SQL queries per warm render)")
            for state in ("warm", "cold"):
                figures = result[state]
                print(
                    f"    {state}: median {figures['median']:.1f} ms   p95 {figures['p95']:.1f} ms",
                    flush=True,
                )
    if len(runs) > 1:
        first, last = runs[0], runs[-1]
        print(f"\nRatio of medians, {last['size']}/{first['size']} projects (warm, cold):")
        for small, large in zip(first["urls"], last["urls"], strict=True):
            ratios = [large[state]["median"] / small[state]["median"] for state in ("warm", "cold")]
            print(f"  {ratios[0]:.2f}  {ratios[1]:.2f}  {small['url']}")


if __name__ == "__main__":
    main()
