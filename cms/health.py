"""Health checks for the load balancer and the process supervisor.

`/healthz` says the process is up and answering: it touches neither the database nor the cache, so a
database outage does not make the load balancer restart healthy app servers.
`/readyz` says this server can serve pages: the database answers a trivial query and the cache keeps a
value. Either failing gives 503 with the failing check named, never a traceback.
"""

import logging
import uuid

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from home.database import database_answers

logger = logging.getLogger(__name__)

NO_STORE = "no-store"


def _check_cache():
    key = f"readyz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    cache.set(key, value, 10)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


CHECKS = {"database": database_answers, "cache": _check_cache}


def _run(name, check):
    try:
        if check():
            return True
        logger.error("Readiness check %s failed: unexpected result", name)
    except Exception as error:
        # One line, no traceback: during an outage the load balancer asks every few seconds.
        logger.error("Readiness check %s failed: %s", name, type(error).__name__)
    return False


@require_safe
def healthz(request):
    response = HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = NO_STORE
    return response


@require_safe
def readyz(request):
    results = {name: "ok" if _run(name, check) else "failed" for name, check in CHECKS.items()}
    ready = all(result == "ok" for result in results.values())
    response = JsonResponse({"status": "ok" if ready else "unavailable", "checks": results})
    if not ready:
        response.status_code = 503
    response["Cache-Control"] = NO_STORE
    return response
