"""Purge the CDN (WAGTAILFRONTENDCACHE) of every address that shows a change, once the change has committed.

It listens to the same registry as the page cache (`home.invalidation`), so the two never disagree on what
a change invalidates.

Pages stored by a CDN carry `s-maxage` (home/page_cache.py), so the CDN would catch up on its own within
FRONTEND_CACHE_SECONDS; the purge makes a change show at once. What is purged:

- a page published, unpublished, moved or deleted: the page, its live ancestors up to the site's root (the
  listings that show it, the home page), and the pages the registry relates to it (for a project, its
  organization's page and the catalog); for a move, the page and its descendants at their old addresses
  too;
- a record shown on a few pages (`invalidation.shown_on`: a registration's event page, an invitation's
  project page): those pages;
- a page of the site's chrome (the home page, the pages right under it, which the automatic menu shows,
  and the pages the menus or the privacy policy setting name), or a record shown everywhere
  (`invalidation.everywhere`: settings, menus, sites, taxonomy terms, images): every page. CloudFront
  takes one wildcard (`/*`) for that; Wagtail's Cloudflare and HTTP backends purge by address, so they are
  sent every live page's address.

Wagtail's own frontend cache app (wagtail.contrib.frontend_cache) purges a page when it is published or
unpublished, at the moment the signal is sent. In the admin that moment lies inside the transaction, so a
request in between can put the old page back in the CDN; the page is therefore purged again here, after
the commit, with everything else.

nginx keys a stored page on its address and the three display-preference cookies (docs/deployment.md), and
its purge module removes one key per request; `DisplayVariantsHTTPBackend` (the backend of
FRONTEND_CACHE_PURGE_URL) therefore sends Wagtail's PURGE once for each combination of the cookies (18).

`connect_signals()` listens only when a CDN is configured (from HomeConfig.ready); the handlers check the
setting again when called, so connecting in a test under override_settings is enough.
"""

import itertools
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.models import Page, Site

from home import display, invalidation

logger = logging.getLogger(__name__)

# Pages per purge request batch when every page is purged: bounds memory, and each batch is one call to
# the backends (Cloudflare splits it into requests of 30 addresses itself).
BATCH_SIZE = 200
# A purge that takes longer is abandoned (Wagtail's own HTTP backend waits for ever).
PURGE_TIMEOUT = 10
PURGE_THREADS = 8
USER_AGENT = f"Wagtail-frontendcache/{wagtail_version}"
WILDCARD_BACKENDS = ("wagtail.contrib.frontend_cache.backends.CloudfrontBackend",)


class DisplayVariantsHTTPBackend(HTTPBackend):
    """Wagtail's HTTP purge, once per combination of the display preferences, each with its cookies: a
    proxy that keys pages on them purges every variant of an address. The requests of a batch go out
    PURGE_THREADS at a time: a change shown everywhere purges every page, 18 requests each."""

    def purge(self, url):
        self.purge_batch([url])

    def purge_batch(self, urls):
        unreachable = set()
        variants = [(url, cookies) for url in urls for cookies in display_variant_cookies()]
        with ThreadPoolExecutor(PURGE_THREADS) as pool:
            for _done in pool.map(lambda variant: self._purge_variant(*variant, unreachable), variants):
                pass

    def _purge_variant(self, url, cookies, unreachable):
        if url in unreachable:
            return  # the other variants of an address that did not answer would wait as long
        address = urlsplit(url)
        host = address.hostname + (f":{address.port}" if address.port else "")
        target = urlunsplit((self.cache_scheme, self.cache_netloc, address.path, address.query, ""))
        headers = {"Host": host, "Cookie": cookies, "User-Agent": USER_AGENT}
        try:
            with urlopen(PurgeRequest(target, headers=headers), timeout=PURGE_TIMEOUT):  # noqa: S310 - LOCATION is configured
                pass
        except HTTPError as error:
            if error.code != 404:  # 404: nothing stored under this variant
                logger.error("Couldn't purge %r from the HTTP cache: %s", url, error)
        except (URLError, OSError) as error:
            if url not in unreachable:
                unreachable.add(url)
                logger.error("Couldn't purge %r from the HTTP cache: %s", url, error)


def display_variant_cookies():
    """The Cookie header of each combination of 文字サイズ, 背景色 and ふりがな."""
    choices = [
        [f"{cookie}={value}" for value in values] for _name, (cookie, values) in display.PREFERENCES.items()
    ]
    return ["; ".join(combination) for combination in itertools.product(*choices)]


def configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


# What to purge


def page_batch(page):
    """The page and its live ancestors below the tree's root: the page, the listings above it, home."""
    batch = PurgeBatch()
    batch.add_page(page)
    batch.add_pages(page.get_ancestors().filter(depth__gt=1).live().specific(defer=True))
    batch.add_pages(invalidation.pages_related_to(page.specific_deferred))
    return batch


def moved_batch(page, url_path_before, url_path_after):
    """The moved page and its descendants at their new and their old addresses, and both parents' lines."""
    batch = page_batch(page)
    subtree = PurgeBatch()
    subtree.add_pages([page, *page.get_descendants().live().specific(defer=True)])
    batch.add_urls(subtree.urls)
    before, after = _site_relative(url_path_before), _site_relative(url_path_after)
    if before is not None and after is not None and before != after:
        for url in subtree.urls:
            address = urlsplit(url)
            if address.path.startswith(after):
                batch.add_url(address._replace(path=before + address.path[len(after) :]).geturl())
    parent_before = Page.objects.filter(url_path=_parent_path(url_path_before)).first()
    if parent_before is not None:
        batch.add_pages(
            parent_before.get_ancestors(inclusive=True).filter(depth__gt=1).live().specific(defer=True)
        )
    return batch


