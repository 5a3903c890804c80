"""The one way the site sends an email: a text template and its HTML twin, rendered with one context and
signed by the center of the sending site, sent from DEFAULT_FROM_EMAIL. Sending never raises: a failure is
logged by the feature's own logger, and a success is stamped on the rows that record it.

Features build the context (absolute URLs from home.origin) and say what to stamp; they never touch
EmailMultiAlternatives themselves.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail.models import Site

from home.seo import center_settings, site_name


def sender(site=None):
    """Who an email comes from: the name and the center's settings of `site` (the default site if None)."""
    site = site or Site.objects.filter(is_default_site=True).first()
    center = center_settings(site=site)
    return {"site_name": site_name(center, site), "center": center}


def send_templated_email(
    template, *, subject, to, context, site, logger, failure, attachments=(), mark_sent=None
):
    """Render `template`.txt and `template`.html with `context` and the sender of `site`, and send them
    to `to`; True when the email went out.

    `failure` is the log message and its arguments when it did not (never an address: the logs must not
    hold personal data). `attachments` are (filename, content, mimetype). `mark_sent` is
    (queryset, field): on success, the field of those rows is set to now, the record that the email went.
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
        message.send()
    except Exception:
        # The stack names the feature that sent the email; the traceback alone ends in this module.
        logger.exception(*failure, stack_info=True)
        return False
    if mark_sent is not None:
        rows, field = mark_sent
        rows.update(**{field: timezone.now()})
    return True
