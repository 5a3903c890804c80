"""What a content change invalidates: the one registry that the page cache, the CDN purge and every other
cache of rendered or derived content read, so that they can never disagree.

Pages change through Wagtail: a page published, unpublished, moved or deleted, or a view restriction
changed, reaches every listener. Every other model of the site's apps is declared here by the app that
owns it (in its AppConfig.ready), as one of:

- `everywhere(model)`: shown around every page or in every listing (the center's settings, menus,
  taxonomy terms, sites, images). Every cached page is dropped and the CDN purged of every page.
- `shown_on(model, pages, key=None)`: shown on a few pages only, named by `pages(instance)`. The CDN is
  purged of those pages. The page cache drops every page, or, with `key(instance)`, only the pages that
  declared that key while rendering (`home.page_cache.depends_on`): an event's seats change with each
  registration, and only its page shows them.
- `page_part(model)`: rows saved only when their page is published (inline panels, tags), so publishing
  the page already invalidates what they show.
- `private(model)`: shown on no public page (personal data): nothing is invalidated.

A model of the site's apps that is declared nowhere is a mistake: tests/test_invalidation.py walks them all.

What the registry does with a change:
- a change that may show on any page replaces the content version (`content_version()`), at once and
  again when the transaction commits (until then another process still reads the old content and could
  cache it under the new version). Caches of rendered or derived content key their entries by it: the
  page cache, the site's menus, the catalog's option counts. One token, so one change drops them all.
- a change with a narrower key replaces that key's token the same way.
- listeners (`listen`: the CDN purge) are told which page or instance changed, to work out addresses.

Time changes pages too (registration opens, an event ends): apps register `next_moment` providers, and
`next_change(now)` is the next such moment, remembered per content version: the page cache keeps no page
past it, and a `timed` fragment is built again once it has passed.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

EVERYWHERE = "everywhere"
SHOWN_ON = "shown_on"
PAGE_PART = "page_part"
PRIVATE = "private"

CONTENT_VERSION_KEY = "pages:version"
NEXT_CHANGE_KEY = "pages:next-change"
# How long "no moment ahead" is believed: a new moment comes with a publish, which replaces the version.
NO_CHANGE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Rule:
    model: type
    reach: str
    # instance -> the pages showing it (SHOWN_ON)
    pages: Any = None
    # instance -> the cache key of the narrower token that the pages showing it declared (SHOWN_ON)
    key: Any = None

    @property
    def invalidates(self):
        return self.reach in (EVERYWHERE, SHOWN_ON)


_rules = {}
_listeners = {}
_moments = []
_related = []


def _declare(rule):
    _rules[rule.model] = rule


def everywhere(*models):
    for model in models:
        _declare(Rule(model, EVERYWHERE))


def shown_on(model, pages, key=None):
    _declare(Rule(model, SHOWN_ON, pages=pages, key=key))


def page_part(*models):
    for model in models:
        _declare(Rule(model, PAGE_PART))


def private(*models):
    for model in models:
        _declare(Rule(model, PRIVATE))


def rule_for(model):
    return _rules.get(model)


class Listener:
    """Told of each change, after the content version or key has been replaced. Does nothing by default."""

    name = ""

    def every_page(self):
        """Anything may have changed on any page."""

    def page_changed(self, page):
        """`page` was published or unpublished."""

    def page_moved(self, page, url_path_before, url_path_after):
        """`page` and its descendants moved; their old addresses show nothing now."""

    def page_deleted(self, page):
        """`page` is about to be deleted: its address and ancestors can still be read."""

    def shown_on_pages(self, instance, rule):
        """An instance of a SHOWN_ON model changed; `rule.pages(instance)` are the pages that show it."""


def listen(listener):
    """Have `listener` told of every change from now on (replacing one of the same name)."""
    _listeners[listener.name] = listener


def stop_listening(name):
    _listeners.pop(name, None)


def _tell(method, *args):
    for listener in list(_listeners.values()):
        getattr(listener, method)(*args)


def next_moment(provider):
    """Register `provider(now)`: the next moment at which time alone changes a page, or None."""
    if provider not in _moments:
        _moments.append(provider)
    return provider


def related_pages(provider):
    """Register `provider(page)`: pages elsewhere in the tree that show `page` (a project's catalog)."""
    if provider not in _related:
        _related.append(provider)
    return provider


def pages_related_to(page):
    return [related for provider in _related for related in provider(page)]


def next_moments(now):
    """Every provider's next moment after `now`, asked afresh (a query each): call `next_change`, which
    remembers the earliest."""
    return [moment for moment in (provider(now) for provider in _moments) if moment is not None]


# Tokens: a cached entry remembers the token it was made under and is stale once the token is replaced.
# A token rather than a counter, so an evicted token cannot resurrect old entries.


def token(key):
    """The token under `key`, made once by whichever process asks first; None while the cache is
    unreachable (nothing should be stored or read then)."""
    value = cache.get(key)
    if value is None:
        cache.add(key, uuid.uuid4().hex, None)
        value = cache.get(key)
    return value


def replace_token(key):
    cache.set(key, uuid.uuid4().hex, None)


def _replace_now_and_on_commit(key):
    replace_token(key)
    transaction.on_commit(lambda: replace_token(key), robust=True)


def content_version():
    """The token of all content: replaced whenever anything a visitor can see changes (`forget_all`)."""
    return token(CONTENT_VERSION_KEY)


def current_entries(*keys):
    """(content version, {key: value}) of the entries under `keys` kept for the current content version, in
    one round trip to the cache; the version is None and nothing is found while the cache is unreachable."""
    found = cache.get_many([CONTENT_VERSION_KEY, *keys])
    version = found.get(CONTENT_VERSION_KEY) or content_version()
    entries = {}
    if version is not None:
        for key in keys:
            entry = found.get(key)
            if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == version:
                entries[key] = entry[1]
    return version, entries


def keep_current(key, version, value, timeout):
    """Keep `value` under `key` for the content version `version` read by `current_entries` (nothing while
    the cache is unreachable); returns `value`."""
    if version is not None:
        cache.set(key, (version, value), timeout)
    return value


def cached(key, build, timeout, keep=None):
    """`build()`, kept in the cache under `key` until the content version changes: a cached fragment of
    derived content (menus, catalog counts, browse links). One round trip to the cache when it is there;
    built every time while the cache is unreachable. With `keep`, only a value for which `keep(value)` is
    true is stored (where any address a visitor makes up would otherwise add an entry)."""
    version, entries = current_entries(key)
    if key in entries:
        return entries[key]
    value = build()
    if keep is None or keep(value):
        keep_current(key, version, value, timeout)
    return value


def next_change(now):
    """The next moment after `now` at which time alone changes a page (a registration opening, an event
    ending), or None: the page cache keeps no page past it, and `timed` fragments are keyed by it.

    Remembered with the content version it was worked out under, in one round trip to the cache: a publish
    that adds or moves a moment replaces the version, and with it this answer; once the moment has passed
    it is worked out again (the providers' queries, once per version and moment, not once per render).
    Worked out every time while the cache is unreachable."""
    version, entries = current_entries(NEXT_CHANGE_KEY)
    if NEXT_CHANGE_KEY in entries:
        moment = entries[NEXT_CHANGE_KEY]
        if moment is None or moment > now:
            return moment
    moment = min(next_moments(now), default=None)
    seconds = NO_CHANGE_SECONDS if moment is None else max(int((moment - now).total_seconds()), 1)
    return keep_current(NEXT_CHANGE_KEY, version, moment, seconds)


def forget_all():
    """Everything may have changed (a restore from a backup): a new content version, listeners told."""
    _replace_now_and_on_commit(CONTENT_VERSION_KEY)
    _tell("every_page")


# Signals


def _on_model_saved_or_deleted(sender, instance, **kwargs):
    rule = _rules.get(sender)
    if rule is None or not rule.invalidates:
        return
    if rule.reach == EVERYWHERE:
        forget_all()
        return
    _replace_now_and_on_commit(rule.key(instance) if rule.key else CONTENT_VERSION_KEY)
    _tell("shown_on_pages", instance, rule)


def _on_view_restriction(**kwargs):
    forget_all()


def _on_page_changed(instance, **kwargs):
    _replace_now_and_on_commit(CONTENT_VERSION_KEY)
    _tell("page_changed", instance)


def _on_page_moved(instance, url_path_before, url_path_after, **kwargs):
    _replace_now_and_on_commit(CONTENT_VERSION_KEY)
    _tell("page_moved", instance, url_path_before, url_path_after)


def _on_page_deleted(instance, **kwargs):
    _replace_now_and_on_commit(CONTENT_VERSION_KEY)
    _tell("page_deleted", instance)


def connect_signals():
    uid = "home-invalidation"
    for signal in (post_save, post_delete):
        signal.connect(_on_model_saved_or_deleted, dispatch_uid=f"{uid}-model-{id(signal)}")
        signal.connect(
            _on_view_restriction, sender=PageViewRestriction, dispatch_uid=f"{uid}-restriction-{id(signal)}"
        )
    for signal in (page_published, page_unpublished):
        signal.connect(_on_page_changed, dispatch_uid=f"{uid}-page-{id(signal)}")
    post_page_move.connect(_on_page_moved, dispatch_uid=f"{uid}-move")
    pre_delete.connect(_on_page_deleted, sender=Page, dispatch_uid=f"{uid}-delete")
