"""Each API answer, kept as its JSON bytes until the content changes (`home.invalidation.cached`), with the
date its body was first served as its Last-Modified (`home.last_modified`, as for the feeds: a content
change elsewhere that leaves this answer's bytes alone keeps its date). ETags and 304s come from the global
ConditionalGetMiddleware."""

import hashlib
import json

from django.http import HttpResponse
from django.utils.http import http_date

from home.invalidation import cached
from home.last_modified import last_changed

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
    key = cache_key(path, parameters)

    def build_answer():
        body = json_bytes(build())
        return body, last_changed(key, body)

    body, changed_at = cached(key, build_answer, timeout)
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Last-Modified"] = http_date(changed_at)
    response["Cache-Control"] = CACHE_CONTROL
    return response
