"""Whole pages for anonymous visitors, served from the cache until anything shown on them changes.

A GET from a visitor without a session (no login, no flash message) is answered from the cache when the
same address was rendered before under the current content version (`home.invalidation`, which says what
each change replaces). Replacing the one version drops every cached page at once, which keeps the rule
simple and never stale: a page lists projects, events and articles that live elsewhere in the tree. What
changes often and shows in one place, such as an event's seats, has a narrower key: the page declares it
with `depends_on(request, key)` while rendering, and a change replaces only that key's token.

Time changes pages too (registration opens and closes, an event starts and ends), so an entry never
outlives the next such moment (`home.invalidation.next_change`), nor PAGE_CACHE_SECONDS.

Two middleware share the work, so that a hit costs little more than a static file:

- `PageCacheMiddleware` sits right inside ConditionalGetMiddleware, before the session, CSRF, CSP, locale
  and framing middleware. It answers a hit on its own, with the headers those middleware had added to the
  page when it was stored (never a cookie, a request id or a length), and it stores what the inner one
  marked as storable, with those headers.
- `StorablePageMiddleware` sits inside them, where the rendered page is first seen: it decides whether
  the page may be stored (no cookie set, no session written, no `private`, no token of Django's own
  `{% csrf_token %}`), keeps the page as rendered for the outer one, and puts the visitor's token in.

Each process also keeps the entries it stored or served lately (PAGE_CACHE_LOCAL_ENTRIES pages, and
PAGE_CACHE_LOCAL_BYTES of them in all): a hit on one fetches only the content version and the entry's
tokens from the cache, a few bytes instead of the page, and checks them as for an entry fetched whole; so
another server's publish or registration shows at once.

Forms keep working from the cache: `{% page_cache_csrf_token %}` renders a placeholder, stored as is, that
each visitor's own CSRF token replaces as the page goes out. On a hit, Django's CsrfViewMiddleware runs
around just that replacement, so the CSRF cookie is read and set exactly as on a rendered page. A token is
never stored, and a page with one is `private`.

Display preferences (文字サイズ, 背景色, ふりがな: home/display.py) are cookies that every visitor with the
same choice shares, so they do not make a page personal: the key holds `display_preferences(request).variant`,
one stored page per combination. Unknown cookie values read as the defaults, so they add no entries.

For the browser and the proxy in front: a stored page without a form carries an ETag (the same for the
same body, hit or miss, so a repeat visit gets 304), a Last-Modified (when it was rendered) and
`max-age=0`, so a browser asks again every time and a publish is seen at once. With a CDN or nginx in
front (WAGTAILFRONTENDCACHE), a page without a form also carries `public, s-maxage,
stale-while-revalidate`, never past the entry's own end, and is purged with the same registry
(`home/frontend_cache.py`). Without a purge configured no shared cache is told it may keep a page: it
would show a change late (docs/deployment.md).
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date

from home import invalidation
from home.display import display_preferences

logger = logging.getLogger(__name__)

CSRF_PLACEHOLDER = "page-cache-csrf-token-placeholder"
PLACEHOLDER = CSRF_PLACEHOLDER.encode()
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
# A stored page keeps the headers the view and the middleware between the two positions gave it (CSP,
# Permissions-Policy, X-Frame-Options, Content-Language, Vary, ...), except these: this visitor's or this
# response's, or worked out again on every answer.
NOT_KEPT = frozenset(
    ("cache-control", "content-length", "date", "expires", "set-cookie", "x-page-cache", "x-request-id")
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
    # Whether the page holds the CSRF placeholder: each visitor's token goes in, and it stays private.
    has_token: bool = False
    # The next moment time changes a page (a registration opening, an event ending): no shared cache may
    # serve the page past it, not even while revalidating.
    boundary: object = None


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
    """Answers hits before the session and CSRF machinery, and stores what `StorablePageMiddleware` marked."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Django's own CSRF middleware around the one step of a hit that needs it: the token put in.
        self.with_csrf = CsrfViewMiddleware(_page_with_token)

    def __call__(self, request):
        if not enabled() or not _cacheable_request(request):
            return _keep_out_of_shared_caches(self.get_response(request))
        key = _key(request)
        version, entry = _lookup(key)
        if version is None:
            return _keep_out_of_shared_caches(self.get_response(request))
        if entry is not None:
            if entry.has_token:
                request._page_cache_entry = entry
                response = self.with_csrf(request)
            else:
                response = _response_from(entry)
            response["Content-Length"] = str(len(response.content))
            return _finish(response, entry, "hit")
        request._page_cache_candidate = True
        response = self.get_response(request)
        rendered = getattr(response, "_page_cache_rendered", None)
        entry = None
        if rendered is not None:
            entry = _store(key, version, response, rendered, getattr(request, "_page_cache_tags", ()))
        return _finish(response, entry, "miss" if entry is not None else "skip")


