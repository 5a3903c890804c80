"""Requests sent at the same moment, as many visitors would."""

from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, connection


def run_together(requests, parallel):
    """Run each zero-argument request function, in parallel threads on PostgreSQL; their responses."""

    def call(request):
        try:
            return request()
        finally:
            close_old_connections()
            connection.close()

    workers = parallel if connection.vendor == "postgresql" else 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(call, requests))
