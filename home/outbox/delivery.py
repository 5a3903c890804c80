"""Sending what waits in the outbox, exactly once.

A row is claimed by one conditional UPDATE (pending → sending) before the mail server is contacted, so of
any number of senders only one gets it. A failure puts it back with a growing delay; after the last
attempt it is failed, for staff to see. A sender killed mid-send leaves its claim behind; the claim is
given up after EMAIL_CLAIM_TIMEOUT and the email tried again. (A crash in the instant between the mail
server's acceptance and the UPDATE that records it is the one case that sends twice.)
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F
from django.utils import timezone

from home.models import OutgoingEmail, OutgoingEmailStatus

from . import messages, stamps

logger = logging.getLogger(__name__)

QUEUEING_BACKEND = "home.outbox.backend.QueueingEmailBackend"


def delivery_backend():
    """How mail leaves this site: EMAIL_DELIVERY_BACKEND behind the queue, else EMAIL_BACKEND itself (the
    tests' in-memory backend, or a backend a test points at a dead server)."""
    if settings.EMAIL_BACKEND == QUEUEING_BACKEND:
        return settings.EMAIL_DELIVERY_BACKEND
    return settings.EMAIL_BACKEND


def max_attempts():
    return settings.EMAIL_MAX_ATTEMPTS


def backoff(attempts):
    """The wait before attempt `attempts` + 1: one minute, doubling, at most an hour."""
    return datetime.timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


def _claim(pk, statuses, now):
    claimed = OutgoingEmail.objects.filter(pk=pk, status__in=statuses).update(
        status=OutgoingEmailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return OutgoingEmail.objects.get(pk=pk) if claimed else None


def deliver(pk, *, include_failed=False):
    """Send outbox row `pk` unless another sender has it or has sent it: "sent", "waiting" (it failed
    and will be tried again, or is failed for good) or "skipped"."""
    now = timezone.now()
    statuses = [OutgoingEmailStatus.PENDING]
    if include_failed:
        statuses.append(OutgoingEmailStatus.FAILED)
    row = _claim(pk, statuses, now)
    if row is None:
        return "skipped"
    if row.expires_at and row.expires_at <= now:
        _finish(row, OutgoingEmailStatus.EXPIRED)
        return "skipped"
    try:
        message = messages.from_json(row.message)
        message.connection = get_connection(delivery_backend())
        message.send()
    except Exception as error:
        _failed(row, error, now)
        return "waiting"
    _finish(row, OutgoingEmailStatus.SENT, sent_at=timezone.now())
    try:
        stamps.apply(row.stamp, row.sent_at)
    except Exception:
        logger.exception("Email %s was sent but its record could not be stamped", row.pk)
    return "sent"


def _finish(row, status, **fields):
    # The message holds names and addresses; once it is out of our hands only the record is kept.
    row.status, row.message, row.last_error = status, {}, ""
    for name, value in fields.items():
        setattr(row, name, value)
    row.save(update_fields=["status", "message", "last_error", *fields])


def _failed(row, error, now):
    row.last_error = type(error).__name__
    if row.attempts >= max_attempts():
        row.status = OutgoingEmailStatus.FAILED
    else:
        row.status = OutgoingEmailStatus.PENDING
        row.next_attempt_at = now + backoff(row.attempts)
    row.save(update_fields=["status", "last_error", "next_attempt_at"])
    # Logged by the feature that made the email, in its words, where it said how. An attempt that will be
    # retried gives one line with the kind of error; the last one gives the traceback too (redacted by the
    # logging filter: an SMTP refusal quotes the recipient's address).
    final = row.status == OutgoingEmailStatus.FAILED
    feature_logger = logging.getLogger(row.logger_name) if row.logger_name else logger
    feature_logger.log(
        logging.ERROR if final else logging.WARNING,
        "%s (outbox email %s, %s, attempt %s of %s): %s",
        row.failure_message or "Could not send an email",
        row.pk,
        row.purpose,
        row.attempts,
        max_attempts(),
        row.last_error,
        exc_info=error if final else None,
    )


def recover_stale(now=None):
    """Give up the claims of senders that died mid-send; their emails are sent again. Returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.EMAIL_CLAIM_TIMEOUT)
    return OutgoingEmail.objects.filter(status=OutgoingEmailStatus.SENDING, claimed_at__lt=cutoff).update(
        status=OutgoingEmailStatus.PENDING, next_attempt_at=now
    )


def expire(now=None):
    """Unsent emails past their use (a registration's, after its event) are dropped with their content."""
    now = now or timezone.now()
    return OutgoingEmail.objects.filter(
        status__in=[OutgoingEmailStatus.PENDING, OutgoingEmailStatus.FAILED], expires_at__lte=now
    ).update(status=OutgoingEmailStatus.EXPIRED, message={})


def deliver_due(now=None, limit=100):
    """The worker's sweep: expire, recover dead claims, and send what is due (a task that never ran, a
    retry whose delay has passed). Returns {"sent": n, "waiting": n}."""
    now = now or timezone.now()
    expire(now)
    recover_stale(now)
    due = OutgoingEmail.objects.filter(status=OutgoingEmailStatus.PENDING, next_attempt_at__lte=now)
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    return _deliver_all(ids)


def retry_failed(now=None, limit=None):
    """Send every unsent email now, failed ones and those waiting out their delay included (after an
    outage, by `resend_pending_emails`). Returns {"sent": n, "waiting": n}."""
    now = now or timezone.now()
    expire(now)
    recover_stale(now)
    unsent = OutgoingEmail.objects.filter(
        status__in=[OutgoingEmailStatus.PENDING, OutgoingEmailStatus.FAILED]
    )
    ids = list(unsent.order_by("created_at", "pk").values_list("pk", flat=True))
    return _deliver_all(ids[:limit] if limit is not None else ids, include_failed=True)


def _deliver_all(ids, include_failed=False):
    counts = {"sent": 0, "waiting": 0}
    for pk in ids:
        outcome = deliver(pk, include_failed=include_failed)
        if outcome in counts:
            counts[outcome] += 1
    return counts


def prune(now=None):
    """Forget the records of emails sent or dropped more than EMAIL_OUTBOX_KEEP_DAYS ago."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.EMAIL_OUTBOX_KEEP_DAYS)
    deleted, _ = OutgoingEmail.objects.filter(
        status__in=[OutgoingEmailStatus.SENT, OutgoingEmailStatus.EXPIRED], created_at__lt=cutoff
    ).delete()
    return deleted


def withdraw(row):
    """Take back a queued email no sender has claimed (a feature that will queue it again itself);
    False when a sender already has it."""
    return bool(
        OutgoingEmail.objects.filter(pk=row.pk, status=OutgoingEmailStatus.PENDING).update(
            status=OutgoingEmailStatus.EXPIRED, message={}
        )
    )


def requeue_failed():
    """Give the emails marked failed a fresh set of attempts, starting now (staff, once the mail server is
    back); returns how many."""
    from .tasks import deliver_email  # the task module imports this one

    now = timezone.now()
    ids = list(OutgoingEmail.objects.filter(status=OutgoingEmailStatus.FAILED).values_list("pk", flat=True))
    requeued = OutgoingEmail.objects.filter(pk__in=ids, status=OutgoingEmailStatus.FAILED).update(
        status=OutgoingEmailStatus.PENDING, attempts=0, next_attempt_at=now
    )
    for pk in ids:
        try:
            deliver_email.enqueue(pk)
        except Exception as error:
            logger.warning("Could not queue email %s: %s", pk, type(error).__name__)  # the sweep sends it
    return requeued
