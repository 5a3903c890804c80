"""`manage.py purge_applications --older-than-days N [--dry-run]`: erase contact data of old applications.

Meant for cron once a day, beside purge_registrations. Support applications decided (支援決定 or 見送り)
more than N days ago lose their contact person's name, email and phone (anonymized); the organization,
its challenge, the status and the dates stay, with the pages accepting created. Applications still being
triaged are never touched. Already anonymized rows are left alone, so running it again changes nothing.
"""

from collections import Counter
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from projects.models import ApplicationStatus, SupportApplication

from .purge_registrations import ERASED_NAME, positive_days

DECIDED = (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED)


def purgeable(now, days):
    return SupportApplication.objects.filter(
        status__in=DECIDED, decided_at__lt=now - timedelta(days=days), anonymized_at__isnull=True
    )


class Command(BaseCommand):
    help = (
        "支援決定・見送りから指定の日数を過ぎた支援申込から、担当者の氏名・メールアドレス・電話番号を"
        "消します(匿名化)。団体名、課題、状態と日付は残ります。毎日 cron で動かす想定です。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days",
            type=positive_days,
            required=True,
            metavar="N",
            help="支援決定・見送りから N 日を過ぎた申込を匿名化します(例: 365)。",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="変更せずに、匿名化する件数だけを示します。"
        )

    def handle(self, *args, older_than_days, dry_run=False, **options):
        now = timezone.now()
        with transaction.atomic():
            statuses = list(
                purgeable(now, older_than_days).select_for_update().values_list("status", flat=True)
            )
            by_status = Counter(statuses)
            if dry_run:
                self.stdout.write(
                    f"匿名化の対象(試行のみ): {len(statuses)} 件{self.breakdown(by_status)}。"
                    "何も変更していません。"
                )
                return
            count = purgeable(now, older_than_days).update(
                contact_name=ERASED_NAME,
                contact_email=Concat(Value("deleted-"), Cast("pk", CharField()), Value("@invalid.example")),
                contact_phone="",
                anonymized_at=now,
                updated_at=now,
            )
        self.stdout.write(
            f"決定から {older_than_days} 日を過ぎた支援申込 {count} 件の担当者の個人情報を匿名化しました"
            f"{self.breakdown(by_status)}。"
        )

    def breakdown(self, by_status):
        if not by_status:
            return ""
        parts = [
            f"{ApplicationStatus(value).label} {by_status[value]} 件" for value in DECIDED if by_status[value]
        ]
        return f"({'・'.join(parts)})"
