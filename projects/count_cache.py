"""Caches the catalog's option counts, which grow with the catalog, until its content changes.

Every cached entry is keyed by a catalog version token; any change that can alter a count (a page
published, unpublished, moved or deleted, a view restriction, a taxonomy term saved or deleted) replaces
the token, so no stale count is ever read. A token rather than a counter, so an evicted token cannot
resurrect old entries.
"""

import hashlib
import uuid

from django.core.cache import cache

from home.content_signals import on_content_change

from .models import FACETS

VERSION_KEY = "projects:catalog-version"
# Signals reach only the process that made the change; with a per-process cache (no shared cache
# configured) other processes catch up within this many seconds.
TIMEOUT = 300


def _version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def forget_counts(**kwargs):
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def cached_counts(index, filters, compute):
    """compute() for this index and these filters, from the cache while the catalog is unchanged."""
    fingerprint = repr(
        (
            sorted((key, sorted(term.id for term in terms)) for key, terms in filters.facets.items()),
            sorted(filters.statuses),
            sorted(filters.years),
            filters.query,
        )
    )
    digest = hashlib.sha256(fingerprint.encode()).hexdigest()
    key = f"projects:counts:{index.pk}:{_version()}:{digest}"
    counts = cache.get(key)
    if counts is None:
        counts = compute()
        cache.set(key, counts, TIMEOUT)
    return counts


def connect_signals():
    on_content_change(forget_counts, "forget-catalog-counts", models=[facet.model for facet in FACETS])
