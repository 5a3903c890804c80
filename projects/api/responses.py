"""Each API answer, kept as its JSON bytes until the content changes (`home.invalidation.cached`), with the
time it was built as its Last-Modified. ETags and 304s come from the global ConditionalGetMiddleware.

Not `home.last_modified`'s remembered date, which keeps a record per answer for months: the API's answers
are keyed by free text (`q`) and any limit/offset, so a stranger could fill the cache with them. A build
time is never earlier than the change that made the answer, and the entry goes with the content version."""

import hashlib
import json
import time

from django.http import HttpResponse
from django.utils.http import http_date

from home.invalidation import cached

# The content version drops an answer at once in the process that made the change; with a cache per
# process, other processes catch up within this many seconds.
TIMEOUT = 300
CACHE_CONTROL = "public, max-age=60"
CONTENT_TYPE = "application/json; charset=utf-8"


# Markup characters are written as escapes, so that no answer holds a tag even when it repeats a value.
_MARKUP = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_text(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_MARKUP)


def json_bytes(data):
    return json_text(data).encode()


def cache_key(path, parameters):
    """The key of one answer: the path and the normalised parameters, hashed (any length, any character)."""
    fingerprint = json.dumps([path, parameters], ensure_ascii=False, sort_keys=True)
    return "api:answer:" + hashlib.sha256(fingerprint.encode()).hexdigest()


def cached_json(path, parameters, build, timeout=TIMEOUT):
    """The answer of `build()` (JSON-ready data) for `path` and `parameters`, built once per content
    version. An error raised by `build` (ApiError, Http404) is not kept."""
    body, built_at = cached(cache_key(path, parameters), lambda: (json_bytes(build()), time.time()), timeout)
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Last-Modified"] = http_date(built_at)
    response["Cache-Control"] = CACHE_CONTROL
    return response
