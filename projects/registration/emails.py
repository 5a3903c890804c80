"""Emails to people who registered: where their registration stands, and a reminder the day before.

Each email is plain text with an HTML alternative, carries the event as an .ics file while the person
holds or awaits a seat, and gives their personal status and cancellation links. Sending never raises:
a failure is logged and leaves the registration marked as not emailed, for staff to resend.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from home.origin import absolute_url, page_url
from home.seo import center_settings, site_name
from projects.ical import calendar_bytes
from projects.models import Registration, RegistrationStatus

from .tokens import CANCEL, STATUS, make_token

logger = logging.getLogger(__name__)

SUBJECTS = {
    "confirmed": "【参加確定】{title} のお申込みを受け付けました",
    "waitlisted": "【キャンセル待ち】{title} のお申込みを受け付けました",
    "promoted": "【参加確定】{title} キャンセル待ちから参加が確定しました",
    "cancelled": "【キャンセル完了】{title} のお申込みを取り消しました",
    "reminder": "【明日開催】{title} のご案内",
    "reminder_today": "【本日開催】{title} のご案内",
}


def _link(registration, route, purpose):
    """The path, within its site, of one of the registration's personal pages below its event's page."""
    event = registration.event
    _, _, event_path = event.get_url_parts()
    return event_path + event.reverse_subpage(route, args=[make_token(registration, purpose)])


def status_url(registration):
    return _link(registration, "registration_route", STATUS)


def cancel_url(registration):
    return _link(registration, "cancel_route", CANCEL)


def situation(registration):
    """Which status email a registration is due: confirmed, waitlisted, promoted or cancelled."""
    if registration.status == RegistrationStatus.CONFIRMED and registration.promoted_at:
        return "promoted"
    return registration.status


def _sender(event):
    """Who the email comes from: the name and contact details in the settings of the event's site."""
    site = event.get_site()
    center = center_settings(site=site)
    return {"site_name": site_name(center, site), "center": center}


def _send(registration, kind):
    event = registration.event
    context = {
        "registration": registration,
        "event": event,
        "kind": kind,
        **_sender(event),
        "event_url": page_url(event),
        "status_url": absolute_url(status_url(registration)),
        "cancel_url": absolute_url(cancel_url(registration)),
    }
    message = EmailMultiAlternatives(
        subject=SUBJECTS[kind].format(title=event.title),
        body=render_to_string("emails/registration.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.email],
    )
    message.attach_alternative(render_to_string("emails/registration.html", context), "text/html")
    if kind != "cancelled":
        message.attach(f"{event.slug}.ics", calendar_bytes([event], name=event.title), "text/calendar")
    message.send()


def _send_logged(registration, kind):
    try:
        _send(registration, kind)
    except Exception:
        logger.exception("Could not send the %s email for registration %s", kind, registration.pk)
        return False
    return True


def send_status_email(registration):
    """Email the person where their registration stands; True when the email went out."""
    sent = _send_logged(registration, situation(registration))
    if sent:
        # Only if the status is still the one just announced: a later change owes its own email.
        Registration.objects.filter(pk=registration.pk, status=registration.status).update(
            status_email_sent_at=timezone.now()
        )
    return sent


def send_reminder(registration, now=None):
    """Email a confirmed person before the event (明日, or 本日 for one that starts today); True when the
    email went out."""
    today = timezone.localdate(now or timezone.now())
    starts_today = timezone.localdate(registration.event.starts_at) == today
    return _send_logged(registration, "reminder_today" if starts_today else "reminder")
