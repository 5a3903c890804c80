"""`manage.py purge_applications --older-than-days N [--dry-run]`: erase contact data of old applications.

Meant for cron once a day, beside purge_registrations. Support applications decided (支援決定 or 見送り)
more than N days ago lose their contact person's name, email and phone (anonymized); the organization,
its challenge, the status and the dates stay, with the pages accepting created. Applications still being
triaged are never touched. Already anonymized rows are left alone, so running it again changes nothing.
"""

from datetime import timedelta

from projects.management.purge import ERASED_NAME, AnonymizeCommand, erased_email
from projects.models import ApplicationStatus, SupportApplication

DECIDED = (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED)


def purgeable(now, days):
    return SupportApplication.objects.filter(
        status__in=DECIDED, decided_at__lt=now - timedelta(days=days), anonymized_at__isnull=True
    )


class Command(AnonymizeCommand):
    help = (
        "支援決定・見送りから指定の日数を過ぎた支援申込から、担当者の氏名・メールアドレス・電話番号を"
        "消します(匿名化)。団体名、課題、状態と日付は残ります。毎日 cron で動かす想定です。"
    )
    days_help = "支援決定・見送りから N 日を過ぎた申込を匿名化します(例: 365)。"

    def purgeable(self, now, days):
        return purgeable(now, days)

    def erased(self, now):
        return {
            "contact_name": ERASED_NAME,
            "contact_email": erased_email(),
            "contact_phone": "",
            "submission_key": None,
            "anonymized_at": now,
            "updated_at": now,
        }

    def statuses(self):
        return [(value, ApplicationStatus(value).label) for value in DECIDED]

    def done(self, days, count):
        return f"決定から {days} 日を過ぎた支援申込 {count} 件の担当者の個人情報を匿名化しました"
