"""Whole pages for anonymous visitors, served from the cache until anything shown on them changes.

A GET from a visitor without a session (no login, no flash message) is answered from the cache when the
same address was rendered before under the current content version (`home.invalidation`, which says what
each change replaces). Replacing the one version drops every cached page at once, which keeps the rule
simple and never stale: a page lists projects, events and articles that live elsewhere in the tree. What
changes often and shows in one place, such as an event's seats, has a narrower key: the page declares it
with `depends_on(request, key)` while rendering, and a change replaces only that key's token.

Time changes pages too (registration opens and closes, an event starts and ends), so an entry never
outlives the next such moment (`home.invalidation.next_moments`), nor PAGE_CACHE_SECONDS.

Forms keep working from the cache: `{% page_cache_csrf_token %}` renders a placeholder that is replaced by
each visitor's own CSRF token as the page goes out. A page that called Django's own `{% csrf_token %}`,
set a cookie, wrote to the session or said `Cache-Control: private` is not stored.

Display preferences (文字サイズ, 背景色, ふりがな: home/display.py) are cookies that every visitor with the
same choice shares, so they do not make a page personal: the key holds `display_preferences(request).variant`,
one stored page per combination. Unknown cookie values read as the defaults, so they add no entries.

With a CDN in front (WAGTAILFRONTENDCACHE), stored pages carry `s-maxage` and are purged with the same
registry (`home/frontend_cache.py`). The variants of a page share its address, and a CDN purges an address
with every variant it keeps of it (`Vary: Cookie`), so the purge by address needs no change.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

from home import invalidation
from home.display import display_preferences

logger = logging.getLogger(__name__)

BOUNDARY_KEY = "pages:boundary:{version}"
CSRF_PLACEHOLDER = "page-cache-csrf-token-placeholder"
# Never cached: the admin and its previews, private documents, search (what people type is theirs),
# health checks, files whitenoise or the media server answer, and the API (it caches its own answers, and
# its rate limit must count every request).
EXCLUDED_PREFIXES = (
    "/admin/",
    "/api/",
    "/django-admin/",
    "/documents/",
    "/display/",
    "/search/",
    "/favicon.ico",
    "/healthz",
    "/readyz",
    "/static/",
)
# Headers a stored page keeps; the rest (cookies, CSP, Vary) are added again on the way out.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Content-Disposition",
    "X-Robots-Tag",
    "Link",
    "Last-Modified",
)
# Longer query strings are hostile or odd; they are rendered but not stored, so they cannot fill the cache.
MAX_QUERY_LENGTH = 300
MAX_BODY_BYTES = 2_000_000


@dataclass(frozen=True)
class Entry:
    status: int
    content: bytes
    headers: tuple
    expires_at: object
    # The content version it was rendered under; a different current version means it is stale.
    version: str = ""
    # (key, token) of narrower dependencies the page declared (`depends_on`), checked on every hit.
    tags: tuple = ()


def enabled():
    return getattr(settings, "PAGE_CACHE_ENABLED", False)


def depends_on(request, key):
    """Declare that the page being rendered shows something that changes more often than pages are
    published (an event's seats), tracked by its own token under `key` (declared with
    `invalidation.shown_on(..., key=...)`): a change then drops just the pages that declared it. Call it
    before reading what the page shows."""
    if not getattr(request, "_page_cache_candidate", False):
        return
    token = invalidation.token(key)
    request._page_cache_tags = (*getattr(request, "_page_cache_tags", ()), (key, token))


def wants_placeholder(request):
    """True when `{% page_cache_csrf_token %}` should leave the token to the middleware."""
    return getattr(request, "_page_cache_candidate", False)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or not _cacheable_request(request):
            return _keep_out_of_shared_caches(self.get_response(request))
        key = _key(request)
        # The version and the entry in one round trip to the cache: a hit costs no more.
        found = cache.get_many([invalidation.CONTENT_VERSION_KEY, key])
        version = found.get(invalidation.CONTENT_VERSION_KEY) or invalidation.content_version()
        if version is None:
            return _keep_out_of_shared_caches(self.get_response(request))
        request._page_cache_candidate = True
        entry = found.get(key)
        if _valid(entry, version):
            return _finish(request, _response_from(entry), entry, "hit")
        response = self.get_response(request)
        if request.method == "GET" and _cacheable_response(request, response):
            entry = _store(key, version, response, getattr(request, "_page_cache_tags", ()))
            if entry is not None:
                return _finish(request, response, entry, "miss")
        return _finish(request, response, None, "skip")


def _cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(EXCLUDED_PREFIXES):
        return False
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    # A session (a logged-in editor, who sees the userbar) or a pending message makes the page personal.
    personal = (settings.SESSION_COOKIE_NAME, "messages")
    return not any(name in request.COOKIES for name in personal)


def _cacheable_response(request, response):
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # it carries something of this visitor's: a cookie, or a CSRF token in a form
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    return len(response.content) <= MAX_BODY_BYTES


def _key(request):
    # The display preferences' variant is part of the key: a page with ふりがな is stored apart.
    variant = display_preferences(request).variant
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()} {variant}"
    return f"pages:entry:{hashlib.sha256(address.encode()).hexdigest()}"


def _valid(entry, version):
    return (
        isinstance(entry, Entry)
        and getattr(entry, "version", "") == version
        and entry.expires_at > timezone.now()
        and _tags_current(entry)
    )


def _tags_current(entry):
    tags = getattr(entry, "tags", ())
    if not tags:
        return True
    current = cache.get_many([key for key, _token in tags])
    return all(token is not None and current.get(key) == token for key, token in tags)


def _store(key, version, response, tags=()):
    now = timezone.now()
    expires_at = min(now + timedelta(seconds=settings.PAGE_CACHE_SECONDS), _next_boundary(version, now))
    seconds = int((expires_at - now).total_seconds())
    if seconds <= 0:
        return None
    headers = tuple((name, response[name]) for name in KEPT_HEADERS if name in response)
    if any(token is None for _key, token in tags):
        return None  # the cache could not keep a dependency's token: the page could not be checked later
    entry = Entry(response.status_code, response.content, headers, expires_at, version, tuple(tags))
    cache.set(key, entry, seconds)
    return entry


def _next_boundary(version, now):
    """The next moment at which a live event's registration opens or closes, or the event starts or ends.

    Remembered per content version: publishing an event replaces the version, and with it this answer.
    """
    key = BOUNDARY_KEY.format(version=version)
    boundary = cache.get(key)
    if boundary is None or boundary <= now:
        boundary = _compute_boundary(now)
        cache.set(key, boundary, max(int((boundary - now).total_seconds()), 1))
    return boundary


def _compute_boundary(now):
    return min(invalidation.next_moments(now), default=now + timedelta(days=1))


def _response_from(entry):
    response = HttpResponse(entry.content, status=entry.status)
    for name, value in entry.headers:
        response[name] = value
    return response


def _finish(request, response, entry, outcome):
    response["X-Page-Cache"] = outcome
    # A stored page is what a visitor without cookies gets; a CDN must not give it to an editor.
    patch_vary_headers(response, ("Cookie",))
    placeholder = CSRF_PLACEHOLDER.encode()
    if not response.streaming and placeholder in response.content:
        # The form is this visitor's, stored or not: their token, and no shared cache downstream.
        response.content = response.content.replace(placeholder, get_token(request).encode())
        patch_cache_control(response, private=True, max_age=0)
    elif entry is not None and settings.WAGTAILFRONTENDCACHE:
        remaining = int((entry.expires_at - timezone.now()).total_seconds())
        seconds = max(min(remaining, settings.FRONTEND_CACHE_SECONDS), 0)
        patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
    else:
        _keep_out_of_shared_caches(response)
    return response


def _keep_out_of_shared_caches(response):
    """With a CDN in front, what this cache did not store (an editor's page with the userbar, a visitor's
    message) is marked private, so the CDN cannot keep it either."""
    if settings.WAGTAILFRONTENDCACHE and "Cache-Control" not in response:
        patch_cache_control(response, private=True)
    return response
