"""Print recall@10 and MRR of the site search over the demo content, in a throwaway database.

python -m search.eval                      # SQLite (or DATABASE_URL's database)
DATABASE_URL=postgres://… python -m search.eval
python -m search.eval --backend wagtail.search.backends.database   # Wagtail's stock backend, for comparison
"""

import argparse
import os
import sys
import time
from io import StringIO


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m search.eval", description=__doc__.splitlines()[0])
    parser.add_argument("--backend", help="search backend module to measure instead of the site's own")
    parser.add_argument("--verbose", action="store_true", help="list the queries that miss or rank low")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from search.eval import evaluate, load_queries, site_search_urls

    backend = args.backend or settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(WAGTAILSEARCH_BACKENDS={"default": {"BACKEND": backend}}):
            call_command("load_demo", verbosity=0, stdout=StringIO())
            started = time.perf_counter()
            report = evaluate(load_queries(), site_search_urls)
            elapsed = time.perf_counter() - started
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)

    print(f"Search evaluation on {connection.vendor}, backend {backend}")
    print(report.summary() + f"  in {elapsed:.2f} s")
    if args.verbose and report.imperfect():
        print("Queries below perfect:")
        print(report.details())
    return 0 if report.meets_targets else 1


if __name__ == "__main__":
    sys.exit(main())
