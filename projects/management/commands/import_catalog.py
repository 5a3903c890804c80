"""`manage.py import_catalog PATH`: create or update catalog pages and terms from a JSON catalog file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.catalog.errors import CatalogError
from projects.catalog.importer import import_catalog, load_catalog_file


class Command(BaseCommand):
    help = (
        "JSON形式のカタログ(分類・団体・プロジェクト・イベント)を取り込みます。"
        "形式は docs/catalog-format.md を参照してください。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", help="カタログのJSONファイル。画像のパスはこのファイルのフォルダから数えます。"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="内容を確かめ、新規・更新になる件数を表示するだけで、何も書き込みません。",
        )

    def handle(self, *args, path, dry_run, **options):
        path = Path(path)
        try:
            report = import_catalog(load_catalog_file(path), base_dir=path.parent, dry_run=dry_run)
        except CatalogError as error:
            self._warn(error.warnings)
            for message in error.errors:
                self.stderr.write(message)
            raise CommandError(
                f"{len(error.errors)}件のエラーがあるため取り込みませんでした。何も書き込んでいません。"
            ) from None
        self._warn(report.warnings)
        if dry_run or options["verbosity"] > 1:
            for line in report.change_lines():
                self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _warn(self, warnings):
        for warning in warnings:
            self.stderr.write(self.style.WARNING(f"警告: {warning}"))
