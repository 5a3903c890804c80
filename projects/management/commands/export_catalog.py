"""`manage.py export_catalog [PATH]`: the live catalog as JSON, to a file with its images, or to stdout."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from projects.catalog.errors import CatalogError
from projects.catalog.exporter import dump_catalog, export_catalog
from projects.catalog.schema import IMAGE_FOLDER


class Command(BaseCommand):
    help = (
        "公開中のカタログ(分類・団体・プロジェクト・イベント)をJSONで書き出します。"
        "ファイルに書き出すときは、画像をその隣の images フォルダにコピーします。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", help="書き出すJSONファイル。省略すると標準出力に書きます(画像なし)。"
        )

    def handle(self, *args, path=None, **options):
        try:
            if path is None:
                self.stdout.write(dump_catalog(export_catalog()), ending="")
                return
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            data = export_catalog(image_dir=path.parent / IMAGE_FOLDER)
            path.write_text(dump_catalog(data), encoding="utf-8")
        except CatalogError as error:
            raise CommandError("\n".join(error.errors)) from None
        self.stdout.write(
            f"{path} に書き出しました(団体 {len(data['organizations'])}・"
            f"プロジェクト {len(data['projects'])}・イベント {len(data['events'])})。"
        )
