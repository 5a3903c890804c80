"""`backup_site` and `restore_site`: a backup folder with a checked manifest, restored into an empty database
of the engine in use (SQLite or PostgreSQL, whichever this run's DATABASE_URL names) in a separate process.

The catalog.json inside a backup is the ordinary `export_catalog` file. That it re-imports into an empty
database is proved in tests/test_catalog_export.py by
test_round_trip_through_an_empty_database_gives_the_same_file; here we only check it is that export.
"""

import datetime
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import uuid
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

import django
import psycopg
import pytest
import wagtail
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from projects.models import Registration
from tests.builders import build_catalog_tree, make_event, make_organization, make_project

# Committed for real, so pg_dump (another connection) sees the content; serialized_rollback brings back
# the home page the migrations create after each test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The engine this run uses: each CI run covers one, and the suite runs on both.
ENGINE = connection.vendor
DATABASE_FILE = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}[ENGINE]
BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def site(media_root, tmp_path):
    """A project with an uploaded photo (and a rendition), a document, and an event with one registration."""
    tree = build_catalog_tree()
    photo_path = tmp_path / "upload" / "kickoff.png"
    photo_path.parent.mkdir()
    PillowImage.new("RGB", (16, 16), (200, 40, 40)).save(photo_path, format="PNG")
    with photo_path.open("rb") as file:
        photo = get_image_model().objects.create(title="キックオフ", file=ImageFile(file, name="kickoff.png"))
    photo.get_rendition("fill-8x8")
    document = get_document_model().objects.create(
        title="議事録", file=ContentFile("第1回 議事録\n".encode(), name="minutes.txt")
    )
    organization = make_organization(tree.organizations)
    project = make_project(tree.projects, organization, image=photo)
    event = make_event(
        tree.events,
        starts_at=timezone.now() + datetime.timedelta(days=14),
        capacity=20,
        registration_enabled=True,
    )
    response = Client().post(
        event.url, {"name": "申込 太郎", "email": "taro@example.jp", "agree_privacy": "on"}
    )
    assert response.status_code == 302
    assert Registration.objects.filter(event=event).count() == 1
    return {
        "titles": {organization.title, project.title, event.title},
        "photo": Path(photo.file.path),
        "rendition": Path(photo.renditions.get().file.path),
        "document": Path(document.file.path),
    }


def back_up(output, *args):
    out = StringIO()
    call_command("backup_site", "--output", str(output), *args, stdout=out)
    folders = sorted(path for path in Path(output).iterdir() if path.name.startswith("site-"))
    return folders[-1], out.getvalue()


@pytest.fixture
def backup(site, tmp_path):
    folder, _ = back_up(tmp_path / "backups")
    return folder


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_files(folder):
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def manifest_of(folder):
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


# Another process on another database, as an operator would run the command


def manage(tmp_path, *args, database_url, media_root=None, path=None):
    """Run manage.py in a new process with the test settings, on `database_url`, with MEDIA_ROOT set."""
    # cms.settings.test makes a fresh temporary MEDIA_ROOT of its own, so a two-line module over it takes
    # MEDIA_ROOT from the environment, as the base settings do.
    settings_dir = tmp_path / "subprocess_settings"
    settings_dir.mkdir(exist_ok=True)
    (settings_dir / "backup_test_settings.py").write_text(
        "import os\n\nfrom cms.settings.test import *  # noqa: F403\n\n"
        "MEDIA_ROOT = os.environ['MEDIA_ROOT']\n"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "backup_test_settings",
        "PYTHONPATH": os.pathsep.join([str(settings_dir), str(BASE_DIR)]),
        "MEDIA_ROOT": str(media_root or tmp_path / "restored-media"),
    }
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def postgres_url(name):
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    return f"postgres://{database['USER']}{password}@{host}:{database.get('PORT') or 5432}/{name}"


