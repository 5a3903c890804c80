"""Upload and request size limits: oversized images and documents are refused in the admin with a Japanese
message and nothing saved; an oversized body anywhere gets the site's 413 page, never a 400 or a 500."""

import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from projects.models import Registration
from tests.builders import logged_in, upcoming_event
from tests.html import parse

pytestmark = pytest.mark.django_db

TOO_BIG = "このファイルは大きすぎます"
PAGE_TITLE = "送信できる大きさを超えています"


@pytest.fixture
def staff(django_user_model, media_root):
    return logged_in(django_user_model.objects.create_superuser("chief", "chief@example.jp", "x"))


def png(size=(200, 200)):
    buffer = io.BytesIO()
    # Noise does not compress, so the file is as large as the test needs.
    noise = random.Random(7).randbytes(size[0] * size[1] * 3)
    PillowImage.frombytes("RGB", size, noise).save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def text_file(size):
    return SimpleUploadedFile("report.txt", b"x" * size, content_type="text/plain")


def root_collection():
    return Collection.get_first_root_node().id


def errors(response):
    messages = (error.get_text(" ", strip=True) for error in parse(response).select(".error-message"))
    return " ".join(messages).replace("\xa0", " ")


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=10_000)
def test_an_oversized_image_is_refused_in_japanese_and_nothing_is_saved(staff):
    upload = png()
    assert upload.size > 10_000

    response = staff.post(
        "/admin/images/add/", {"title": "写真", "file": upload, "collection": root_collection()}
    )

    assert response.status_code == 200
    assert TOO_BIG in errors(response)
    assert "9.8 KB" in errors(response)  # the limit, as Wagtail writes it
    assert not get_image_model().objects.exists()


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1000)
def test_an_oversized_document_is_refused_in_japanese_and_nothing_is_saved(staff, media_root):
    response = staff.post(
        "/admin/documents/add/", {"title": "報告書", "file": text_file(1001), "collection": root_collection()}
    )

    assert response.status_code == 200
    assert errors(response) == (
        "このファイルは大きすぎます（1001 バイト）。ファイルサイズの上限は1000 バイトです。"
    )
    assert not get_document_model().objects.exists()
    assert not list(media_root.rglob("report*"))


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1000)
def test_the_multiple_uploader_refuses_an_oversized_document_too(staff):
    response = staff.post(
        "/admin/documents/multiple/add/",
        {"files[]": text_file(5000), "title": "報告書", "collection": root_collection()},
    )

    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False
    assert TOO_BIG in answer["error_message"]
    assert not get_document_model().objects.exists()


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1000)
def test_a_document_within_the_limit_is_saved_and_the_form_says_the_limit(staff):
    form = staff.get("/admin/documents/add/")
    assert "ファイルサイズの上限は1000\xa0バイトです。" in form.content.decode()

    response = staff.post(
        "/admin/documents/add/", {"title": "報告書", "file": text_file(1000), "collection": root_collection()}
    )

    assert response.status_code == 302
    assert get_document_model().objects.get().title == "報告書"


def assert_the_413_page(response, limit):
    assert response.status_code == 413
    assert response["Cache-Control"] == "no-store"
    document = parse(response)
    assert document.select_one("h1").get_text(strip=True) == PAGE_TITLE
    assert f"上限 {limit}" in document.select_one("main").get_text().replace("\xa0", " ")
    assert document.select_one(".site-header .site-name").get_text() == "八王子市市民活動支援センター"


def test_an_oversized_post_to_a_public_form_gets_the_413_page_and_registers_nobody(tree):
    event = upcoming_event(tree)
    visitor = Client(raise_request_exception=False)

    response = visitor.post(
        event.url,
        {"name": "山田 花子", "email": "hanako@example.jp", "agree_privacy": "on", "note": "あ" * 1_000_000},
    )

    assert_the_413_page(response, "2.5 MB")
    assert not Registration.objects.exists()
    # The same registration of a normal size goes through.
    assert visitor.post(event.url, {"name": "山田 花子", "email": "hanako@example.jp", "agree_privacy": "on"})
    assert Registration.objects.count() == 1


@override_settings(ADMIN_REQUEST_MAX_SIZE=50_000)
def test_an_admin_upload_over_the_request_limit_gets_the_413_page(staff):
    form = {"title": "報告書", "file": text_file(60_000), "collection": root_collection()}
    response = staff.post("/admin/documents/add/", form)

    assert_the_413_page(response, "48.8 KB")
    assert not get_document_model().objects.exists()


@pytest.mark.parametrize("length", ["abc", "-1", "", "99999999999999999999999"])
def test_a_malformed_or_absurd_content_length_is_never_a_server_error(tree, length):
    event = upcoming_event(tree)
    visitor = Client(raise_request_exception=False)

    response = visitor.post(event.url, {"name": "山田 花子"}, CONTENT_LENGTH=length)

    assert response.status_code in {200, 400, 413}
    assert not Registration.objects.exists()
