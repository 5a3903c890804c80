"""A full disk during an upload: the media storage leaves no partial file, and the visitor gets the 507 page
in Japanese instead of the 500 page. tests/faults/test_disk_full.py does the same through the real server,
on a real filesystem that fills up."""

import errno
import logging

import pytest
from django.core.files.base import ContentFile, File
from django.core.files.storage import storages
from django.test import Client
from django.urls import path

FULL = "保存先の空き容量が足りない"


class FillsTheDisk(File):
    """An upload whose second chunk no longer fits: the first is written, then the disk is full."""

    def __init__(self):
        super().__init__(None, name="minutes.txt")
        self.size = 2 * 64 * 1024

    def chunks(self, chunk_size=None):
        yield b"x" * (64 * 1024)
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_write_that_fails_halfway_leaves_no_partial_file(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    storage = storages.create_storage(settings.STORAGES["default"])

    with pytest.raises(OSError) as raised:
        storage.save("documents/minutes.txt", FillsTheDisk())

    assert raised.value.errno == errno.ENOSPC
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_a_failed_write_never_removes_a_file_that_was_there(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    storage = storages.create_storage(settings.STORAGES["default"])
    kept = storage.save("documents/minutes.txt", ContentFile("議事録".encode() * 100))

    with pytest.raises(OSError):
        storage.save(kept, FillsTheDisk())

    assert storage.exists(kept)
    assert storage.size(kept) > 0


def test_a_full_disk_gets_the_507_page_in_japanese_logged_as_one_line(settings, caplog):
    settings.ROOT_URLCONF = "tests.test_disk_full"
    with caplog.at_level(logging.INFO):
        response = Client(raise_request_exception=False).post("/upload/")

    assert response.status_code == 507
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert FULL in body and "ファイルを保存できませんでした" in body
    assert "Traceback" not in body
    (record,) = [record for record in caplog.records if record.name == "cms.views"]
    assert record.getMessage() == "Storage full, answering 507: No space left on device"
    assert not [other for other in caplog.records if other.exc_info]


def full_disk_view(request):
    raise OSError(errno.ENOSPC, "No space left on device")


# The URLconf of test_a_full_disk_gets_the_507_page_in_japanese_logged_as_one_line.
urlpatterns = [path("upload/", full_disk_view)]
handler500 = "cms.views.server_error"
