"""Emails about a support application: the receipt to the applicant, the notice to the center, and the
optional message when the center declines.

Plain text with an HTML alternative, from the center named in the site settings. The notice to the center
names the organization, never the contact person: staff read those details in the admin. Sending never
raises; a failure is logged and reported to the caller.
"""

import logging

from django.conf import settings
from django.urls import reverse

from home.mail import send_templated_email, sender

logger = logging.getLogger(__name__)

SUBJECTS = {
    "receipt": "【受付】支援のお申込みを受け付けました",
    "notice": "【支援申込】新しいお申込みがありました(受付番号 {number})",
    "declined": "【支援申込】お申込みについてのご連絡",
}


def admin_url(application):
    path = reverse("support_applications:edit", args=[application.pk])
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def _send(kind, application, to, site, **extra):
    context = {
        "application": application,
        "kind": kind,
        "problems": list(application.problems.all()),
        "support_menus": list(application.support_menus.all()),
        **extra,
    }
    return send_templated_email(
        f"emails/application_{kind}",
        subject=SUBJECTS[kind].format(number=application.pk),
        to=[to],
        context=context,
        site=site,
        logger=logger,
        failure=("Could not send the %s email for support application %s", kind, application.pk),
    )


def send_receipt(application, site=None):
    """Tell the contact person the application arrived; True when the email went out."""
    return _send("receipt", application, application.contact_email, site)


def send_notice(application, site=None):
    """Tell the center a new application is waiting, at the address in its settings (if it has one)."""
    address = sender(site)["center"].email
    if not address:
        return False
    return _send("notice", application, address, site, admin_url=admin_url(application))


def send_declined(application, site=None):
    """The polite message when the center cannot take the application on."""
    return _send("declined", application, application.contact_email, site)
