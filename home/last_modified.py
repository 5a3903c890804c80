"""Last-Modified for answers that list several records (the news feeds, the event calendar feeds,
sitemap.xml): a date that moves forward whenever what the answer says changes, and only then.

The newest update among the records listed is not enough. When the newest one is unpublished, deleted,
made private, or leaves the list with time (an event that has ended), the answer changes while that
maximum stays or even goes back, and a client asking `If-Modified-Since` would be told 304 for a version
it no longer should keep. So the answer's fingerprint (a hash of its body) is remembered in the cache with
the date it was first served: the same body keeps its date; a different body gets the time of this build,
at least a second after the date it replaces (HTTP dates have whole seconds) and never before the newest
record's own update.

When the memory is gone (evicted, or the cache is unreachable) the date is the time of this build: later
than necessary, which costs a client one full download, never a stale calendar. A client that also sends
`If-None-Match` is judged by the ETag alone (ConditionalGetMiddleware), which is exact.
"""

import hashlib
import math
import time

from django.core.cache import cache
from django.utils.http import http_date

KEY = "last-modified:{name}"
# Kept long after the last request; a key nobody asks for again simply expires.
REMEMBER_SECONDS = 90 * 24 * 60 * 60


def fingerprint(content):
    return hashlib.sha256(content).hexdigest()


def last_changed(name, content, newest=None):
    """The Unix time (whole seconds) at which the answer `name` first had the body `content`; `newest`,
    the latest update of the records it lists (a datetime or None), is a lower bound."""
    key = KEY.format(name=hashlib.sha256(name.encode()).hexdigest()[:32])
    digest = fingerprint(content)
    stored = cache.get(key)
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == digest:
        return stored[1]
    since = int(time.time())
    if newest is not None:
        since = max(since, math.ceil(newest.timestamp()))
    if isinstance(stored, tuple) and len(stored) == 2:
        since = max(since, stored[1] + 1)
    cache.set(key, (digest, since), REMEMBER_SECONDS)
    return since


def set_last_modified(response, name, newest=None):
    """Give a rendered `response` the Last-Modified of its body under the answer's `name`, built from
    validated values only, so that hostile query strings cannot add entries."""
    if response.status_code == 200 and not response.streaming:
        response["Last-Modified"] = http_date(last_changed(name, response.content, newest))
    return response
