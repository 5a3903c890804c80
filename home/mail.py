"""The one way the site makes an email: a text template and its HTML twin, rendered with one context and
signed by the center of the sending site, from DEFAULT_FROM_EMAIL, and put in the outbox (home/outbox/),
from which the worker sends it. Nothing here talks to the mail server, so a slow or dead one never holds
a request. Queueing never raises: a failure to render is logged by the feature's own logger; once the
email has gone, the rows that record it are stamped.

Features build the context (absolute URLs from home.origin) and say what to stamp; they never touch
EmailMultiAlternatives themselves.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from wagtail.models import Site

from home.models import OutgoingEmailStatus
from home.outbox import Stamp, queue_message
from home.seo import center_settings, site_name

__all__ = ["SENT", "QUEUED", "RETRYING", "FAILED", "Stamp", "outcome", "send_templated_email", "sender"]

# What became of an email just queued (outcome()).
SENT, QUEUED, RETRYING, FAILED = "sent", "queued", "retrying", "failed"


def sender(site=None):
    """Who an email comes from: the name and the center's settings of `site` (the default site if None)."""
    site = site or Site.objects.filter(is_default_site=True).first()
    center = center_settings(site=site)
    return {"site_name": site_name(center, site), "center": center}


def send_templated_email(
    template, *, subject, to, context, site, logger, failure, attachments=(), mark_sent=None, expires_at=None
):
    """Render `template`.txt and `template`.html with `context` and the sender of `site`, and queue them
    for `to`; the outbox row, or None when the email could not be made.

    `failure` is the log message and its arguments when it could not (never an address: the logs must not
    hold personal data). `attachments` are (filename, content, mimetype). `mark_sent` (a Stamp) is set
    once the email has gone; after `expires_at` it is not sent any more.
    """
    try:
        context = {**sender(site), **context}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"{template}.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=list(to),
        )
        message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
        for attachment in attachments:
            message.attach(*attachment)
        return queue_message(
            message,
            purpose=template,
            stamp=mark_sent,
            expires_at=expires_at,
            failure=failure[0] % failure[1:],
            logger_name=logger.name,
        )
    except Exception:
        # The stack names the feature that sent the email; the traceback alone ends in this module.
        logger.exception(*failure, stack_info=True)
        return None


def outcome(row):
    """What became of an email just queued: SENT (a worker that runs tasks at once sent it), QUEUED (the
    worker will send it), RETRYING (a first attempt failed; the outbox tries again) or FAILED (it could not
    be made)."""
    if row is None:
        return FAILED
    row.refresh_from_db(fields=["status", "attempts"])
    if row.status == OutgoingEmailStatus.SENT:
        return SENT
    return RETRYING if row.attempts else QUEUED
