"""Caches the catalog's option counts, which grow with the catalog, until its content changes.

Every cached entry is keyed by the content version (`home.invalidation`), which any change that can alter
a count replaces (a page published, unpublished, moved or deleted, a view restriction, a taxonomy term), so
no stale count is ever read.
"""

import hashlib

from home.invalidation import cached

# Signals reach only the process that made the change; with a per-process cache (no shared cache
# configured) other processes catch up within this many seconds.
TIMEOUT = 300


def cached_counts(index, filters, compute):
    """compute() for this index and these filters, from the cache while the catalog is unchanged."""
    digest = hashlib.sha256(filters.fingerprint().encode()).hexdigest()
    return cached(f"projects:counts:{index.pk}:{digest}", compute, TIMEOUT)
