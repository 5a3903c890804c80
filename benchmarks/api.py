"""The open data API and downloads at 20 and 1,000 generated projects: requests per second and SQL queries
per request for the filtered project list and one project, and the size and regeneration time of every
download file.

Run from the repository root: `.venv/bin/python benchmarks/api.py` (see benchmarks/README.md).
Each size gets its own scratch SQLite database and media folder in a child process.
"""

import io
import time

from child_runs import check, count_queries, each_size, parse_size_args, scratch_site

SIZES = (20, 1000)
REQUESTS = 300
WARMUP = 5
# The filtered project list (first page), as a portal would ask for it, with slugs of the demo catalog
# (projects/demo/catalog.json) that the generated projects use too. The project detail URL is added per
# size, for a generated project.
LIST_URL = "/api/projects/?category=children&support=website"


def parse_args():
    return parse_size_args(__doc__, SIZES, "--requests", REQUESTS, "timed requests per URL and state")


def measure(size, requests, keep):
    """In a child process: build a scratch site with `size` generated projects and measure it."""
    # The benchmark is one address asking as fast as it can: the per-address limit would answer 429.
    with scratch_site("api-bench", size, keep, API_RATE_LIMIT="100000000/m") as site:
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from projects.models import ProjectPage

        generated = (
            ProjectPage.objects.live().filter(slug__startswith="bench-project-").order_by("pk").first()
        )
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
    return {
        "size": size,
        "live": site.live,
        "build_seconds": site.build_seconds,
        "urls": results,
        "downloads": downloads,
    }


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


def main():
    args = parse_args()
    details = f"{args.requests} timed requests per URL and state, one thread, through django.test.Client."
    runs = list(each_size(__file__, args, "--requests", measure, "API benchmark", details))
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
