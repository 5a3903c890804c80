"""`manage.py purge_contact_submissions --older-than-days N [--dry-run]`: delete old お問い合わせ messages.

Meant for cron once a day. A message holds whatever the visitor wrote (name, address, the question), so
it is kept only as long as the office needs it to answer; unlike registrations there are no counts to keep,
so the row goes. Only submissions of the お問い合わせ pages are deleted, never other form pages'.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from home.models import ContactPage
from projects.management.arguments import positive_days


def purgeable(now, days):
    return FormSubmission.objects.filter(
        page__in=ContactPage.objects.values("pk"), submit_time__lt=now - timedelta(days=days)
    )


class Command(BaseCommand):
    help = (
        "受け付けてから指定の日数を過ぎたお問い合わせ(お問い合わせページの送信内容)を削除します。"
        "毎日 cron で動かす想定です。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days",
            type=positive_days,
            required=True,
            metavar="N",
            help="受け付けから N 日を過ぎたお問い合わせを削除します(例: 365)。",
        )
        parser.add_argument("--dry-run", action="store_true", help="変更せずに、削除する件数だけを示します。")

    def handle(self, *args, older_than_days, dry_run=False, **options):
        now = timezone.now()
        with transaction.atomic():
            if dry_run:
                count = purgeable(now, older_than_days).count()
                self.stdout.write(f"削除の対象(試行のみ): {count} 件。何も変更していません。")
                return
            count, _ = purgeable(now, older_than_days).delete()
        self.stdout.write(f"受け付けから {older_than_days} 日を過ぎたお問い合わせ {count} 件を削除しました。")
