"""`manage.py backup_site`: the database, uploaded media and the catalog in one timestamped folder."""

import hashlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
from io import StringIO
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from projects.models import ProjectPage, Registration
from projects.opendata.storage import ROOT as OPEN_DATA_FOLDER

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 1
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA_ARCHIVE = "media.tar.gz"
MEDIA_NOTE = "media-not-included.txt"
CATALOG_FILE = "catalog.json"
# Derived files the archive leaves out: renditions (resized copies of images, in MEDIA_ROOT/images/), which
# Wagtail rebuilds on demand, and the open data files (opendata/), which the worker regenerates after the
# restore. The originals are in original_images/ and documents/.
SKIPPED_MEDIA_FOLDERS = {"images", OPEN_DATA_FOLDER}
FOLDER_PREFIX = "site-"


def engine_name():
    """The configured database's engine, postgresql or sqlite; no other can be backed up."""
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise CommandError(f"Unsupported database engine for backups: {connection.settings_dict['ENGINE']}")
    return vendor


def postgres_command(program, *args):
    """`program` with the configured database's connection arguments, and its environment.

    The password goes in PGPASSWORD, never on the command line, where any user could read it in `ps`.
    """
    if shutil.which(program) is None:
        raise CommandError(
            f"{program} が見つかりません。PostgreSQL のクライアント(postgresql-client)を入れ、"
            f"{program} を PATH に置いてください。"
        )
    database = connection.settings_dict
    command = [program, *args]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            command.append(f"{option}={database[key]}")
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    if database.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    return command, env


