"""Signed, single-purpose links for one pro bono worker: confirming the email address (double opt-in)
and managing the profile (update, pause, withdraw), without an account.

A link carries the worker's id (home/signed_links.py) with a salt per purpose. Confirmation links expire;
whoever lets one lapse submits the form again with the same address and gets a new one.
"""

import datetime

from home.signed_links import InvalidLink, read_token
from home.signed_links import make_token as sign

CONFIRM = "projects.talent.worker.confirm"
MANAGE = "projects.talent.worker.manage"

MAX_AGE = {CONFIRM: datetime.timedelta(days=7), MANAGE: None}


def make_token(worker, purpose):
    return sign([worker.pk], purpose)


def worker_for_token(token, purpose):
    """The worker a token names; raises ExpiredLink, or InvalidLink (tampered, of another purpose, or
    naming a worker who no longer exists)."""
    from projects.models import Worker

    (worker_id,) = read_token(token, purpose, count=1, max_age=MAX_AGE[purpose])
    worker = Worker.objects.filter(pk=worker_id).first()
    if worker is None:
        raise InvalidLink
    return worker
