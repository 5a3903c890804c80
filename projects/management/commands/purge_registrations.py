"""`manage.py purge_registrations --older-than-days N [--dry-run]`: erase personal data of old registrations.

Meant for cron once a day. Registrations of events that ended more than N days ago lose their name,
kana, email, phone and note (anonymized); the rows stay, so the counts per event and status remain for
the statistics. Already anonymized rows are left alone, so running it again changes nothing.
"""

from datetime import timedelta

from projects.management.purge import ERASED_NAME, AnonymizeCommand, erased_email
from projects.models import Registration, RegistrationStatus


def purgeable(now, days):
    return Registration.objects.filter(
        event__ends_at__lt=now - timedelta(days=days), anonymized_at__isnull=True
    )


class Command(AnonymizeCommand):
    help = (
        "終了から指定の日数を過ぎたイベントの参加申込から、氏名・ふりがな・メールアドレス・電話番号・備考を"
        "消します(匿名化)。申込の件数と状態は残ります。毎日 cron で動かす想定です。"
    )
    days_help = "イベントの終了から N 日を過ぎた申込を匿名化します(例: 180)。"
    lock_of = ("self",)

    def purgeable(self, now, days):
        return purgeable(now, days)

    def erased(self, now):
        return {
            "name": ERASED_NAME,
            "name_kana": "",
            "email": erased_email(),
            "phone": "",
            "note": "",
            "anonymized_at": now,
            "updated_at": now,
        }

    def statuses(self):
        return RegistrationStatus.choices

    def done(self, days, count):
        return f"終了から {days} 日を過ぎたイベントの参加申込 {count} 件の個人情報を匿名化しました"
