"""Print recall@10 and MRR of site search over the demo content, per kind of query, in a throwaway database.

python -m search.eval                      # SQLite (or DATABASE_URL's database)
DATABASE_URL=postgres://… python -m search.eval
python -m search.eval --verbose            # also list, per kind, the queries that miss or rank low
python -m search.eval --kind typo          # only some kinds (repeat --kind for several)
python -m search.eval --backend wagtail.search.backends.database   # Wagtail's stock backend, for comparison

The exit status is 0 only if every target printed is met.
"""

import argparse
import os
import sys
import time
from io import StringIO

from search.eval import KINDS


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m search.eval", description=__doc__.splitlines()[0])
    parser.add_argument("--backend", help="search backend module to measure instead of the site's own")
    parser.add_argument(
        "--verbose", action="store_true", help="list, per kind, the queries that miss or rank low"
    )
    parser.add_argument(
        "--kind", action="append", choices=KINDS, help="evaluate only the queries of this kind (repeatable)"
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from search.eval import evaluate, evaluate_suggestions, load_queries, site_search_urls, site_suggestion

    backend = args.backend or settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
    queries = load_queries(kinds=set(args.kind) if args.kind else None)
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(WAGTAILSEARCH_BACKENDS={"default": {"BACKEND": backend}}):
            call_command("load_demo", verbosity=0, stdout=StringIO())
            started = time.perf_counter()
            report = evaluate(queries, site_search_urls)
            suggestions = evaluate_suggestions(queries, site_suggestion)
            elapsed = time.perf_counter() - started
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)

    print(f"Search evaluation on {connection.vendor}, backend {backend}:")
    print(f"  {len(queries)} queries in {elapsed:.2f} s")
    print(report_lines(report, suggestions))
    if args.verbose:
        details = verbose_lines(report, suggestions)
        if details:
            print(details)
    met = all(group.meets_target for group in report.groups())
    if suggestions.results:
        met = met and suggestions.meets_target
    return 0 if met else 1


def report_lines(report, suggestions):
    """The targets (the basic set, the new kinds together, the typo suggestions), then each kind."""
    lines = ["Targets:"]
    lines.extend(f"  {group.name:<13} {group.summary()}" for group in report.groups())
    if suggestions.results:
        lines.append(f"  {'suggestions':<13} {suggestions.summary()}")
    lines.append("By kind:")
    lines.extend(f"  {kind_report.name:<13} {kind_report.summary()}" for kind_report in report.by_kind())
    return "\n".join(lines)


def verbose_lines(report, suggestions):
    lines = []
    for kind_report in report.by_kind():
        if kind_report.imperfect():
            lines.append(f"Queries below perfect ({kind_report.name}):")
            lines.append(kind_report.details())
    if suggestions.failures():
        lines.append("Typo queries whose suggestion does not lead to the intended page:")
        lines.append(suggestions.details())
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
