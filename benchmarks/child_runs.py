"""Shared by the benchmarks that measure each catalog size in a child process of its own (catalog.py,
api.py): running a child and reading its JSON figures, and counting a request's SQL statements."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_child(script, size, *options):
    """Run `script --child size *options` in a fresh interpreter and return the JSON it printed last."""
    command = [sys.executable, script, "--child", str(size), *options]
    completed = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def count_queries(connection, make_request):
    """The response of `make_request()` and the number of SQL statements it ran (DEBUG not needed)."""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = make_request()
    return response, len(statements)
