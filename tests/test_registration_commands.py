"""The cron commands: send_event_reminders (hourly) and purge_registrations (daily)."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from projects.management.commands.send_event_reminders import claim
from projects.models import Registration, RegistrationStatus
from tests.builders import make_event

pytestmark = pytest.mark.django_db

FAILING_SMTP = override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=9
)


def from_now(**delta):
    return timezone.now().replace(microsecond=0) + datetime.timedelta(**delta)


def register(event, name, email, status=RegistrationStatus.CONFIRMED, **fields):
    return Registration.objects.create(event=event, name=name, email=email, status=status, **fields)


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


# Reminders


@pytest.fixture
def reminder_events(tree):
    def event(slug, **starts):
        return make_event(tree.events, slug=slug, title=f"イベント {slug}", starts_at=from_now(**starts))

    return {
        "soon": event("soon", hours=3),
        "tomorrow": event("tomorrow", hours=23, minutes=30),
        "later": event("later", hours=25),
        "started": event("started", minutes=-30),
    }


@pytest.fixture
def reminder_people(reminder_events):
    soon, tomorrow = reminder_events["soon"], reminder_events["tomorrow"]
    return {
        "confirmed_soon": register(soon, "確定A", "a@example.com"),
        "waitlisted_soon": register(soon, "待ちB", "b@example.com", status=RegistrationStatus.WAITLISTED),
        "cancelled_soon": register(soon, "取消C", "c@example.com", status=RegistrationStatus.CANCELLED),
        "confirmed_tomorrow": register(tomorrow, "確定D", "d@example.com"),
        "confirmed_later": register(reminder_events["later"], "確定E", "e@example.com"),
        "confirmed_started": register(reminder_events["started"], "確定F", "f@example.com"),
    }


def test_reminders_go_to_confirmed_people_of_events_starting_within_a_day(reminder_people, mailoutbox):
    output = run("send_event_reminders")
    assert "送信 2 件、失敗 0 件" in output
    assert sorted(message.to[0] for message in mailoutbox) == ["a@example.com", "d@example.com"]
    # 明日 for an event tomorrow, 本日 for one later today (Tokyo dates).
    today = timezone.localdate()
    for message in mailoutbox:
        event = Registration.objects.get(email=message.to[0]).event
        word = "本日" if timezone.localdate(event.starts_at) == today else "明日"
        assert message.subject == f"【{word}開催】{event.title} のご案内"
        assert f"{word}は「{event.title}」の開催日です。" in message.body
    reminded = set(
        Registration.objects.filter(reminder_sent_at__isnull=False).values_list("email", flat=True)
    )
    assert reminded == {"a@example.com", "d@example.com"}


def test_a_second_run_sends_nothing(reminder_people, mailoutbox):
    run("send_event_reminders")
    mailoutbox.clear()
    output = run("send_event_reminders")
    assert "送信 0 件、失敗 0 件" in output
    assert mailoutbox == []


def test_a_failed_reminder_is_sent_by_the_next_run(reminder_people, mailoutbox):
    with FAILING_SMTP:
        output = run("send_event_reminders")
    assert "送信 0 件、失敗 2 件" in output
    assert not Registration.objects.filter(reminder_sent_at__isnull=False).exists()

    output = run("send_event_reminders")
    assert "送信 2 件、失敗 0 件" in output
    assert sorted(message.to[0] for message in mailoutbox) == ["a@example.com", "d@example.com"]


def test_dry_run_lists_and_sends_nothing(reminder_people, mailoutbox):
    output = run("send_event_reminders", "--dry-run")
    assert output.count("送信予定:") == 2
    assert f"申込 #{reminder_people['confirmed_soon'].pk} イベント soon" in output
    assert mailoutbox == []
    assert not Registration.objects.filter(reminder_sent_at__isnull=False).exists()


def test_a_registration_claimed_by_another_run_is_not_sent_again(reminder_people, mailoutbox):
    now = timezone.now()
    assert claim(reminder_people["confirmed_soon"], now)
    assert not claim(reminder_people["confirmed_soon"], now)  # a run at the same time finds it taken
    output = run("send_event_reminders")
    assert "送信 1 件" in output
    assert [message.to[0] for message in mailoutbox] == ["d@example.com"]


def test_unpublished_events_get_no_reminders(reminder_events, reminder_people, mailoutbox):
    reminder_events["soon"].unpublish()
    run("send_event_reminders")
    assert [message.to[0] for message in mailoutbox] == ["d@example.com"]


def test_someone_promoted_after_a_run_is_reminded_by_the_next(reminder_people, mailoutbox):
    run("send_event_reminders")
    mailoutbox.clear()
    Registration.objects.filter(pk=reminder_people["waitlisted_soon"].pk).update(
        status=RegistrationStatus.CONFIRMED, promoted_at=timezone.now()
    )
    run("send_event_reminders")
    assert [message.to[0] for message in mailoutbox] == ["b@example.com"]


# Purge


@pytest.fixture
def purge_events(tree):
    def event(slug, days_ago):
        start = from_now(days=-days_ago, hours=-2)
        return make_event(
            tree.events, slug=slug, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
        )

    return {"old": event("old", 200), "recent": event("recent", 100), "edge": event("edge", 179)}


@pytest.fixture
def purge_people(purge_events):
    old, recent = purge_events["old"], purge_events["recent"]
    details = {"name_kana": "かな", "phone": "090-0000-0000", "note": "アレルギーあり"}
    return {
        "old_confirmed": register(old, "古い確定", "one@example.com", **details),
        "old_confirmed_2": register(old, "古い確定2", "two@example.com", **details),
        "old_cancelled": register(
            old, "古い取消", "three@example.com", RegistrationStatus.CANCELLED, **details
        ),
        "old_waitlisted": register(
            old, "古い待ち", "four@example.com", RegistrationStatus.WAITLISTED, **details
        ),
        "recent": register(recent, "最近", "five@example.com", **details),
        "edge": register(purge_events["edge"], "境目", "six@example.com", **details),
    }


def status_counts(event):
    return {status: event.registrations.filter(status=status).count() for status in RegistrationStatus.values}


def test_purge_anonymizes_registrations_of_events_ended_long_ago(purge_events, purge_people):
    counts_before = status_counts(purge_events["old"])
    output = run("purge_registrations", "--older-than-days", "180")
    assert "4 件の個人情報を匿名化しました" in output

    for key in ["old_confirmed", "old_confirmed_2", "old_cancelled", "old_waitlisted"]:
        registration = Registration.objects.get(pk=purge_people[key].pk)
        assert registration.name == "(削除済み)"
        assert (registration.name_kana, registration.phone, registration.note) == ("", "", "")
        assert registration.email == f"deleted-{registration.pk}@invalid.example"
        assert registration.anonymized_at is not None
    assert (
        status_counts(purge_events["old"])
        == counts_before
        == {"confirmed": 2, "waitlisted": 1, "cancelled": 1}
    )

    for key in ["recent", "edge"]:
        registration = Registration.objects.get(pk=purge_people[key].pk)
        assert registration.name == purge_people[key].name
        assert registration.email == purge_people[key].email
        assert registration.note == "アレルギーあり"
        assert registration.anonymized_at is None


def test_purge_is_idempotent(purge_people):
    run("purge_registrations", "--older-than-days", "180")
    first = {row.pk: row.anonymized_at for row in Registration.objects.filter(anonymized_at__isnull=False)}
    output = run("purge_registrations", "--older-than-days=180")
    assert " 0 件の個人情報を匿名化しました" in output
    again = {row.pk: row.anonymized_at for row in Registration.objects.filter(anonymized_at__isnull=False)}
    assert again == first


def test_purge_with_fewer_days_reaches_more_events(purge_people):
    run("purge_registrations", "--older-than-days", "90")
    assert Registration.objects.filter(anonymized_at__isnull=False).count() == 6


def test_purge_dry_run_changes_nothing(purge_people):
    output = run("purge_registrations", "--older-than-days", "180", "--dry-run")
    assert "4 件" in output
    assert not Registration.objects.filter(anonymized_at__isnull=False).exists()
    assert Registration.objects.filter(name="古い確定").exists()


@pytest.mark.parametrize(
    "args", [[], ["--older-than-days", "-5"], ["--older-than-days", "abc"], ["--older-than-days", "0"]]
)
def test_purge_needs_a_positive_number_of_days(args, purge_people):
    with pytest.raises(CommandError):
        call_command("purge_registrations", *args, stdout=io.StringIO(), stderr=io.StringIO())
    assert not Registration.objects.filter(anonymized_at__isnull=False).exists()
