"""`manage.py purge_registrations --older-than-days N [--dry-run]`: erase personal data of old registrations.

Meant for cron once a day. Registrations of events that ended more than N days ago lose their name,
kana, email, phone and note (anonymized); the rows stay, so the counts per event and status remain for
the statistics. Already anonymized rows are left alone, so running it again changes nothing.
"""

import argparse
from collections import Counter
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from projects.models import Registration, RegistrationStatus

ERASED_NAME = "(削除済み)"


def positive_days(value):
    try:
        days = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日数は1以上の整数で指定してください({value})。") from None
    if days < 1:
        raise argparse.ArgumentTypeError(f"日数は1以上の整数で指定してください({value})。")
    return days


def purgeable(now, days):
    return Registration.objects.filter(
        event__ends_at__lt=now - timedelta(days=days), anonymized_at__isnull=True
    )


class Command(BaseCommand):
    help = (
        "終了から指定の日数を過ぎたイベントの参加申込から、氏名・ふりがな・メールアドレス・電話番号・備考を"
        "消します(匿名化)。申込の件数と状態は残ります。毎日 cron で動かす想定です。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days",
            type=positive_days,
            required=True,
            metavar="N",
            help="イベントの終了から N 日を過ぎた申込を匿名化します(例: 180)。",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="変更せずに、匿名化する件数だけを示します。"
        )

    def handle(self, *args, older_than_days, dry_run=False, **options):
        now = timezone.now()
        with transaction.atomic():
            statuses = list(
                purgeable(now, older_than_days)
                .select_for_update(of=("self",))
                .values_list("status", flat=True)
            )
            by_status = Counter(statuses)
            if dry_run:
                self.stdout.write(
                    f"匿名化の対象(試行のみ): {len(statuses)} 件{self.breakdown(by_status)}。"
                    "何も変更していません。"
                )
                return
            # The same rows: locked above on PostgreSQL, and SQLite holds its write lock since BEGIN.
            count = purgeable(now, older_than_days).update(
                name=ERASED_NAME,
                name_kana="",
                email=Concat(Value("deleted-"), Cast("pk", CharField()), Value("@invalid.example")),
                phone="",
                note="",
                anonymized_at=now,
                updated_at=now,
            )
        self.stdout.write(
            f"終了から {older_than_days} 日を過ぎたイベントの参加申込 {count} 件の個人情報を匿名化しました"
            f"{self.breakdown(by_status)}。"
        )

    def breakdown(self, by_status):
        if not by_status:
            return ""
        parts = [
            f"{label} {by_status[value]} 件"
            for value, label in RegistrationStatus.choices
            if by_status[value]
        ]
        return f"({'・'.join(parts)})"
