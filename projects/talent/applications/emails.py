"""Emails about a support application: the receipt to the applicant, the notice to the center, and the
optional message when the center declines.

Plain text with an HTML alternative, from the center named in the site settings. The notice to the center
names the organization, never the contact person: staff read those details in the admin. The receipt goes
to an address nobody has confirmed, so under the public forms' policy (home/mail_policy.py) it quotes
nothing the applicant typed, only the reference number and the date, and goes at most once a window to
one address. Sending never raises; a failure is logged and reported to the caller.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from home import mail_policy
from home.mail import send_templated_email, sender
from projects.models import SupportApplication

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
    """Tell the contact person the application arrived, unless their address already had a receipt
    within the window; True when the email went out."""
    address = application.contact_email
    return mail_policy.send_once(
        "support-application-receipt",
        address,
        lambda: _send("receipt", application, address, site),
        fallback=lambda: not _earlier_application_from(application),
    )


def _earlier_application_from(application):
    """Whether the same address applied within the window before this application (asked while the
    cache is down): its receipt went then."""
    since = timezone.now() - timedelta(seconds=settings.PUBLIC_FORM_MAIL_WINDOW)
    return (
        SupportApplication.objects.filter(
            contact_email__iexact=application.contact_email, created_at__gte=since
        )
        .exclude(pk=application.pk)
        .exists()
    )


def send_notice(application, site=None):
    """Tell the center a new application is waiting, at the address in its settings (if it has one)."""
    address = sender(site)["center"].email
    if not address:
        return False
    return _send("notice", application, address, site, admin_url=admin_url(application))


def send_declined(application, site=None):
    """The polite message when the center cannot take the application on."""
    return _send("declined", application, application.contact_email, site)
