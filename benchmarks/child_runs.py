"""Shared by the benchmarks that measure each catalog size in a child process of its own (catalog.py,
api.py): their arguments, running a child per size and reading its JSON figures, building the child's
scratch site with N generated projects, and counting a request's SQL statements."""

import argparse
import io
import json
import logging
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_size_args(doc, sizes, repeats_option, repeats, repeats_help):
    """`--sizes N …` (numbers of generated projects), the script's own count of timed repeats
    (`repeats_option`), `--keep` and the hidden `--child N` that `run_child` passes."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(sizes), help="numbers of projects")
    parser.add_argument(repeats_option, type=int, default=repeats, help=repeats_help)
    parser.add_argument("--keep", action="store_true", help="keep the scratch folders and print where")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


def log(message):
    # Progress goes to stderr: a child's stdout carries only its JSON figures.
    print(message, file=sys.stderr, flush=True)


def each_size(script, args, repeats_option, measure, title, details):
    """The figures of each of `args.sizes`, measured in a child process of its own, after a line naming
    the benchmark (`title`), the machine and `details`. In the child (`--child N`), print
    `measure(N, repeats, keep)` as JSON for the parent instead, and yield nothing."""
    repeats = getattr(args, repeats_option.removeprefix("--"))
    if args.child:
        print(json.dumps(measure(args.child, repeats, args.keep)))
        return
    machine = f"SQLite {sqlite3.sqlite_version}, Python {platform.python_version()}, {os.cpu_count()} CPUs"
    print(f"{title}: {machine}; {details}", flush=True)
    for size in args.sizes:
        log(f"Building {size} generated projects (about 40 ms each)…")
        yield run_child(script, size, repeats_option, str(repeats), keep=args.keep)


def run_child(script, size, *options, keep=False):
    """Run `script --child size *options [--keep]` in a fresh interpreter and return the JSON it printed
    last."""
    command = [sys.executable, script, "--child", str(size), *options, *(["--keep"] if keep else [])]
    completed = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


@dataclass(frozen=True)
class ScratchSite:
    folder: Path
    build_seconds: float
    # Live projects: the demo's own and the generated ones.
    live: int


@contextmanager
def scratch_site(name, size, keep, **settings):
    """In a child process, before Django has started: a scratch SQLite site in a folder of its own (the
    database and the media), built with `migrate` and `load_demo --projects size` (the demo plus `size`
    generated projects, through the real import path), with `settings` overridden from the start. The
    folder is removed afterwards unless `keep`."""
    folder = Path(tempfile.mkdtemp(prefix=f"{name}-{size}-"))
    try:
        # Read by cms.settings when Django starts, so they must be set before django.setup().
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'site.sqlite3'}"
        os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        # One log line per request would drown the figures.
        logging.disable(logging.INFO)
        from django.conf import settings as django_settings
        from django.core.management import call_command

        from projects.models import ProjectPage

        django_settings.MEDIA_ROOT = str(folder / "media")
        for setting, value in settings.items():
            setattr(django_settings, setting, value)
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", projects=size, stdout=io.StringIO())
        site = ScratchSite(folder, time.monotonic() - started, ProjectPage.objects.live().count())
        log(f"  {size} projects: site built in {site.build_seconds:.0f} s ({site.live} live in all)")
        yield site
    finally:
        if keep:
            log(f"  scratch folder kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def count_queries(connection, make_request):
    """The response of `make_request()` and the number of SQL statements it ran (DEBUG not needed)."""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = make_request()
    return response, len(statements)


def check(response, url):
    """Stop the run at the first answer that is not a page."""
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
