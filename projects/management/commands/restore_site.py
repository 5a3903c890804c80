"""`manage.py restore_site FOLDER`: a `backup_site` folder back into an empty database and MEDIA_ROOT.

"Empty" means the database has no tables at all, or holds only what `migrate` creates: no page below the
home page, and no image, document or registration. User accounts do not count, so a database where
someone already ran `createsuperuser` is still empty. Anything else is refused unless `--force` is given.
"""

import json
import sqlite3
import tarfile
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from home import invalidation
from projects.management.commands.backup_site import (
    MANIFEST_FORMAT,
    MANIFEST_NAME,
    MEDIA_ARCHIVE,
    engine_name,
    file_sha256,
    media_on_s3,
    postgres_command,
    run_postgres_tool,
)
from projects.models import Registration

# Tables whose rows mean the database already holds a site, with the label the refusal shows.
CONTENT_CHECKS = [
    ("ページ", Page._meta.db_table, "depth > 2"),
    ("画像", get_image_model()._meta.db_table, None),
    ("文書", get_document_model()._meta.db_table, None),
    ("参加申込", Registration._meta.db_table, None),
]


def read_manifest(folder):
    path = folder / MANIFEST_NAME
    if not path.is_file():
        raise CommandError(f"{folder} はバックアップフォルダではありません({MANIFEST_NAME} がありません)。")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:
        raise CommandError(f"{path} を読めません: {error}") from None
    if manifest.get("format") != MANIFEST_FORMAT:
        raise CommandError(f"{path} の形式({manifest.get('format')})には対応していません。")
    return manifest


def verify_checksums(folder, manifest):
    problems = []
    for relative, expected in sorted(manifest["files"].items()):
        path = folder / relative
        if not path.is_file():
            problems.append(f"  {relative}: ファイルがありません")
        elif file_sha256(path) != expected:
            problems.append(f"  {relative}: チェックサム(sha256)が一致しません")
    if problems:
        raise CommandError(
            "バックアップが壊れているか書き換えられています。復元しません。\n" + "\n".join(problems)
        )


def existing_content():
    """What the configured database already holds: [] when it is empty in the sense above."""
    tables = set(connection.introspection.table_names())
    if not tables:
        return []
    if Page._meta.db_table not in tables:
        return [f"テーブル {len(tables)} 個(Wagtail のページツリーなし)"]
    found = []
    with connection.cursor() as cursor:
        for label, table, condition in CONTENT_CHECKS:
            if table not in tables:
                continue
            where = f" WHERE {condition}" if condition else ""
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}{where}")  # noqa: S608
            count = cursor.fetchone()[0]
            if count:
                found.append(f"{label} {count}")
    return found


def forget_cached_content():
    """Pages, menus and catalog counts cached before the restore describe another database."""
    invalidation.forget_all()


class Command(BaseCommand):
    help = (
        "backup_site のバックアップフォルダを、空のデータベースと MEDIA_ROOT に復元します。"
        "チェックサムを確かめてから復元し、空でないデータベースには --force なしでは復元しません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="backup_site が書き出したフォルダ(manifest.json のあるところ)。")
        parser.add_argument(
            "--force",
            action="store_true",
            help="空でないデータベースにも復元します(バックアップにあるテーブルは置き換えられます)。",
        )

    def handle(self, *args, folder, force=False, **options):
        folder = Path(folder)
        manifest = read_manifest(folder)
        verify_checksums(folder, manifest)

        engine = engine_name()
        if manifest["engine"] != engine:
            raise CommandError(
                f"このバックアップは {manifest['engine']} のものです。"
                f"設定されているデータベース({engine})には復元できません。"
            )
        if engine == "postgresql":
            postgres_command("pg_restore")

        database = connection.settings_dict["NAME"]
        try:
            found = existing_content()
        except DatabaseError as error:
            raise CommandError(f"復元先のデータベース {database} に接続できません: {error}") from None
        if found and not force:
            raise CommandError(
                f"復元先のデータベース {database} は空ではありません({'・'.join(found)})。"
                "復元しません。上書きしてよいときだけ --force を付けてください。"
            )

        database_file = folder / manifest["database"]
        if engine == "postgresql":
            self.restore_postgres(database_file)
        else:
            self.restore_sqlite(database_file)
        self.stdout.write(f"データベース {database} に {database_file} を復元しました。")

        self.restore_media(folder, manifest)
        forget_cached_content()

        counts = manifest["counts"]
        self.stdout.write(
            f"バックアップ時点({manifest['created_at']}): ページ {counts['pages']}・"
            f"プロジェクト {counts['projects']}・参加申込 {counts['registrations']}・"
            f"画像 {counts['images']}・文書 {counts['documents']}"
        )
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            self.stdout.write(
                f"このコードにはバックアップより新しいマイグレーションが {len(pending)} 件あります。"
                "manage.py migrate を実行してください。"
            )

    def restore_postgres(self, path):
        # Start from an empty schema: `--clean` would drop only the tables in the dump, and tables a newer
        # `migrate` made (with foreign keys to the old ones) would block it or survive unrecorded.
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        # pg_restore uses a connection of its own; ours must not hold locks on the tables it replaces.
        connection.close()
        command, env = postgres_command(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            # In one transaction, so a failure leaves the schema empty rather than half restored.
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
        )
        command.append(str(path))
        run_postgres_tool(command, env)

    def restore_sqlite(self, path):
        # The backup API in reverse: page by page from the backup file into the live database.
        connection.ensure_connection()
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()

    def restore_media(self, folder, manifest):
        if not manifest["media"].get("included"):
            reason = manifest["media"].get("reason", "")
            self.stdout.write(f"メディアはこのバックアップに含まれていません: {reason}")
            return
        if media_on_s3():
            self.stdout.write(
                f"メディアの保存先は S3 です。{folder / MEDIA_ARCHIVE} を展開し、バケットに置いてください。"
            )
            return
        media_root = Path(settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / MEDIA_ARCHIVE, "r:gz") as archive:
            members = []
            for member in archive.getmembers():
                parts = PurePosixPath(member.name).parts
                if len(parts) < 2 or parts[0] != "media":
                    continue
                member.name = str(PurePosixPath(*parts[1:]))
                members.append(member)
            # The "data" filter refuses links and paths that would land outside MEDIA_ROOT.
            archive.extractall(media_root, members=members, filter="data")
        files = sum(1 for member in members if member.isfile())
        self.stdout.write(f"メディア {files} 個を {media_root} に展開しました。")
