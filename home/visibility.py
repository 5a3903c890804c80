"""Which pages a visitor may see: live, and outside every view-restricted section.

This is the one place the rule is written. Page models take `VisiblePageManager` (or a manager made from a
subclass of `VisiblePageQuerySet`) and callers write `SomePage.objects.visible()`; a query over Wagtail's
own `Page` calls `visible(queryset)`. Neither `.live().public()` nor a hand-made privacy filter appears
anywhere else.
"""

from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet


def visible(queryset):
    """The pages of any page queryset that a visitor may see."""
    return queryset.live().public()


def private_sections_q():
    """A Q matching every view-restricted page and its descendants (one query to build), for a caller that
    filters several querysets with `visible_except(private)` instead of building it once per `.public()`."""
    return Page.objects.private_q()


class VisiblePageQuerySet(PageQuerySet):
    def visible(self, private=None):
        """Live pages outside view-restricted sections; `private` is a `private_sections_q()` built
        once for several querysets."""
        if private is None:
            return visible(self)
        return self.live().exclude(private)


class VisiblePageManager(PageManager.from_queryset(VisiblePageQuerySet)):
    pass
