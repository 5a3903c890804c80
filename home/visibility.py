"""Which pages a visitor may see: live, and outside every view-restricted section.

This is the one place the rule is written. Page models take `VisiblePageManager` (or a manager made from a
subclass of `VisiblePageQuerySet`) and callers write `SomePage.objects.visible()`; a query over Wagtail's
own `Page` calls `visible(queryset)`. Neither `.live().public()` nor a hand-made privacy filter appears
anywhere else.
"""

from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet


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
