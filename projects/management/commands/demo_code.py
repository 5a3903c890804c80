"""`manage.py demo_code`: the current two-factor code of the demo accounts, for a developer without an
authenticator app at hand. The demo key is public; it exists only in databases load_demo built."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from projects.demo.accounts import DEMO_TOTP_KEY, demo_code


class Command(BaseCommand):
    help = "デモ用アカウント(管理者・承認者・事務局)の今の確認コードを表示します(開発・テスト環境のみ)。"

    def handle(self, *args, **options):
        if not settings.DEMO_CONTENT_ALLOWED:
            raise CommandError(
                "この環境ではデモ用の確認コードを表示できません(DEMO_CONTENT_ALLOWED が無効です)。"
            )
        self.stdout.write(f"確認コード: {demo_code()}(30秒ごとに変わります。デモ用キー: {DEMO_TOTP_KEY})")