class StorablePageMiddleware:
    """Inside the session and CSRF middleware: says whether a rendered page may be stored, keeping it as
    rendered (placeholder and all) for `PageCacheMiddleware`, and puts this visitor's token in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(request, "_page_cache_candidate", False):
            return self.get_response(request)
        response = self.get_response(request)
        if request.method == "GET" and _cacheable_response(request, response):
            response._page_cache_rendered = response.content
        return _with_token(request, response)


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
    # v2: entries carry the headers of the middleware between the two positions (older ones did not).
    return f"pages:entry:v2:{hashlib.sha256(address.encode()).hexdigest()}"


def _lookup(key):
    """(the current content version, the entry stored for `key` if it is still valid under it).

    One round trip to the shared cache: for an entry this process holds (`_recent`), the version and its
    dependencies' tokens, a few bytes; otherwise the version and the entry (and then its tokens).
    """
    held = _recent.get(key)
    wanted = [key] if held is None else [tag for tag, _token in held.tags]
    found = cache.get_many([invalidation.CONTENT_VERSION_KEY, *wanted])
    version = found.get(invalidation.CONTENT_VERSION_KEY) or invalidation.content_version()
    if version is None:
        return None, None
    if held is not None:
        if _current(held, version, found):
            return version, held
        _recent.drop(key)
        entry = cache.get(key)
    else:
        entry = found.get(key)
    if not isinstance(entry, Entry):
        return version, None
    tokens = cache.get_many([tag for tag, _token in entry.tags]) if entry.tags else {}
    if not _current(entry, version, tokens):
        return version, None
    _recent.put(key, entry)
    return version, entry


def _current(entry, version, tokens):
    """Whether `entry` still shows what the site shows: rendered under the current content version, before
    its end, and with each dependency's token still the one it was rendered with."""
    return (
        entry.version == version
        and entry.expires_at > timezone.now()
        and all(token is not None and tokens.get(tag) == token for tag, token in entry.tags)
    )


class _RecentEntries:
    """The entries this process stored or served lately, at most PAGE_CACHE_LOCAL_ENTRIES of them and
    PAGE_CACHE_LOCAL_BYTES of pages in all, the least recently used going first (a page larger than the
    whole budget is not kept): a hit on one of them fetches only tokens from the shared cache, and never
    trusts the copy without them."""

    def __init__(self):
        self._entries = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        limit = getattr(settings, "PAGE_CACHE_LOCAL_ENTRIES", 0)
        budget = getattr(settings, "PAGE_CACHE_LOCAL_BYTES", 0)
        with self._lock:
            self._remove(key)
            if len(entry.content) > budget:
                return
            self._entries[key] = entry
            self._bytes += len(entry.content)
            while len(self._entries) > limit or self._bytes > budget:
                self._remove(next(iter(self._entries)))

    def drop(self, key):
        with self._lock:
            self._remove(key)

    def _remove(self, key):
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= len(entry.content)


_recent = _RecentEntries()


def _store(key, version, response, rendered, tags=()):
    """Store the page as rendered, with the headers it has gained on its way out to here."""
    now = timezone.now()
    # With no moment ahead, a day: the answer is worked out again then (`next_change`).
    boundary = invalidation.next_change(now) or now + timedelta(days=1)
    expires_at = min(now + timedelta(seconds=settings.PAGE_CACHE_SECONDS), boundary)
    seconds = int((expires_at - now).total_seconds())
    if seconds <= 0:
        return None
    if any(token is None for _key, token in tags):
        return None  # the cache could not keep a dependency's token: the page could not be checked later
    has_token = PLACEHOLDER in rendered
    # Validators for pages without a token only: a page with a form must never be reused with a stale token.
    if not has_token and not response.has_header("ETag"):
        # The ETag ConditionalGetMiddleware would give it; a hit repeats it, so a repeat visit gets 304.
        set_response_etag(response)
    if not has_token and not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(time.time())
    not_kept = NOT_KEPT | {"etag"} if has_token else NOT_KEPT
    headers = tuple((name, value) for name, value in response.items() if name.lower() not in not_kept)
    entry = Entry(
        response.status_code, rendered, headers, expires_at, version, tuple(tags), has_token, boundary
    )
    cache.set(key, entry, seconds)
    _recent.put(key, entry)
    return entry


def _response_from(entry):
    response = HttpResponse(entry.content, status=entry.status)
    for name, value in entry.headers:
        response[name] = value
    return response


def _page_with_token(request):
    return _with_token(request, _response_from(request._page_cache_entry))


def _with_token(request, response):
    """The form is this visitor's: their token in place of the placeholder, and no shared cache downstream."""
    if not response.streaming and PLACEHOLDER in response.content:
        response.content = response.content.replace(PLACEHOLDER, get_token(request).encode())
        patch_cache_control(response, private=True, max_age=0)
    return response


def _finish(response, entry, outcome):
    response["X-Page-Cache"] = outcome
    # A stored page is what a visitor without cookies gets; a CDN must not give it to an editor.
    patch_vary_headers(response, ("Cookie",))
    if entry is None:
        return _keep_out_of_shared_caches(response)
    if entry.has_token:
        return response  # private, max-age=0 (`_with_token`)
    if settings.WAGTAILFRONTENDCACHE:
        patch_cache_control(response, **shared_cache_control(entry))
    else:
        # No heuristic freshness in the browser: it asks again each time, and gets 304 if nothing changed.
        patch_cache_control(response, max_age=0)
    return response


def shared_cache_control(entry):
    """How long a CDN may keep the page, and then serve it while it fetches it again. Publishing purges it
    (`home/frontend_cache.py`), so only time bounds both: never past the page cache's own end
    (PAGE_CACHE_SECONDS, the next registration or event moment) for keeping, never past that moment for
    serving it stale."""
    now = timezone.now()
    remaining = max(int((entry.expires_at - now).total_seconds()), 0)
    fresh = min(remaining, settings.FRONTEND_CACHE_SECONDS)
    until_boundary = int((entry.boundary - now).total_seconds()) if entry.boundary else remaining
    stale = min(until_boundary - fresh, settings.FRONTEND_CACHE_STALE_SECONDS)
    control = {"public": True, "max_age": 0, "s_maxage": fresh}
    if stale > 0:
        control["stale_while_revalidate"] = stale
    return control


def _keep_out_of_shared_caches(response):
    """With a CDN in front, what this cache did not store (an editor's page with the userbar, a visitor's
    message) is marked private, so the CDN cannot keep it either."""
    if settings.WAGTAILFRONTENDCACHE and "Cache-Control" not in response:
        patch_cache_control(response, private=True)
    return response
