"""Health checks for the load balancer and the process supervisor.

`/healthz` says the process is up and answering: it touches neither the database nor the cache, so a
database outage does not make the load balancer restart healthy app servers.
`/readyz` says this server can serve pages: the database answers (on SQLite, can also be written to) and
the cache keeps a value. Any check failing gives 503 with the failing check named, never a traceback.

A check is a function in CHECKS that returns True when its part is ready; it raises `NotReady(status)` to
report a status more precise than "failed" (SQLite locked by a writer is "busy").
"""

import logging
import uuid

from django.core.cache import cache
from django.db import OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

NO_STORE = "no-store"
OK, FAILED = "ok", "failed"


# How long the SQLite probe waits for the write lock: a registration holds it for milliseconds, so a lock held
# longer means pages would wait for it too (up to the 20 s timeout of cms/settings/base.py, then 503).
SQLITE_LOCK_WAIT_MS = 200


class NotReady(Exception):
    """A check's part is not ready; `status` says how ("busy")."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


def _check_database():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            _take_sqlite_write_lock(cursor)
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _take_sqlite_write_lock(cursor):
    """SQLite answers reads while another connection writes, but every registration needs the write lock: take
    it briefly and give it back, so that a database locked by a stuck writer is reported, not hidden.

    (Inside a transaction, as in the tests' own, the connection already holds it: transaction_mode IMMEDIATE.)
    """
    cursor.execute("PRAGMA busy_timeout")
    (timeout_ms,) = cursor.fetchone()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_LOCK_WAIT_MS}")
    try:
        cursor.execute("BEGIN IMMEDIATE")
    except OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise NotReady("busy") from error
        raise
    else:
        cursor.execute("ROLLBACK")
    finally:
        cursor.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")


def _check_cache():
    key = f"readyz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    cache.set(key, value, 10)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


CHECKS = {"database": _check_database, "cache": _check_cache}


def _run(name, check):
    """The check's status: "ok", "failed", or what it raised NotReady with."""
    try:
        if check():
            return OK
        logger.error("Readiness check %s failed: unexpected result", name)
    except NotReady as not_ready:
        logger.error("Readiness check %s %s", name, not_ready.status)
        return not_ready.status
    except Exception as error:
        # One line, no traceback: during an outage the load balancer asks every few seconds.
        logger.error("Readiness check %s failed: %s", name, type(error).__name__)
    return FAILED


@require_safe
def healthz(request):
    response = HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = NO_STORE
    return response


@require_safe
def readyz(request):
    results = {name: _run(name, check) for name, check in CHECKS.items()}
    ready = all(result == OK for result in results.values())
    response = JsonResponse({"status": "ok" if ready else "unavailable", "checks": results})
    if not ready:
        response.status_code = 503
    response["Cache-Control"] = NO_STORE
    return response
