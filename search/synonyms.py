"""The groups of words that search treats as one: the shipped loanwords (search/loanwords.py) and the
synonyms 事務局 edit in the admin (SynonymGroup, 設定 → 同義語).

Read on every query, so kept in the cache. A saved or deleted group replaces the content version
(SynonymGroup is declared `everywhere` in search/apps.py), so the next query reads the new list: no
reindex is needed, the index keeps each page's own words and the query brings the alternatives.
"""

from home.invalidation import cached

from .loanwords import LOANWORDS
from .models import SynonymGroup

CACHE_KEY = "search:synonym-groups"
# The content version drops the list on a change; the timeout bounds how long another process with its
# own memory cache (no REDIS_URL) keeps the old one, as for the site's other cached fragments.
TIMEOUT = 300


def synonym_groups():
    """Every group of words search treats as one, each word as written (the query analysis normalizes),
    loanwords first, then the staff's groups in the order they were added. A group with fewer than two
    words is left out. Two groups may share a word."""
    return cached(CACHE_KEY, _build, TIMEOUT)


def _build():
    staff_groups = (tuple(group.term_list()) for group in SynonymGroup.objects.only("terms").order_by("pk"))
    return [group for group in (*LOANWORDS, *staff_groups) if len(group) >= 2]