def postgres_server():
    database = connection.settings_dict
    return psycopg.connect(
        host=database.get("HOST") or "127.0.0.1",
        port=database.get("PORT") or 5432,
        user=database["USER"],
        password=database.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


@contextmanager
def scratch_database(tmp_path):
    """A new, empty database of the engine in use; yields (DATABASE_URL, run a query)."""
    if ENGINE == "sqlite":
        path = tmp_path / f"scratch-{uuid.uuid4().hex[:8]}.sqlite3"

        def query(sql):
            import sqlite3

            with sqlite3.connect(path) as database:
                return database.execute(sql).fetchall()

        yield f"sqlite:///{path}", query
        return

    name = f"helper_backup_restore_{uuid.uuid4().hex[:12]}"
    with postgres_server() as server:
        server.execute(f'CREATE DATABASE "{name}"')
    try:

        def query(sql):
            with psycopg.connect(postgres_url(name)) as database:
                return database.execute(sql).fetchall()

        yield postgres_url(name), query
    finally:
        with postgres_server() as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def table_count(query):
    if ENGINE == "sqlite":
        return query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")[0][0]
    return query("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")[0][0]


# The backup folder


@pytest.mark.parametrize("engine", [ENGINE])
def test_backup_writes_database_media_catalog_and_manifest(engine, site, tmp_path):
    folder, output = back_up(tmp_path / "backups")

    assert sorted(path.name for path in folder.iterdir() if path.is_file()) == sorted(
        ["catalog.json", DATABASE_FILE, "manifest.json", "media.tar.gz"]
    )
    for name in ["catalog.json", DATABASE_FILE, "media.tar.gz"]:
        assert name in output
    assert str(folder) in output
    assert folder.stat().st_mode & 0o777 == 0o700  # personal data: the owner alone may read it

    manifest = manifest_of(folder)
    assert manifest["engine"] == engine
    assert manifest["database"] == DATABASE_FILE
    assert manifest["versions"]["django"] == django.__version__
    assert manifest["versions"]["wagtail"] == wagtail.__version__
    assert datetime.datetime.fromisoformat(manifest["created_at"]) <= timezone.now()
    for app in ["home", "projects"]:
        on_disk = sorted(path.stem for path in (BASE_DIR / app / "migrations").glob("0*.py"))
        assert manifest["migrations"][app] == on_disk[-1]
    assert "wagtailcore" in manifest["migrations"]
    assert manifest["counts"] == {
        "pages": Page.objects.count(),
        "projects": 1,
        "registrations": 1,
        "images": 1,
        "documents": 1,
    }
    written = {
        path.relative_to(folder).as_posix(): sha256(path)
        for path in folder.rglob("*")
        if path.is_file() and path.name != "manifest.json"
    }
    assert manifest["files"] == written
    # The catalog's copy of the project photo, named after the image's title.
    assert [name for name in written if name.startswith("images/")] == ["images/キックオフ.png"]


def test_media_archive_holds_uploads_but_not_renditions_or_open_data_files(site, backup, media_root):
    assert site["rendition"].is_file()
    # Publishing the site's pages generated the open data files; the worker makes them again after a restore.
    assert any((media_root / "opendata").rglob("*.csv"))

    with tarfile.open(backup / "media.tar.gz") as archive:
        files = {member.name: archive.extractfile(member).read() for member in archive if member.isfile()}

    assert files == {
        f"media/{site['photo'].relative_to(media_root).as_posix()}": site["photo"].read_bytes(),
        f"media/{site['document'].relative_to(media_root).as_posix()}": site["document"].read_bytes(),
    }


def test_catalog_json_is_the_catalog_export(backup, tmp_path):
    call_command("export_catalog", str(tmp_path / "export" / "catalog.json"), stdout=StringIO())

    assert (backup / "catalog.json").read_bytes() == (tmp_path / "export" / "catalog.json").read_bytes()
    assert folder_files(backup / "images") == folder_files(tmp_path / "export" / "images")
    assert len(folder_files(backup / "images")) == 1


def test_no_media_leaves_the_archive_out(site, tmp_path):
    folder, output = back_up(tmp_path / "backups", "--no-media")

    assert not (folder / "media.tar.gz").exists()
    assert manifest_of(folder)["media"]["included"] is False
    assert "--no-media" in output


def test_media_on_s3_are_left_to_the_bucket_with_a_note(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "civic-media"}},
    }

    folder, output = back_up(tmp_path / "backups")

    assert not (folder / "media.tar.gz").exists()
    note = (folder / "media-not-included.txt").read_text(encoding="utf-8")
    assert "civic-media" in note
    assert "versioning" in note
    assert manifest_of(folder)["media"]["included"] is False
    assert "S3" in output


