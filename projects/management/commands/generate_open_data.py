"""`manage.py generate_open_data`: regenerate every open data file now (the worker does it after content
changes), printing each file's name, size and the time taken."""

from django.core.management.base import BaseCommand

from projects.opendata.generation import generate_open_data


class Command(BaseCommand):
    help = (
        "オープンデータのファイル(CSV・JSON)をすべて作り直し、"
        "ファイルごとの名前・サイズ・件数と、かかった時間を表示します。"
    )

    def handle(self, *args, **options):
        generated = generate_open_data()
        for entry in generated.manifest["files"].values():
            self.stdout.write(f"{entry['name']}\t{entry['bytes']} バイト\t{entry['rows']}件")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(generated.manifest['files'])}件のファイルを作りました({generated.seconds:.2f}秒)。"
            )
        )
