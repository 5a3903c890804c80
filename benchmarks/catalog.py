"""How long the filtered project catalog takes to render at 1,000 and 5,000 generated projects.

Run from the repository root: `.venv/bin/python benchmarks/catalog.py` (see benchmarks/README.md).
Each size gets its own scratch SQLite database in a child process, so the sizes never share a connection,
a cache or a warmed-up page tree.
"""

import statistics
import time

from child_runs import check, count_queries, each_size, parse_size_args, scratch_site

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
    return parse_size_args(__doc__, SIZES, "--renders", RENDERS, "timed renders per URL and size")


def measure(size, renders, keep):
    """In a child process: build a scratch site with `size` generated projects and time the URLs."""
    with scratch_site("catalog-bench", size, keep) as site:
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client

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
    return {"size": size, "live": site.live, "build_seconds": site.build_seconds, "urls": results}


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


def main():
    args = parse_args()
    details = f"{args.renders} timed renders per URL after {WARMUP} warm-up requests."
    runs = []
    for run in each_size(__file__, args, "--renders", measure, "Catalog benchmark", details):
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
