"""The shared cache on Redis: django-redis, with an outage logged once per process instead of once per call.

An unreachable Redis costs speed, never a page: every read is a miss, every write is dropped
(IGNORE_EXCEPTIONS). django-redis would log each ignored error with its traceback, up to 30 a request; this
backend logs the outage instead, on `cms.cache`:

- the first failed call logs one WARNING, naming the error's class, without a traceback;
- further failures are counted, not logged;
- the first call that succeeds again logs one INFO line, "Cache back after N failures", and closes the
  window: the next failure is a new outage with its own warning.

Each process (gunicorn worker) keeps its own count, so an outage shows as one warning per worker.
"""

import functools
import logging
import sys
import threading

from django_redis.cache import RedisCache as DjangoRedisCache

logger = logging.getLogger(__name__)

# The calls that make a round trip to Redis, whose success proves that it answers again (Django's cache API
# and django-redis's extras). Not `close` (called after every request, it touches nothing) nor `lock` or
# `iter_keys`, which return an object or a generator before talking to Redis.
ROUND_TRIPS = (
    "_get",
    "add",
    "clear",
    "decr",
    "delete",
    "delete_many",
    "delete_pattern",
    "expire",
    "get_many",
    "has_key",
    "incr",
    "incr_version",
    "keys",
    "persist",
    "set",
    "set_many",
    "touch",
    "ttl",
)


def redis_cache(location, *, key_prefix="civic", connect_timeout=0.2, timeout=0.5):
    """The CACHES entry of the site's Redis (cms/settings/base.py; the tests build their outage with it)."""
    return {
        "BACKEND": "cms.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": key_prefix,
        "TIMEOUT": 300,
        "OPTIONS": {
            # An unreachable Redis must cost a request milliseconds, not seconds, and never an error:
            # every read is then a miss and the page is built from the database.
            "SOCKET_CONNECT_TIMEOUT": connect_timeout,
            "SOCKET_TIMEOUT": timeout,
            "IGNORE_EXCEPTIONS": True,
        },
    }


class OutageLog:
    """One process's record of the outage of one Redis, shared by the threads' cache objects.

    django-redis calls `exception()` (a logger's method) from inside its `except` block for every error it
    ignores; `call()` wraps each round trip to notice the first one that succeeds again.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._this_call = threading.local()
        self.failures = 0

    def exception(self, msg, *args, **kwargs):
        self._this_call.failed = True
        error = sys.exc_info()[1]
        # django-redis raises its ConnectionInterrupted from redis-py's own error, which names the cause.
        error = getattr(error, "__cause__", None) or error
        with self._lock:
            self.failures += 1
            first = self.failures == 1
        if first:
            logger.warning(
                "Cache unreachable (%s): pages are built from the database; "
                "further failures are counted until it answers again",
                type(error).__name__,
            )

    def call(self, method, cache, *args, **kwargs):
        self._this_call.failed = False
        result = method(cache, *args, **kwargs)
        if self.failures and not self._this_call.failed:
            self._answered()
        return result

    def _answered(self):
        with self._lock:
            failures, self.failures = self.failures, 0
        if failures:
            logger.info("Cache back after %d failures", failures)


_outages = {}
_outages_lock = threading.Lock()


def outage_log(location):
    """The process's outage record of the Redis at `location` (Django makes one cache object per thread)."""
    with _outages_lock:
        return _outages.setdefault(location, OutageLog())


class RedisCache(DjangoRedisCache):
    """django-redis's cache whose ignored errors go to the process's `OutageLog` instead of a traceback."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._log_ignored_exceptions = True
        self.logger = outage_log(server)


def _reporting(name):
    method = getattr(DjangoRedisCache, name)

    @functools.wraps(method)
    def round_trip(self, *args, **kwargs):
        return self.logger.call(method, self, *args, **kwargs)

    return round_trip


for _name in ROUND_TRIPS:
    setattr(RedisCache, _name, _reporting(_name))
