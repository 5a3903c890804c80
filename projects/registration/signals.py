"""When editors publish an event, perhaps with more seats than before, free seats go to the waitlist."""

from django.db import transaction
from wagtail.signals import page_published

from projects.models import EventPage


def on_event_published(sender, instance, **kwargs):
    from .services import promote_after_capacity_change

    # Publishing may run inside a larger transaction (a workflow's approval): promote, and email the
    # people promoted, only once it has committed.
    transaction.on_commit(lambda: promote_after_capacity_change(instance))


def connect_signals():
    page_published.connect(on_event_published, sender=EventPage, dispatch_uid="registration-event-published")
