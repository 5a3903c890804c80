"""A disk that fills up during an upload: a 256 KB tmpfs is mounted on the running site's MEDIA_ROOT and an
editor uploads a larger document through the admin. The editor gets a clear Japanese error, nothing is
half-saved (no document row, no partial file), the site keeps answering, and a file that fits is saved."""

import uuid
from pathlib import Path

import pytest

from tests.faults.harness import tmpfs

# django_db: the suite copies the test database, which pytest-django creates only for tests that use it.
pytestmark = [pytest.mark.xdist_group("faults"), pytest.mark.django_db]

ADD_DOCUMENT = "/admin/documents/add/"
FULL = "保存先の空き容量が足りない"


def files_under(directory):
    """Uploaded files under `directory`; the open data files the worker regenerates there are not uploads."""
    return sorted(
        str(path.relative_to(directory))
        for path in Path(directory).rglob("*")
        if path.is_file() and path.relative_to(directory).parts[0] != "opendata"
    )


def upload_document(editor, title, name, content):
    token = editor.csrf_token(ADD_DOCUMENT)
    return editor.upload(
        ADD_DOCUMENT,
        {"csrfmiddlewaretoken": token, "title": title, "collection": "1", "tags": ""},
        {"file": (name, content, "text/plain")},
    )


def documents_titled(site, title):
    [(count,)] = site.sql("SELECT count(*) FROM wagtaildocs_document WHERE title = %s", (title,))
    return count


def test_a_document_larger_than_the_free_space_is_refused_cleanly(faulty_site):
    site = faulty_site
    editor = site.visitor()
    editor.log_in(site.content["editor"]["username"], site.content["editor"]["password"])
    too_big, fits = f"大きすぎる資料 {uuid.uuid4().hex[:6]}", f"小さな資料 {uuid.uuid4().hex[:6]}"

    try:
        with tmpfs(site.processes.media_root, size="256k") as media:
            refused = upload_document(editor, too_big, "minutes-large.txt", b"0123456789abcdef\n" * 30_000)
            left_behind = files_under(media)
            answers = [site.visitor().get(path).status for path in (site.content["home"], "/readyz")]
            saved = upload_document(editor, fits, "minutes-small.txt", "議事録\n".encode() * 100)
            kept = files_under(media)
    except PermissionError as error:
        pytest.fail(f"The disk-full test needs to mount a tmpfs: {error}")

    assert refused.status == 507, (refused.status, refused.text[:2000], site.processes.log_tail())
    assert FULL in refused.text
    assert "Traceback" not in refused.text
    assert documents_titled(site, too_big) == 0
    assert left_behind == []
    assert answers == [200, 200]
    assert saved.status == 302, saved.text[:2000]
    assert documents_titled(site, fits) == 1
    assert [Path(name).name for name in kept] == ["minutes-small.txt"]