def test_keep_removes_the_oldest_backups_beyond_n(tmp_path):
    output = tmp_path / "backups"
    (output / "notes").mkdir(parents=True)
    made = [back_up(output, "--no-media")[0] for _ in range(3)]

    newest, log = back_up(output, "--no-media", "--keep", "2")

    remaining = sorted(path.name for path in output.iterdir())
    assert remaining == sorted([made[2].name, newest.name, "notes"])
    assert f"{made[0]}" in log
    assert f"{made[1]}" in log


# Failures


def test_backup_fails_clearly_without_pg_dump(tmp_path):
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()

    result = manage(
        tmp_path,
        "backup_site",
        "--output",
        str(tmp_path / "backups"),
        database_url=postgres_url("helper_backup_unused"),
        path=str(empty_bin),
    )

    assert result.returncode != 0
    assert "pg_dump が見つかりません" in result.stderr
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())


@pytest.mark.parametrize("engine", [ENGINE])
def test_backup_fails_clearly_when_the_database_cannot_be_dumped(engine, tmp_path):
    missing = {
        "postgresql": postgres_url(f"helper_backup_absent_{uuid.uuid4().hex[:8]}"),
        "sqlite": f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite3'}",
    }[engine]

    result = manage(tmp_path, "backup_site", "--output", str(tmp_path / "backups"), database_url=missing)

    assert result.returncode != 0
    expected = {"postgresql": "pg_dump が失敗しました", "sqlite": "データベースを書き出せませんでした"}
    assert expected[engine] in result.stderr
    assert list((tmp_path / "backups").iterdir()) == []  # no half-written folder left behind


# Restoring


@pytest.mark.parametrize("engine", [ENGINE])
@pytest.mark.parametrize("target", ["no tables", "freshly migrated"])
def test_restore_into_an_empty_database_brings_the_site_back(engine, target, site, backup, tmp_path):
    restored_media = tmp_path / "restored-media"
    with scratch_database(tmp_path) as (url, query):
        if target == "freshly migrated":
            migrated = manage(tmp_path, "migrate", "--noinput", database_url=url)
            assert migrated.returncode == 0, migrated.stderr
            assert table_count(query) > 0

        result = manage(tmp_path, "restore_site", str(backup), database_url=url, media_root=restored_media)

        assert result.returncode == 0, result.stderr
        titles = {row[0] for row in query("SELECT title FROM wagtailcore_page")}
        assert site["titles"] <= titles
        assert query("SELECT COUNT(*) FROM projects_registration")[0][0] == 1
        assert query("SELECT email FROM projects_registration")[0][0] == "taro@example.jp"
        assert query("SELECT COUNT(*) FROM wagtailcore_page")[0][0] == Page.objects.count()

    media_root = Path(settings.MEDIA_ROOT)
    for key in ["photo", "document"]:
        restored = restored_media / site[key].relative_to(media_root)
        assert restored.read_bytes() == site[key].read_bytes()
    assert not (restored_media / "images").exists()  # renditions are rebuilt on demand
    assert "データベース" in result.stdout


def test_restore_refuses_a_database_with_content(site, backup):
    pages = Page.objects.count()

    with pytest.raises(CommandError, match="空ではありません"):
        call_command("restore_site", str(backup), stdout=StringIO())

    assert Page.objects.count() == pages
    assert Registration.objects.count() == 1


@pytest.mark.parametrize("engine", [ENGINE])
@pytest.mark.parametrize("force", [False, True])
def test_restore_refuses_a_tampered_backup(engine, force, backup, tmp_path):
    database_file = backup / DATABASE_FILE
    database_file.write_bytes(database_file.read_bytes() + b"\0")

    with scratch_database(tmp_path) as (url, query):
        result = manage(
            tmp_path, "restore_site", str(backup), *(["--force"] if force else []), database_url=url
        )

        assert result.returncode != 0
        assert f"{DATABASE_FILE}: チェックサム(sha256)が一致しません" in result.stderr
        assert table_count(query) == 0
    assert not (tmp_path / "restored-media").exists()


def test_restore_refuses_a_folder_without_manifest(tmp_path):
    with pytest.raises(CommandError, match=r"manifest\.json がありません"):
        call_command("restore_site", str(tmp_path), stdout=StringIO())
