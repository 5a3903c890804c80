"""Putting an email in the outbox: a row with the whole message, and a task for the worker to send it."""

import logging

from django.db.models import Count, Q
from django.utils import timezone

from home.models import OutgoingEmail, OutgoingEmailStatus

from . import messages
from .tasks import deliver_email

logger = logging.getLogger(__name__)

UNSENT = (OutgoingEmailStatus.PENDING, OutgoingEmailStatus.SENDING, OutgoingEmailStatus.FAILED)


def queue_message(message, *, purpose, stamp=None, expires_at=None, failure="", logger_name=""):
    """Keep `message` (a Django EmailMessage) to be sent by the worker; returns the outbox row.

    `stamp` (a Stamp) is recorded once the email has gone; after `expires_at` it is no longer sent.
    `failure` is what the logger named `logger_name` says when an attempt fails.
    Called inside the feature's transaction, the row and its task are committed with the change that
    caused them, or not at all.
    """
    row = OutgoingEmail.objects.create(
        purpose=purpose[:100],
        subject=str(message.subject)[:255],
        message=messages.to_json(message),
        stamp=stamp.to_json() if stamp else None,
        expires_at=expires_at,
        failure_message=failure[:300],
        logger_name=logger_name[:100],
    )
    try:
        deliver_email.enqueue(row.pk)
    except Exception as error:
        # The worker's sweep sends rows whose task never reached the queue.
        logger.warning("Could not queue email %s: %s", row.pk, type(error).__name__)
    return row


def unsent(now=None):
    """Emails not yet handed to the mail server that are still worth sending."""
    now = now or timezone.now()
    return OutgoingEmail.objects.filter(status__in=UNSENT).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def counts(now=None):
    """{"waiting": emails still to be sent, "failed": emails that used every attempt}, in one query."""
    now = now or timezone.now()
    return OutgoingEmail.objects.aggregate(
        waiting=Count(
            "pk",
            filter=Q(status__in=[OutgoingEmailStatus.PENDING, OutgoingEmailStatus.SENDING])
            & (Q(expires_at__isnull=True) | Q(expires_at__gt=now)),
        ),
        failed=Count("pk", filter=Q(status=OutgoingEmailStatus.FAILED)),
    )
