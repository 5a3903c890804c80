"""Whether the task queue is moving: a task that was due long ago and still waits means no worker runs
(or it cannot keep up). Read by /readyz (cms/health.py)."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max


def queue_is_moving(now=None):
    """False when a task has been due for more than TASK_QUEUE_STUCK_SECONDS; True for a queue that is not
    the database's (its own tools watch it) or that runs tasks at once."""
    if not isinstance(task_backends["default"], DatabaseBackend):
        return True
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.TASK_QUEUE_STUCK_SECONDS)
    due_long_ago = Q(run_after=get_date_max()) | Q(run_after__lt=cutoff)
    return not DBTaskResult.objects.ready().filter(due_long_ago, enqueued_at__lt=cutoff).exists()
