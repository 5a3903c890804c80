"""Signed, single-purpose links for one pro bono worker: confirming the email address (double opt-in)
and managing the profile (update, pause, withdraw), without an account.

As in projects/registration/tokens.py, a link carries the worker's id signed with the site's secret and
a salt per purpose, base64-encoded because Wagtail's page URLs do not allow Django's ":". Confirmation
links expire; whoever lets one lapse submits the form again with the same address and gets a new one.
"""

import base64
import binascii
import datetime
import enum

from django.core import signing

CONFIRM = "projects.talent.worker.confirm"
MANAGE = "projects.talent.worker.manage"

MAX_AGE = {CONFIRM: datetime.timedelta(days=7), MANAGE: None}


class LinkProblem(enum.Enum):
    INVALID = "invalid"
    EXPIRED = "expired"


def make_token(worker, purpose):
    signed = signing.dumps([worker.pk], salt=purpose)
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def worker_for_token(token, purpose):
    """(worker, None) for a valid token, else (None, LinkProblem): expired, or invalid (tampered, of
    another purpose, or naming a worker who no longer exists)."""
    from projects.models import Worker

    try:
        signed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        (worker_id,) = signing.loads(signed, salt=purpose, max_age=MAX_AGE[purpose])
    except signing.SignatureExpired:
        return None, LinkProblem.EXPIRED
    except (binascii.Error, UnicodeDecodeError, signing.BadSignature, TypeError, ValueError):
        return None, LinkProblem.INVALID
    if not isinstance(worker_id, int) or isinstance(worker_id, bool):
        return None, LinkProblem.INVALID
    worker = Worker.objects.filter(pk=worker_id).first()
    return (worker, None) if worker else (None, LinkProblem.INVALID)
