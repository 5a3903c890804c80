"""Which pages a visitor may see: live, and outside every view-restricted section.

This is the one place the rule is written. Page models take `VisiblePageManager` (or a manager made from a
subclass of `VisiblePageQuerySet`) and callers write `SomePage.objects.visible()`; a query over Wagtail's
own `Page` calls `visible(queryset)`. Neither `.live().public()` nor a hand-made privacy filter appears
anywhere else.

Serving a page, Wagtail reads its ancestors and their view restrictions (`Page.get_view_restrictions`, two
queries). Page models take `KnownRestrictionsMixin`, which answers "none" without a query where no section
above the page or the page itself carries a restriction: the sections that do (and alias pages, whose
source's restrictions apply) are kept under the content version, which every restriction saved or deleted
replaces (home/invalidation.py). Wherever one may apply, Wagtail's own check runs unchanged.
"""

from django.conf import settings
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

from home import invalidation

# How long the restricted sections are kept; a restriction saved or deleted replaces the content version,
# and with it the entry, at once (kept only in a cache every process shares: CACHE_IS_SHARED).
TIMEOUT = 300


def visible(queryset, private=None):
    """The pages of any page queryset that a visitor may see. `private` is a `private_sections_q()` built
    once by a caller that filters several querysets, instead of reading the restrictions for each."""
    if private is None:
        return queryset.live().public()
    return queryset.live().exclude(private)


def private_sections_q():
    """A Q matching every view-restricted page and its descendants (one query to build)."""
    return Page.objects.private_q()


class VisiblePageQuerySet(PageQuerySet):
    def visible(self, private=None):
        return visible(self, private)


class VisiblePageManager(PageManager.from_queryset(VisiblePageQuerySet)):
    pass


class KnownRestrictionsMixin:
    """For page models: Wagtail's view restrictions of the page, without a query when none can apply."""

    def get_view_restrictions(self):
        if self.alias_of_id is None and not _below_marked_section(self.path):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def _below_marked_section(path):
    """Whether the page at tree `path`, or a page above it, carries a view restriction or is an alias.

    Read from the database when each process has its own cache (CACHE_IS_SHARED off: no Redis), where
    another process's restriction would otherwise reach this one minutes late."""
    if settings.CACHE_IS_SHARED:
        marked = invalidation.cached("visibility:marked-sections", _marked_sections, TIMEOUT)
    else:
        marked = _marked_sections()
    steplen = Page.steplen
    return bool(marked) and any(path[:length] in marked for length in range(steplen, len(path) + 1, steplen))


def _marked_sections():
    """Tree paths of the pages with a view restriction and of the alias pages."""
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    aliases = Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)
    return frozenset(restricted) | frozenset(aliases)
