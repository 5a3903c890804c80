"""Health checks for the load balancer and the process supervisor.

`/healthz` says the process is up and answering: it touches neither the database nor the cache, so a
database outage does not make the load balancer restart healthy app servers.
`/readyz` says this server can serve pages: the database answers (on SQLite, can also be written to),
the cache keeps a value, and the task queue is moving (a worker runs). Any check failing gives 503 with
the failing check named, never a traceback.

A check is a function in CHECKS that returns True when its part is ready; SQLite locked by a writer is
reported "busy" rather than "failed" (home/database.py).
"""

import logging
import uuid

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from cms.queue_health import queue_is_moving
from home.database import DatabaseBusy, database_answers

logger = logging.getLogger(__name__)

NO_STORE = "no-store"
OK, FAILED, BUSY = "ok", "failed", "busy"


def _check_cache():
    key = f"readyz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    cache.set(key, value, 10)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


CHECKS = {"database": database_answers, "cache": _check_cache, "queue": queue_is_moving}


def _run(name, check):
    """The check's status: "ok", "failed" or "busy"."""
    try:
        if check():
            return OK
        logger.error("Readiness check %s failed: unexpected result", name)
    except DatabaseBusy:
        logger.error("Readiness check %s busy", name)
        return BUSY
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
