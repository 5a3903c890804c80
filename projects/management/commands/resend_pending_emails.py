"""`manage.py resend_pending_emails [--dry-run] [--limit N]`: send now what the mail server refused.

For after an outage, or for cron where no worker runs (docs/operations.md). First every email still in the
outbox (home/outbox/) is sent now, those waiting out their retry delay and those marked failed included.
Then a registration whose status email is not in the outbox at all and was never sent (a registration
saved by an older version, or whose email could not be made) gets the email for where it stands now, as
staff's 「お知らせを再送」 does. Registrations whose personal data was erased, or whose event has ended,
are skipped and counted.

Every outbox email is claimed before it is sent, so runs, workers and staff never send one twice.

Each registration is taken in a transaction of its own with its row locked (`SELECT … FOR UPDATE SKIP
LOCKED` on PostgreSQL; SQLite lets one writer in at a time), and checked again inside it, so two runs at
once, or a run and a staff member's resend, never send one email twice. The exit code is 1 when any
email failed, so that cron reports it; those are tried again by the next run.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from home.dates import format_iso_minutes
from home.mail import SENT, outcome
from home.outbox import deliver, retry_failed, unsent
from projects.management.arguments import positive_integer
from projects.models import Registration
from projects.registration import emails


def pending():
    return Registration.objects.filter(status_email_sent_at__isnull=True)


def in_outbox(now):
    """Registrations whose status email waits in the outbox: sending that one is the outbox's part."""
    return (
        unsent(now).filter(stamp__model=Registration._meta.label).values_list("stamp__filter__pk", flat=True)
    )


def due(now):
    """Pending registrations that may still be emailed and are not in the outbox, oldest first."""
    return (
        pending()
        .filter(anonymized_at__isnull=True, event__ends_at__gte=now)
        .exclude(pk__in=list(in_outbox(now)))
        .order_by("created_at", "pk")
    )


def take(pk, now):
    """The registration, locked until the transaction ends, if it is still due and no other run holds it."""
    return (
        due(now)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("event")
        .filter(pk=pk)
        .first()
    )


class Command(BaseCommand):
    help = (
        "送れていない申込・繰り上げ・キャンセルのお知らせメールを送ります。"
        "10分ごとに cron で動かす想定です。送れなかった分があれば終了コード1で終わり、次の回に送り直します。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="送らずに、件数だけを表示します。")
        parser.add_argument("--limit", type=positive_integer("件数"), help="1回に送る最大件数。")

    def handle(self, *args, dry_run=False, limit=None, **options):
        now = timezone.now()
        skipped = self.skipped(now)
        if dry_run:
            waiting = unsent(now).count() + due(now).count()
            if limit is not None:
                waiting = min(waiting, limit)
            self.stdout.write(
                f"未送信のお知らせメール(試行のみ): 送信予定 {waiting} 件。{skipped}メールは送っていません。"
            )
            return

        counts = retry_failed(now, limit=limit)
        sent, failed = counts["sent"], counts["waiting"]
        if failed:
            self.stderr.write(f"送信できませんでした(次の回に再送します): 送信待ちのメール {failed} 件")
        ids = list(due(now).values_list("pk", flat=True))
        if limit is not None:
            ids = ids[: max(limit - sent - failed, 0)]
        for pk in ids:
            with transaction.atomic():
                registration = take(pk, now)
                if registration is None:
                    continue  # sent meanwhile, erased, or being sent by another run
                queued = emails.send_status_email(registration)
                if queued is not None:
                    deliver(queued.pk)  # here and now, unless a worker was quicker
                if outcome(queued) == SENT:
                    sent += 1
                else:
                    failed += 1
                    self.stderr.write(
                        f"送信できませんでした(次の回に再送します): {self.describe(registration)}"
                    )
        self.stdout.write(f"未送信のお知らせメール: 送信 {sent} 件、失敗 {failed} 件。{skipped}")
        if failed:
            raise CommandError(f"{failed} 件のお知らせメールを送れませんでした。", returncode=1)

    def skipped(self, now):
        anonymized = pending().filter(anonymized_at__isnull=False).count()
        ended = pending().filter(anonymized_at__isnull=True, event__ends_at__lt=now).count()
        return f"対象外: 終了したイベント {ended} 件、個人情報を削除済み {anonymized} 件。"

    def describe(self, registration):
        event = registration.event
        return f"申込 #{registration.pk} {event.title}({format_iso_minutes(event.starts_at)})"
