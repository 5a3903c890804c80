"""`manage.py load_demo`: builds the demo site (catalog, the center's pages, a login) in a dev or test DB."""

import argparse
import re
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from projects.catalog.errors import CatalogError
from projects.catalog.importer import import_catalog
from projects.demo import (
    accessibility,
    accounts,
    catalog,
    center,
    contact,
    generator,
    opendata,
    organizer,
    site,
)
from projects.models import ProjectPage
from projects.opendata.generation import generate_open_data


def _port(value):
    """A port number from the command line; bad ones get the same Japanese message as out-of-range ones."""
    value = value.strip()
    if not re.fullmatch(r"-?[0-9]{1,5}", value, re.ASCII):
        raise argparse.ArgumentTypeError("ポート番号には1から65535までの数を指定してください(例: 8000)。")
    return int(value)


class Command(BaseCommand):
    help = (
        "デモ用のカタログ、センターのページ、役割ごとのログインを作成します。何度実行しても重複しません。"
        "DEMO_CONTENT_ALLOWED が有効な環境(開発・テスト)でのみ実行できます。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="プロジェクトが1件でもあれば何もしません(make run が起動のたびに使います)。",
        )
        parser.add_argument(
            "--projects",
            type=int,
            default=0,
            metavar="N",
            help="ベンチマーク用に、決まった乱数で生成したプロジェクトをN件追加します。",
        )
        parser.add_argument(
            "--hostname",
            metavar="HOST",
            help="サイトのホスト名をこの名前にします(make run が配信するアドレス。例: 127.0.0.1)。"
            "--if-empty で読み込みを省くときも変えます。",
        )
        parser.add_argument(
            "--port",
            type=_port,
            metavar="PORT",
            help="サイトのポート番号をこの番号にします(例: 8000)。"
            "--if-empty で読み込みを省くときも変えます。",
        )

    def handle(self, *args, if_empty=False, projects=0, hostname=None, port=None, **options):
        if not settings.DEMO_CONTENT_ALLOWED:
            raise CommandError(
                "この環境ではデモデータを作成できません(DEMO_CONTENT_ALLOWED が無効です)。"
                "開発用の設定(cms.settings.dev)で実行してください。"
            )
        if projects < 0:
            raise CommandError("--projects には0以上の数を指定してください。")
        if hostname is not None or port is not None:
            try:
                with transaction.atomic():
                    address = site.set_site_address(hostname, port)
            except site.SiteAddressError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(f"サイトのアドレス: {address}/")
        if if_empty and ProjectPage.objects.exists():
            self.stdout.write("プロジェクトが既にあるため、デモデータは読み込みませんでした。")
            self.write_login_hint()
            return

        started = time.monotonic()
        today = timezone.localdate()
        try:
            with transaction.atomic():
                site_data = site.load_site_data()
                site.build_sections(site_data)
                report = catalog.import_demo_catalog(today)
                registrations = catalog.add_demo_registrations()
                organizer.mark_organizer()
                pages = site.build_site(site_data, today)
                # Before the center's settings, whose footer menu may link to the policy page.
                accessibility.build_accessibility(Site.objects.get(is_default_site=True))
                opendata.build_open_data_page(Site.objects.get(is_default_site=True))
                settings_changed = center.build_center_settings(Site.objects.get(is_default_site=True))
                settings_changed = (
                    contact.build_contact(Site.objects.get(is_default_site=True)) or settings_changed
                )
                generated = import_catalog(generator.generate_catalog(projects)) if projects else None
                accounts_created = accounts.ensure_demo_accounts()
        except CatalogError as error:
            raise CommandError("デモカタログを取り込めませんでした。\n" + "\n".join(error.errors)) from error

        # The worker would make them after the commit; the demo has them at once.
        open_data = generate_open_data()
        self.stdout.write(
            self.style.SUCCESS(f"デモデータを読み込みました({time.monotonic() - started:.1f}秒)。")
        )
        self.stdout.write(f"  カタログ: {report.summary()}")
        self.stdout.write(f"  参加申込: 新規{registrations}件")
        self.stdout.write(
            f"  センターのページ: 一般ページ{pages.standard_pages}件・お知らせ{pages.articles}件"
            f"(公開し直したページ{pages.published}件)"
        )
        self.stdout.write(f"  センター情報とメニュー: {'更新しました' if settings_changed else '変更なし'}")
        self.stdout.write(f"  オープンデータ: {len(open_data.manifest['files'])}件のファイル")
        if generated:
            self.stdout.write(f"  生成したプロジェクト({projects}件): {generated.summary()}")
        note = f"新規{accounts_created}件" if accounts_created else "パスワードをデモ用に戻しました"
        self.write_login_hint(note)

    def write_login_hint(self, note=""):
        if not accounts.demo_admin_exists():
            return
        self.stdout.write(
            f"  管理画面: {settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{reverse('wagtailadmin_home')}"
        )
        self.stdout.write("  ログイン(ユーザー名 / パスワード)" + (f"({note})" if note else "") + ":")
        for account in accounts.DEMO_ACCOUNTS:
            self.stdout.write(f"    {account.role}: {account.username} / {account.password}")
        self.stdout.write(
            "  二段階認証(管理者・承認者・事務局): 認証アプリにキー "
            f"{accounts.DEMO_TOTP_KEY} を登録するか、manage.py demo_code で今の確認コードを表示します。"
        )
