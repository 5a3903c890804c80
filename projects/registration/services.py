"""Seats and the waitlist: every change to an event's registrations happens here, one event at a time.

Each change runs in a transaction that first locks the event's row (SELECT … FOR UPDATE on PostgreSQL;
SQLite takes its write lock when the transaction begins, see cms/settings/base.py), so concurrent
registrations and cancellations of one event are counted one after another and never overbook it.
The database's unique constraint keeps one active registration per email and event even so.
Emails are sent only after the transaction has committed: a failed email never undoes a registration.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from projects.models import EventPage, Registration, RegistrationState, RegistrationStatus

from . import emails

logger = logging.getLogger(__name__)


class RegistrationRefused(Exception):
    """A registration that cannot be taken; `message` says why, in Japanese, for the person."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


REFUSALS = {
    RegistrationState.NOT_TAKEN: "このイベントは、このページからの申込を受け付けていません。",
    RegistrationState.NOT_YET_OPEN: "申込の受付はまだ始まっていません。",
    RegistrationState.CLOSED: "申込の受付は終了しました。",
    RegistrationState.FULL: "申し訳ありません。定員に達したため、申込を締め切りました(満席)。",
}


class AlreadyReceived(RegistrationRefused):
    """The same registration sent again within the duplicate window (a double click, a reload): nothing
    changes and nobody is emailed again. The page says it was received, without the personal links."""

    def __init__(self):
        super().__init__(RECEIVED)


RECEIVED = "このお申込みは受け付け済みです。申込完了のメールをご確認ください。"
ALREADY_REGISTERED = (
    "このメールアドレスでは、すでにこのイベントに申し込まれています。"
    "申込完了のメールをご確認ください。メールが見つからない場合は、センターまでお問い合わせください。"
)


def _locked(event):
    """The event, re-read with its row locked until the end of the transaction."""
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)


def register(event, details, now=None):
    """Register a person for an event: confirmed while seats remain, else waitlisted, else refused.

    `details` holds the form's cleaned name, name_kana, email, phone and note.
    Raises RegistrationRefused with the reason.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(event)
        state = event.registration_state(now)
        if not state.accepts_registrations:
            raise RegistrationRefused(REFUSALS[state])
        waitlisted = state is RegistrationState.WAITLIST
        status = RegistrationStatus.WAITLISTED if waitlisted else RegistrationStatus.CONFIRMED
        active = event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        _refuse_a_second(active, details, now)
        try:
            with transaction.atomic():
                registration = Registration.objects.create(event=event, status=status, **details)
        except IntegrityError as error:
            # The constraint caught what the check above could not see (another transaction's row).
            _refuse_a_second(active, details, now)
            raise RegistrationRefused(ALREADY_REGISTERED) from error
    emails.send_status_email(registration)
    return registration


def _refuse_a_second(active, details, now):
    """Refuse a second active registration of one address for one event: AlreadyReceived when it is the
    same submission again within the duplicate window, else RegistrationRefused."""
    existing = active.filter(email__iexact=details["email"]).first()
    if existing is None:
        return
    window = timedelta(seconds=settings.PUBLIC_FORM_DUPLICATE_WINDOW)
    same = all(getattr(existing, name) == value for name, value in details.items() if name != "email")
    if same and existing.created_at >= now - window:
        raise AlreadyReceived()
    raise RegistrationRefused(ALREADY_REGISTERED)


def cancel(registration, now=None):
    """Cancel a registration; a seat it held goes to the oldest waitlisted person, who is emailed.

    Returns False when it was already cancelled.
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = _locked(registration.event)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED:
            return False
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = now
        current.status_email_sent_at = None
        current.save(update_fields=["status", "cancelled_at", "status_email_sent_at", "updated_at"])
        promoted = fill_free_seats(event, now)
    # Kept on the registration for the caller to say what became of them (home.mail.outcome).
    registration.queued_emails = [emails.send_status_email(person) for person in [current, *promoted]]
    registration.refresh_from_db()
    return True


def fill_free_seats(event, now=None):
    """Confirm the oldest waitlisted people while seats are free; the caller holds the event's lock.

    Returns the promoted registrations, for the caller to email after commit. Nobody is promoted once
    the event has started.
    """
    now = now or timezone.now()
    if now >= event.starts_at:
        return []
    free = event.seats_left()
    waiting = (
        event.registrations.filter(status=RegistrationStatus.WAITLISTED)
        .order_by("created_at", "pk")
        .select_for_update()
    )
    promoted = list(waiting if free is None else waiting[:free])
    for person in promoted:
        _confirm(person, now)
    return promoted


def confirm_from_waitlist(registration, now=None):
    """Staff confirm a waitlisted person, even beyond capacity (they may have added a chair).

    Returns False when the registration was not waitlisted.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _locked(registration.event)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status != RegistrationStatus.WAITLISTED:
            return False
        _confirm(current, now)
    registration.queued_emails = [emails.send_status_email(current)]
    registration.refresh_from_db()
    return True


def promote_after_capacity_change(event):
    """After editors publish an event (perhaps with more seats), give free seats to the waitlist."""
    with transaction.atomic():
        promoted = fill_free_seats(_locked(event))
    for person in promoted:
        emails.send_status_email(person)
    return promoted


def _confirm(registration, now):
    registration.status = RegistrationStatus.CONFIRMED
    registration.promoted_at = now
    registration.status_email_sent_at = None
    registration.save(update_fields=["status", "promoted_at", "status_email_sent_at", "updated_at"])
