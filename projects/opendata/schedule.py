"""When the open data files are regenerated: after a transaction that changed what they publish commits,
once for the whole transaction (a burst of publishes queues one task), never while a visitor waits.

The listener hears every change through the shell's invalidation registry (`home.invalidation.listen`), as
the CDN purge does. Inside tests' transactions, on_commit callbacks never run, so the rest of the suite
generates nothing.
"""

import logging

from django.db import connection, transaction
from django.utils import timezone
from wagtail import hooks

from home import invalidation
from home.models import OpenDataSettings

from ..models import (
    EventIndexPage,
    EventPage,
    OrganizationIndexPage,
    OrganizationPage,
    ProjectIndexPage,
    ProjectPage,
)
from . import storage

logger = logging.getLogger(__name__)

# Pages whose publishing changes a record or an address in the files.
PUBLISHED_PAGE_TYPES = (
    ProjectPage,
    OrganizationPage,
    EventPage,
    ProjectIndexPage,
    OrganizationIndexPage,
    EventIndexPage,
)
# Records shown on a few pages (invalidation.shown_on) that the files also state.
SHOWN_ON_MODELS = (OpenDataSettings,)


class _Regeneration:
    """The on_commit callback of one transaction; it knows whether it has run."""

    def __init__(self):
        self.ran = False

    def __call__(self):
        self.ran = True
        from .tasks import regenerate_open_data

        try:
            regenerate_open_data.enqueue(timezone.now().isoformat())
        except Exception as error:
            # The worker's sweep makes missing files; a change lost here shows with the next one.
            logger.warning("Could not queue the open data regeneration: %s", type(error).__name__)


def schedule_regeneration():
    """Queue one regeneration when the current transaction commits (at once outside a transaction): a
    callback already waiting for this transaction's commit is enough. A rolled back transaction drops its
    callbacks, so the next change registers a new one."""
    pending = getattr(connection, "_open_data_regeneration", None)
    if (
        pending is not None
        and not pending.ran
        and any(func is pending for _, func, _ in connection.run_on_commit)
    ):
        return
    callback = _Regeneration()
    connection._open_data_regeneration = callback
    transaction.on_commit(callback, robust=True)


class OpenDataListener(invalidation.Listener):
    name = "opendata"

    def every_page(self):
        schedule_regeneration()

    def page_changed(self, page):
        if issubclass(page.specific_class or type(page), PUBLISHED_PAGE_TYPES):
            schedule_regeneration()

    def page_moved(self, page, url_path_before, url_path_after):
        schedule_regeneration()

    def page_deleted(self, page):
        schedule_regeneration()

    def shown_on_pages(self, instance, rule):
        if isinstance(instance, SHOWN_ON_MODELS):
            schedule_regeneration()


def sweep():
    """Run by the worker's sweep: make the files when there are none (a new site, lost storage), and again
    when a new 年度 began since they were made (the annual results then have a new year)."""
    from home.dates import fiscal_year_of, today

    manifest = storage.read_manifest()
    if manifest is not None:
        made = storage.generated_at(manifest).date()
        if fiscal_year_of(made) == fiscal_year_of(today()):
            return
    from .generation import generate_open_data

    generate_open_data()


def register():
    invalidation.listen(OpenDataListener())
    hooks.register("worker_sweep", sweep)
