"""The outbox: every email leaves the site through a background worker, never inside a request.

A feature renders its email (home/mail.py) and queues it here; the queue is a row of OutgoingEmail and a
task on Django's task queue (django-tasks; the database backend by default). The worker claims the row
before it talks to the mail server, so two workers, a worker and `resend_pending_emails`, or a task and
the worker's sweep never send one email twice; a failure leaves the row waiting with a growing delay
(backoff), and after the last attempt it is marked failed for staff to see and resend.

Email sent by Django and Wagtail themselves (workflow notifications, password resets) takes the same
path through QueueingEmailBackend, the EMAIL_BACKEND of every environment but the tests.
"""

from .delivery import deliver, deliver_due, recover_stale, retry_failed, withdraw
from .queue import counts, queue_message, unsent
from .stamps import Stamp

__all__ = [
    "Stamp",
    "counts",
    "deliver",
    "deliver_due",
    "queue_message",
    "recover_stale",
    "retry_failed",
    "unsent",
    "withdraw",
]
