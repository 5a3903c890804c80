"""`manage.py resend_pending_emails`: the status emails that failed while the mail server was down are
sent by the next run, once, and a run that still cannot send says so with its exit code."""

import datetime
import socket
from concurrent.futures import ThreadPoolExecutor
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection
from django.test import Client, override_settings
from django.utils import timezone

from projects.models import Registration, RegistrationStatus
from tests.builders import PERSON, build_catalog_tree, make_event, upcoming_event


def closed_port():
    """A local port nobody listens on: bound once by the system, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_down():
    """The real SMTP backend pointed at a closed port: every send is a real connection refusal."""
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=closed_port(),
        EMAIL_TIMEOUT=2,
    )


def resend(*args):
    out, err = StringIO(), StringIO()
    call_command("resend_pending_emails", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def unsent(event, email, **fields):
    """A registration whose status email never went out."""
    return Registration.objects.create(event=event, name="山田 花子", email=email, **fields)


@pytest.mark.django_db
def test_a_registration_made_while_smtp_is_down_is_emailed_by_the_next_run_once(tree, mailoutbox):
    event = upcoming_event(tree)
    with smtp_down():
        response = Client().post(event.url, PERSON)

    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.status_email_sent_at is None
    assert mailoutbox == []

    out, err = resend()

    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == f"【参加確定】{event.title} のお申込みを受け付けました"
    assert mailoutbox[0].to == ["hanako@example.jp"]
    registration.refresh_from_db()
    assert registration.status_email_sent_at is not None
    assert "送信 1 件、失敗 0 件" in out and err == ""

    out, _ = resend()

    assert len(mailoutbox) == 1
    assert "送信 0 件、失敗 0 件" in out


@pytest.mark.django_db
def test_each_pending_registration_gets_the_email_for_where_it_stands_now(tree, mailoutbox):
    event = upcoming_event(tree)
    unsent(event, "waiting@example.jp", status=RegistrationStatus.WAITLISTED)
    unsent(event, "gone@example.jp", status=RegistrationStatus.CANCELLED, cancelled_at=timezone.now())
    unsent(event, "sent@example.jp", status_email_sent_at=timezone.now())

    resend()

    subjects = {message.to[0]: message.subject.split("】")[0] + "】" for message in mailoutbox}
    assert subjects == {"waiting@example.jp": "【キャンセル待ち】", "gone@example.jp": "【キャンセル完了】"}


@pytest.mark.django_db
def test_dry_run_counts_and_sends_nothing(tree, mailoutbox):
    event = upcoming_event(tree)
    unsent(event, "one@example.jp")
    unsent(event, "two@example.jp")

    out, _ = resend("--dry-run")

    assert "送信予定 2 件" in out and "メールは送っていません" in out
    assert mailoutbox == []
    assert Registration.objects.filter(status_email_sent_at__isnull=True).count() == 2


@pytest.mark.django_db
def test_limit_sends_the_oldest_first_and_leaves_the_rest_for_the_next_run(tree, mailoutbox):
    event = upcoming_event(tree)
    for email in ("one@example.jp", "two@example.jp", "three@example.jp"):
        unsent(event, email)

    out, _ = resend("--limit", "2")

    assert [message.to[0] for message in mailoutbox] == ["one@example.jp", "two@example.jp"]
    assert "送信 2 件" in out
    assert list(
        Registration.objects.filter(status_email_sent_at__isnull=True).values_list("email", flat=True)
    ) == ["three@example.jp"]


@pytest.mark.django_db
@pytest.mark.parametrize("limit", ["0", "-1", "many"])
def test_limit_must_be_a_positive_whole_number(limit):
    with pytest.raises(CommandError, match="件数は1以上の整数"):
        resend("--limit", limit)


@pytest.mark.django_db
def test_ended_events_and_erased_registrations_are_skipped_and_said_so(tree, mailoutbox):
    past = make_event(
        tree.events,
        slug="briefing-past",
        starts_at=timezone.now() - datetime.timedelta(days=3),
        registration_enabled=True,
    )
    unsent(past, "late@example.jp")
    event = upcoming_event(tree)
    unsent(event, "deleted-1@invalid.example", anonymized_at=timezone.now())

    out, _ = resend()
    dry, _ = resend("--dry-run")

    assert mailoutbox == []
    assert "送信 0 件、失敗 0 件" in out
    assert "終了したイベント 1 件" in out and "個人情報を削除済み 1 件" in out
    assert "送信予定 0 件" in dry and "終了したイベント 1 件" in dry
    assert Registration.objects.filter(status_email_sent_at__isnull=True).count() == 2


@pytest.mark.django_db
def test_a_run_that_cannot_send_exits_non_zero_and_the_next_run_sends(tree, mailoutbox):
    event = upcoming_event(tree)
    registration = unsent(event, "hanako@example.jp")
    out, err = StringIO(), StringIO()

    with smtp_down(), pytest.raises(CommandError) as failure:
        call_command("resend_pending_emails", stdout=out, stderr=err)

    assert failure.value.returncode == 1
    assert "1 件のお知らせメールを送れませんでした" in str(failure.value)
    assert "送信 0 件、失敗 1 件" in out.getvalue()
    assert f"申込 #{registration.pk} {event.title}" in err.getvalue()
    assert "hanako" not in err.getvalue()
    registration.refresh_from_db()
    assert registration.status_email_sent_at is None

    resend()

    assert [message.to for message in mailoutbox] == [["hanako@example.jp"]]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_runs_at_the_same_time_send_each_email_once():
    """In parallel threads with their own connections on PostgreSQL, where the row locks keep two runs
    apart; SQLite lets one writer in at a time, so there the runs follow one another."""
    event = upcoming_event(build_catalog_tree(), capacity=None)
    for number in range(30):
        unsent(event, f"person{number}@example.jp")
    mail.outbox = []

    def run(_):
        try:
            return resend()[0]
        finally:
            close_old_connections()
            connection.close()

    workers = 4 if connection.vendor == "postgresql" else 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outputs = list(pool.map(run, range(4)))

    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(f"person{number}@example.jp" for number in range(30))
    assert sum(int(output.split("送信 ")[1].split(" 件")[0]) for output in outputs) == 30
    assert not Registration.objects.filter(status_email_sent_at__isnull=True).exists()