def run_postgres_tool(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CommandError(
            f"{command[0]} が失敗しました(終了コード {result.returncode}):\n{result.stderr.strip()}"
        )
    return result


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_on_s3():
    return "s3" in settings.STORAGES["default"]["BACKEND"].lower()


def is_backup_folder(path):
    return path.is_dir() and path.name.startswith(FOLDER_PREFIX) and (path / MANIFEST_NAME).is_file()


def backup_order(path):
    """Oldest first: by the folder's timestamp, then by the number added when two share a second."""
    date, _, rest = path.name.removeprefix(FOLDER_PREFIX).partition("-")
    time, _, number = rest.partition("-")
    return (date, time, int(number) if number.isdigit() else 1)


class Command(BaseCommand):
    help = (
        "データベース・アップロードされたメディア・カタログ(JSON)を、日時付きのフォルダ1つにバックアップします"
        "(docs/backups.md)。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="バックアップフォルダを作る親フォルダ。省略すると <BASE_DIR>/backups/ です。",
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="書き出した後、親フォルダのバックアップのうち新しい N 個だけを残し、古いものを削除します。",
        )
        parser.add_argument(
            "--no-media", action="store_true", help="アップロードされたメディアを含めません。"
        )

    def handle(self, *args, output=None, keep=None, no_media=False, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep には 1 以上の数を指定してください。")
        engine = engine_name()
        if engine == "postgresql":
            # Before anything is written, so a missing client leaves no half-made folder behind.
            postgres_command("pg_dump")

        parent = Path(output) if output else Path(settings.BASE_DIR) / "backups"
        parent.mkdir(parents=True, exist_ok=True)
        started = timezone.localtime()
        name = self.folder_name(parent, started)
        # Written under a hidden name and renamed when complete, so a failed run never looks like a backup.
        work = parent / f".incomplete-{name}"
        # Only the owner may read it: the dump and the media hold people's names and addresses.
        work.mkdir(mode=0o700)
        try:
            manifest = self.write_backup(work, engine, started, no_media)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        folder = parent / name
        work.rename(folder)

        self.stdout.write(f"バックアップを書き出しました: {folder}")
        for relative in sorted(manifest["files"]):
            size = (folder / relative).stat().st_size
            self.stdout.write(f"  {relative} ({size:,} bytes)")
        self.stdout.write(f"  {MANIFEST_NAME}")
        if manifest["media"]["included"] is False:
            self.stdout.write(f"  メディア: {manifest['media']['reason']}")
        if keep is not None:
            self.remove_old_backups(parent, keep)

    def folder_name(self, parent, started):
        base = FOLDER_PREFIX + started.strftime("%Y%m%d-%H%M%S")
        name, number = base, 1
        while (parent / name).exists() or (parent / f".incomplete-{name}").exists():
            number += 1
            name = f"{base}-{number}"
        return name

    def write_backup(self, folder, engine, started, no_media):
        database_file = folder / DATABASE_FILES[engine]
        try:
            if engine == "postgresql":
                self.dump_postgres(database_file)
            else:
                self.copy_sqlite(database_file)
        except DatabaseError as error:
            raise CommandError(f"データベースを書き出せませんでした: {error}") from None

        if no_media:
            media = {"included": False, "reason": "--no-media で除外しました。"}
        elif media_on_s3():
            media = {
                "included": False,
                "reason": "メディアは S3 バケットにあり、バケットのバージョニングと複製で守ります。",
            }
            bucket = settings.STORAGES["default"].get("OPTIONS", {}).get("bucket_name", "")
            (folder / MEDIA_NOTE).write_text(
                f"Uploaded media are stored in the S3 bucket {bucket!r} and are not in this backup.\n"
                "The bucket is backed up by its own versioning and replication.\n",
                encoding="utf-8",
            )
        else:
            self.archive_media(folder / MEDIA_ARCHIVE)
            media = {
                "included": True,
                "archive": MEDIA_ARCHIVE,
                "skipped": "images/ (renditions, rebuilt on demand), opendata/ (regenerated by the worker)",
            }

        call_command("export_catalog", str(folder / CATALOG_FILE), stdout=StringIO())

        files = {
            path.relative_to(folder).as_posix(): file_sha256(path)
            for path in sorted(folder.rglob("*"))
            if path.is_file()
        }
        manifest = {
            "format": MANIFEST_FORMAT,
            "created_at": started.isoformat(),
            "engine": engine,
            "database": DATABASE_FILES[engine],
            "versions": {
                "django": django.__version__,
                "wagtail": wagtail.__version__,
                "python": platform.python_version(),
            },
            "migrations": self.migration_state(),
            "counts": {
                "pages": Page.objects.count(),
                "projects": ProjectPage.objects.count(),
                "registrations": Registration.objects.count(),
                "images": get_image_model().objects.count(),
                "documents": get_document_model().objects.count(),
            },
            "media": media,
            "files": files,
        }
        (folder / MANIFEST_NAME).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        return manifest

    def dump_postgres(self, path):
        command, env = postgres_command(
            "pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"
        )
        command.append(f"--dbname={connection.settings_dict['NAME']}")
        run_postgres_tool(command, env)

    def copy_sqlite(self, path):
        # The backup API copies a consistent snapshot even while the site writes; a file copy may not.
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()

    def archive_media(self, path):
        media_root = Path(settings.MEDIA_ROOT)

        def skip_derived(member):
            top = Path(member.name).parts[1:2]
            return None if top and top[0] in SKIPPED_MEDIA_FOLDERS else member

        with tarfile.open(path, "w:gz") as archive:
            # Members are named media/...; an absent MEDIA_ROOT (nothing uploaded yet) gives an empty archive.
            if media_root.is_dir():
                archive.add(media_root, arcname="media", filter=skip_derived)

    def migration_state(self):
        latest = {}
        for app, name in MigrationRecorder(connection).applied_migrations():
            if name > latest.get(app, ""):
                latest[app] = name
        return dict(sorted(latest.items()))

    def remove_old_backups(self, parent, keep):
        folders = sorted((path for path in parent.iterdir() if is_backup_folder(path)), key=backup_order)
        for old in folders[:-keep]:
            shutil.rmtree(old)
            self.stdout.write(f"古いバックアップを削除しました: {old}")
