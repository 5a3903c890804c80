"""`manage.py purge_unconfirmed_workers [--older-than-days N] [--dry-run]`: delete sign-ups never confirmed.

A pro bono worker registration stays pending until its emailed link is opened; the link expires after
seven days (projects/talent/workers/tokens.py). Pending rows older than that hold a name and an address
that nobody confirmed, perhaps typed by someone else: they are deleted, not kept. Meant for cron once a day.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from projects.management.arguments import positive_days
from projects.models import Worker, WorkerStatus
from projects.talent.workers.tokens import CONFIRM, MAX_AGE


class Command(BaseCommand):
    help = (
        "確認リンクが開かれないまま指定の日数(既定はリンクの有効期限の7日)を過ぎたプロボノワーカー登録を"
        "削除します。毎日 cron で動かす想定です。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days",
            type=positive_days,
            default=MAX_AGE[CONFIRM].days,
            metavar="N",
            help=f"登録から N 日を過ぎた確認待ちの登録を削除します(既定: {MAX_AGE[CONFIRM].days})。",
        )
        parser.add_argument("--dry-run", action="store_true", help="削除せずに、件数だけを示します。")

    def handle(self, *args, older_than_days, dry_run=False, **options):
        cutoff = timezone.now() - timedelta(days=older_than_days)
        unconfirmed = Worker.objects.filter(status=WorkerStatus.PENDING, created_at__lt=cutoff)
        if dry_run:
            self.stdout.write(f"削除の対象(試行のみ): {unconfirmed.count()} 件。何も変更していません。")
            return
        deleted = unconfirmed.delete()[1].get("projects.Worker", 0)
        self.stdout.write(f"確認されなかったワーカー登録を {deleted} 件削除しました。")
