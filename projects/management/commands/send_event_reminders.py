"""`manage.py send_event_reminders [--dry-run]`: the day-before email to everyone confirmed, once.

Meant for cron every hour. Every confirmed registration of a published event that starts within the
next 24 hours (and has not started) gets one reminder. Each registration is claimed before its email is
queued by setting reminder_sent_at in one conditional UPDATE, so two runs at once never queue it twice;
the worker sends it (home/outbox/). Where tasks run at once and the first attempt fails, the email is
taken back from the outbox and the claim released, so the next run tries again.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from home.dates import format_iso_minutes
from home.mail import QUEUED, SENT, outcome
from home.outbox import withdraw
from projects.models import Registration, RegistrationStatus
from projects.registration import emails

REMINDER_WINDOW = timedelta(hours=24)


def due_reminders(now):
    return (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            reminder_sent_at__isnull=True,
            anonymized_at__isnull=True,
            event__live=True,
            event__starts_at__gt=now,
            event__starts_at__lte=now + REMINDER_WINDOW,
        )
        .select_related("event")
        .order_by("event__starts_at", "created_at", "pk")
    )


def claim(registration, now):
    """True when this run took the registration; False when another run already did, or it changed."""
    return bool(
        Registration.objects.filter(
            pk=registration.pk, reminder_sent_at__isnull=True, status=RegistrationStatus.CONFIRMED
        ).update(reminder_sent_at=now)
    )


def release(registration, now):
    Registration.objects.filter(pk=registration.pk, reminder_sent_at=now).update(reminder_sent_at=None)


class Command(BaseCommand):
    help = (
        "24時間以内に始まるイベントの参加確定者に、前日のお知らせメールを送ります(1人1回)。"
        "毎時 cron で動かす想定です。送れなかった分は次の回に送り直します。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="送らずに、送る予定の申込を一覧します。")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        due = list(due_reminders(now))
        if dry_run:
            for registration in due:
                self.stdout.write(f"送信予定: {self.describe(registration)}")
            self.stdout.write(f"前日のお知らせ(試行のみ): 送信予定 {len(due)} 件。メールは送っていません。")
            return

        sent = failed = 0
        for registration in due:
            if not claim(registration, now):
                continue
            queued = emails.send_reminder(registration)
            if outcome(queued) in (SENT, QUEUED):
                sent += 1
            elif queued is None or withdraw(queued):
                # Not sent and taken back from the outbox: the next run queues it afresh.
                release(registration, now)
                failed += 1
                self.stderr.write(f"送信できませんでした(次の回に再送します): {self.describe(registration)}")
        self.stdout.write(f"前日のお知らせ: 送信 {sent} 件、失敗 {failed} 件。")

    def describe(self, registration):
        event = registration.event
        return f"申込 #{registration.pk} {event.title}({format_iso_minutes(event.starts_at)})"
