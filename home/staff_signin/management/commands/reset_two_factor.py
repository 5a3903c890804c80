"""`manage.py reset_two_factor USERNAME`: deletes a person's authenticator and recovery codes, for an
administrator who cannot reach the admin (the admin has the same reset under 設定 → 二段階認証の状況)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from home.staff_signin.devices import remove_second_factor


class Command(BaseCommand):
    help = (
        "指定したユーザーの二段階認証(認証アプリと回復コード)を削除します。次のサインインで設定し直します。"
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="ユーザー名")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"ユーザー「{username}」は見つかりません。")
        if remove_second_factor(user):
            self.stdout.write(self.style.SUCCESS(f"{username} の二段階認証をリセットしました。"))
        else:
            self.stdout.write(f"{username} は二段階認証を設定していません。")