def _parent_path(url_path):
    return url_path.rstrip("/").rpartition("/")[0] + "/"


def _site_relative(url_path):
    """`url_path` as it appears in the page's address: without its site root's own path."""
    for site in Site.objects.select_related("root_page"):
        root = site.root_page.url_path
        if url_path.startswith(root):
            return "/" + url_path[len(root) :]
    return None


def in_site_chrome(page):
    """Whether every page shows this one: the home page, a page right under it (the automatic menu), or a
    page the menus or the privacy policy setting name."""
    from home.models import CenterSettings, NavigationSettings

    roots = set(Site.objects.values_list("root_page_id", flat=True))
    parent_path = page.path[: -Page.steplen]
    if page.pk in roots or Page.objects.filter(path=parent_path, pk__in=roots).exists():
        return True
    if CenterSettings.objects.filter(privacy_policy_page_id=page.pk).exists():
        return True
    for menus in NavigationSettings.objects.all():
        for stream in (menus.main_menu, menus.footer_menu):
            if page.pk in _menu_page_ids(stream):
                return True
    return False


def _menu_page_ids(stream):
    ids = set()
    for block in stream.raw_data:
        value = block.get("value") or {}
        if block.get("type") == "item" and isinstance(value, dict) and value.get("page"):
            ids.add(value["page"])
    return ids


def purge_everything():
    """Every page of every site: a wildcard where the backend takes one, else every live page's address.

    Returns the (batch, backends) to send; the addresses are read from the database here.
    """
    backends = settings.WAGTAILFRONTENDCACHE
    wildcard = [name for name, config in backends.items() if _takes_wildcard(config["BACKEND"])]
    by_address = [name for name in backends if name not in wildcard]
    jobs = []
    if wildcard:
        batch = PurgeBatch()
        for site in Site.objects.all():
            batch.add_url(f"{site.root_url}/*")
        jobs.append((batch, wildcard))
    if by_address:
        pages = Page.objects.live().filter(depth__gt=1).specific(defer=True).order_by("path")
        batch = PurgeBatch()
        for page in pages.iterator(chunk_size=BATCH_SIZE):
            batch.add_page(page)
            if len(batch.urls) >= BATCH_SIZE:
                jobs.append((batch, by_address))
                batch = PurgeBatch()
        jobs.append((batch, by_address))
    return jobs


def _takes_wildcard(backend_path):
    if backend_path in WILDCARD_BACKENDS:
        return True
    try:
        backend = import_string(backend_path)
    except ImportError:
        return False
    return any(issubclass(backend, import_string(path)) for path in WILDCARD_BACKENDS)


_running = set()
_running_lock = threading.Lock()


def _after_commit(jobs):
    """Purge once the change is visible to other processes. `jobs()` reads the addresses from the database
    at commit, in this thread; the requests to the CDN go from a thread of their own, so a slow or
    unreachable CDN (Wagtail's HTTP backend has no timeout) never slows or fails the request."""
    if configured():
        transaction.on_commit(lambda: _start(jobs()), robust=True)


def _start(jobs):
    # Not a daemon: a management command (publish_scheduled) waits for its purges before it exits.
    thread = threading.Thread(target=_send, args=(jobs,), name="frontend-cache-purge")
    with _running_lock:
        _running.add(thread)
    thread.start()


def _send(jobs):
    try:
        for batch, backends in jobs:
            batch.purge(backends=backends)
    except Exception:
        logger.exception("Purging the frontend cache failed")
    finally:
        with _running_lock:
            _running.discard(threading.current_thread())


def wait_for_purges(timeout=10):
    """Wait for the purges started so far (tests, and anything that must know the CDN is clean)."""
    with _running_lock:
        threads = list(_running)
    for thread in threads:
        thread.join(timeout)


def _purge_page(page, batch):
    if in_site_chrome(page):
        _after_commit(purge_everything)
    else:
        _after_commit(lambda: [(batch, None)])


def _purge_pages(pages):
    batch = PurgeBatch()
    batch.add_pages(pages)
    _after_commit(lambda: [(batch, None)])


class CdnPurge(invalidation.Listener):
    name = "frontend-cache"

    def every_page(self):
        _after_commit(purge_everything)

    def page_changed(self, page):
        # The addresses are worked out now: after an unpublish or a deletion the page may no longer have one.
        _purge_page(page, page_batch(page))

    def page_moved(self, page, url_path_before, url_path_after):
        if page.live:
            _purge_page(page, moved_batch(page, url_path_before, url_path_after))

    def page_deleted(self, page):
        if page.live:
            _purge_page(page, page_batch(page))

    def shown_on_pages(self, instance, rule):
        pages = list(rule.pages(instance))
        if pages:
            _purge_pages(pages)


def connect_signals():
    """Listen to the invalidation registry when a CDN is configured; returns whether it listens."""
    if not configured():
        return False
    invalidation.listen(CdnPurge())
    return True


def disconnect_signals():
    invalidation.stop_listening(CdnPurge.name)
