"""Emails to people who registered: where their registration stands, and a reminder the day before.

Each email is plain text with an HTML alternative (home/mail.py), carries the event as an .ics file
while the person holds or awaits a seat, and gives their personal status and cancellation links. Emails are
queued (home/mail.py); until one has gone, the registration is marked as not emailed, and staff see it.

The address was never confirmed, so under the public forms' policy (home/mail_policy.py) the emails quote
only the person's name, bounded; the rest is the event's. One active registration per address and event
(the database's constraint) keeps a repeated form to one email.
"""

import logging

from django.utils import timezone

from home import mail_policy
from home.dates import local
from home.mail import Stamp, send_templated_email
from home.origin import absolute_url, page_url
from projects.ical import calendar_bytes
from projects.models import Registration, RegistrationStatus

from .meeting import meeting_url
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


def _send(registration, kind, mark_sent=None):
    event = registration.event
    # The online meeting's URL only for a confirmed seat, and not in the email that confirms a cancellation.
    meeting = meeting_url(registration) if kind != "cancelled" else ""
    context = {
        "registration": registration,
        "meeting_url": meeting,
        "name": mail_policy.quoted(registration.name),
        "event": event,
        "kind": kind,
        "event_url": page_url(event),
        "status_url": absolute_url(status_url(registration)),
        "cancel_url": absolute_url(cancel_url(registration)),
    }
    attachments = []
    if kind != "cancelled":
        attachments.append(
            (
                f"{event.slug}.ics",
                calendar_bytes([event], name=event.title, meeting_url=meeting),
                "text/calendar",
            )
        )
    return send_templated_email(
        "emails/registration",
        subject=SUBJECTS[kind].format(title=event.title),
        to=[registration.email],
        context=context,
        site=event.get_site(),
        attachments=attachments,
        logger=logger,
        failure=("Could not send the %s email for registration %s", kind, registration.pk),
        mark_sent=mark_sent,
        # After the event, neither a status email nor a reminder is of any use.
        expires_at=event.ends_at,
    )


def send_status_email(registration):
    """Queue the email telling the person where their registration stands; the outbox row (home/mail.py)."""
    # Marked only if the status is still the one just announced: a later change owes its own email.
    announced = Stamp(
        Registration, "status_email_sent_at", {"pk": registration.pk, "status": registration.status}
    )
    return _send(registration, situation(registration), mark_sent=announced)


def send_reminder(registration, now=None):
    """Queue the email to a confirmed person before the event (明日, or 本日 for one that starts today); the
    outbox row (home/mail.py)."""
    today = local(now or timezone.now()).date()
    starts_today = local(registration.event.starts_at).date() == today
    return _send(registration, "reminder_today" if starts_today else "reminder")
