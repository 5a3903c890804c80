"""The outbox (home/outbox/): emails leave through the task queue and its worker, never inside a
request; each is sent exactly once, retried with a growing delay, and visible to staff until it goes."""

import datetime
import socket
import threading
from contextlib import contextmanager

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from home.models import OutgoingEmail, OutgoingEmailStatus
from home.outbox import deliver, deliver_due, queue_message
from home.outbox.delivery import prune
from projects.models import Registration, RegistrationStatus
from tests.builders import PERSON, logged_in, make_user, upcoming_event
from tests.network import closed_port

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@contextmanager
def silent_mail_server():
    """A mail server that accepts connections and never says a word; counts the connections."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held, stop = [], threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], held
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


def run_worker():
    """The worker's batch run, in this process. Tests that call it are transactional: the worker closes a
    connection it finds inside a transaction, as any long-running process should."""
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def smtp_at(port, **settings):
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_TIMEOUT=1,
        **settings,
    )


@pytest.mark.django_db
def test_a_registration_never_talks_to_the_mail_server_in_the_request(tree):
    event = upcoming_event(tree)
    with silent_mail_server() as (port, connections), smtp_at(port), override_settings(TASKS=DATABASE_QUEUE):
        response = Client().post(event.url, PERSON)

        assert response.status_code == 302
        assert connections == []
        assert Registration.objects.get().status == RegistrationStatus.CONFIRMED
        (queued,) = OutgoingEmail.objects.all()
        assert queued.status == OutgoingEmailStatus.PENDING and queued.attempts == 0
        assert DBTaskResult.objects.filter(task_path="home.outbox.tasks.deliver_email").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_each_queued_email_once(tree, mailoutbox):
    event = upcoming_event(tree)
    with override_settings(TASKS=DATABASE_QUEUE):
        Client().post(event.url, PERSON)
        assert mailoutbox == []

        run_worker()
        run_worker()

    assert [message.subject for message in mailoutbox] == [
        f"【参加確定】{event.title} のお申込みを受け付けました"
    ]
    assert mailoutbox[0].to == ["hanako@example.jp"]
    assert [name for name, _, _ in mailoutbox[0].attachments] == [f"{event.slug}.ics"]
    assert Registration.objects.get().status_email_sent_at is not None
    sent = OutgoingEmail.objects.get()
    assert sent.status == OutgoingEmailStatus.SENT
    assert sent.message == {}  # the names and addresses are not kept once the email has gone


@pytest.mark.django_db
def test_a_failed_email_waits_longer_each_time_then_is_marked_failed(tree, mailoutbox, settings):
    settings.EMAIL_MAX_ATTEMPTS = 3
    event = upcoming_event(tree)
    with silent_mail_server() as (port, _), smtp_at(port):
        Client().post(event.url, PERSON)  # tasks run at once here: the first attempt times out
        row = OutgoingEmail.objects.get()
        assert (row.status, row.attempts) == (OutgoingEmailStatus.PENDING, 1)
        first_wait = row.next_attempt_at - timezone.now()

        assert deliver_due() == {"sent": 0, "waiting": 0}  # not due yet
        OutgoingEmail.objects.update(next_attempt_at=timezone.now())
        assert deliver_due() == {"sent": 0, "waiting": 1}
        row.refresh_from_db()
        assert row.next_attempt_at - timezone.now() > first_wait

        OutgoingEmail.objects.update(next_attempt_at=timezone.now())
        deliver_due()

    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutgoingEmailStatus.FAILED, 3)
    assert row.last_error and "@" not in row.last_error  # the kind of error, never its text
    assert mailoutbox == []
    assert Registration.objects.get().status_email_sent_at is None

    call_command("resend_pending_emails", verbosity=0)  # staff's way out once the server answers

    assert len(mailoutbox) == 1
    assert Registration.objects.get().status_email_sent_at is not None


@pytest.mark.django_db
def test_an_email_claimed_by_a_worker_that_died_is_sent_again_once(tree, mailoutbox, settings):
    settings.EMAIL_CLAIM_TIMEOUT = 60
    with override_settings(TASKS=DATABASE_QUEUE):
        row = queue_message(EmailMessage("件名", "本文", to=["a@example.jp"]), purpose="test")
    # A worker claimed it, then was killed before the mail server answered.
    OutgoingEmail.objects.filter(pk=row.pk).update(
        status=OutgoingEmailStatus.SENDING,
        attempts=1,
        claimed_at=timezone.now() - datetime.timedelta(seconds=30),
    )
    assert deliver_due() == {"sent": 0, "waiting": 0}  # it may still be sending

    OutgoingEmail.objects.filter(pk=row.pk).update(claimed_at=timezone.now() - datetime.timedelta(seconds=61))
    assert deliver_due() == {"sent": 1, "waiting": 0}
    assert deliver_due() == {"sent": 0, "waiting": 0}
    assert deliver(row.pk) == "skipped"
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_email_past_its_use_is_dropped_unsent(mailoutbox):
    with override_settings(TASKS=DATABASE_QUEUE):
        row = queue_message(
            EmailMessage("件名", "本文", to=["a@example.jp"]),
            purpose="test",
            expires_at=timezone.now() - datetime.timedelta(minutes=1),
        )
        run_worker()

    row.refresh_from_db()
    assert (row.status, row.message) == (OutgoingEmailStatus.EXPIRED, {})
    assert mailoutbox == []


@pytest.mark.django_db
def test_records_of_sent_emails_are_forgotten_after_the_keeping_period(mailoutbox, settings):
    settings.EMAIL_OUTBOX_KEEP_DAYS = 30
    old = queue_message(EmailMessage("古い", "本文", to=["a@example.jp"]), purpose="test")
    recent = queue_message(EmailMessage("新しい", "本文", to=["a@example.jp"]), purpose="test")
    OutgoingEmail.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))

    assert prune() == 1
    assert list(OutgoingEmail.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_wagtails_own_emails_go_through_the_outbox(mailoutbox):
    with override_settings(
        EMAIL_BACKEND="home.outbox.backend.QueueingEmailBackend",
        EMAIL_DELIVERY_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        TASKS=DATABASE_QUEUE,
    ):
        mail.send_mail("承認のお願い", "本文", None, ["editor@example.jp"])
        assert mailoutbox == []
        assert OutgoingEmail.objects.get().purpose == "django"

        run_worker()

    assert [message.subject for message in mailoutbox] == ["承認のお願い"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_office_sees_the_outbox_and_retries_the_failed_emails_without_sending_in_the_request(
    mailoutbox, settings
):
    settings.EMAIL_MAX_ATTEMPTS = 1
    with smtp_at(closed_port()):
        row = queue_message(EmailMessage("【参加確定】説明会", "本文", to=["a@example.jp"]), purpose="test")
    row.refresh_from_db()
    assert row.status == OutgoingEmailStatus.FAILED

    office = logged_in(make_user("jimu", "事務局"))
    listing = office.get("/admin/outbox/?status=failed")
    assert listing.status_code == 200
    assert "【参加確定】説明会" in listing.content.decode()
    assert "送信失敗" in listing.content.decode()
    assert office.get("/admin/outbox/retry/").status_code == 200

    with override_settings(TASKS=DATABASE_QUEUE):
        retried = office.post("/admin/outbox/retry/", follow=True)
        assert "1件のメールを送信待ちに戻しました" in retried.content.decode()
        assert mailoutbox == []  # the worker sends it, not the request
        run_worker()

    assert [message.subject for message in mailoutbox] == ["【参加確定】説明会"]


@pytest.mark.django_db
def test_editors_do_not_see_the_outbox():
    editor = logged_in(make_user("henshu", "編集者"))
    assert editor.get("/admin/outbox/").status_code in (302, 403)
    assert editor.get("/admin/outbox/retry/").status_code in (302, 403)
