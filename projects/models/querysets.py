"""The catalog's named queries: which projects, events and organizations a listing shows, and what a card
reads with them.

Callers write `ProjectPage.objects.in_catalog(index).for_cards()` or `EventPage.objects.visible().upcoming()`
and never repeat a privacy filter, a date rule or a `prefetch_related` list. Which pages a visitor may see
is `home.visibility`'s rule; these querysets only name it for the catalog's pages.
"""

from django.utils import timezone
from wagtail.models import PageManager

from home.visibility import VisiblePageQuerySet


class ProjectPageQuerySet(VisiblePageQuerySet):
    def in_catalog(self, index):
        """The projects the catalog at `index` (a ProjectIndexPage) lists: its visible children."""
        return self.child_of(index).visible()

    def for_cards(self):
        """With what a project card shows (organization, image, support menus, areas), read in three
        queries in all rather than several per card."""
        return self.select_related("organization", "image").prefetch_related("support_menus", "areas")


class EventPageQuerySet(VisiblePageQuerySet):
    def upcoming(self, now=None):
        """Events that have not ended by `now` (default: the current time), soonest first. An event under
        way is still upcoming: it can be joined, and its page says when it ends."""
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None):
        """Events that ended before `now` (default: the current time), the latest first."""
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")


class OrganizationPageQuerySet(VisiblePageQuerySet):
    def for_cards(self):
        """With what an organization card shows (area, logo)."""
        return self.select_related("area", "logo")

    def running(self, projects):
        """The organizations of any of `projects` (a ProjectPage queryset)."""
        return self.filter(pk__in=projects.values("organization_id"))


class ProjectPageManager(PageManager.from_queryset(ProjectPageQuerySet)):
    pass


class EventPageManager(PageManager.from_queryset(EventPageQuerySet)):
    pass


class OrganizationPageManager(PageManager.from_queryset(OrganizationPageQuerySet)):
    pass
