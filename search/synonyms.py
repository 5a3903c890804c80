"""Words that search treats as one (placeholder until the synonym list and loanwords land)."""

from home.invalidation import cached

from .models import SynonymGroup


def _build():
    groups = (group.term_list() for group in SynonymGroup.objects.all())
    return [tuple(group) for group in groups if len(group) > 1]


def synonym_groups():
    """Every group of words search treats as one, each word as written."""
    return cached("search:synonyms", _build, 24 * 60 * 60)
