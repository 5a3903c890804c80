"""The outbox's task on Django's task queue (django-tasks): send one email, run by the worker."""

from django_tasks import task

from .delivery import deliver

# Ahead of the search and reference index updates that a large import queues by the thousand.
EMAIL_PRIORITY = 10


@task(priority=EMAIL_PRIORITY)
def deliver_email(pk):
    """Send outbox row `pk` if no one else has; "sent", "waiting" (to be retried) or "skipped"."""
    return deliver(pk)
