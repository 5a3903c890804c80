"""Framing and browser features: every response says the same thing in X-Frame-Options and the CSP's
frame-ancestors (only the site itself may frame it: Wagtail's admin previews pages in a frame), and carries
a Permissions-Policy that switches off the features no page uses. Pages served from the page cache too."""

import pytest
from django.test import Client, override_settings

from tests.builders import logged_in, make_article

pytestmark = pytest.mark.django_db

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=(), "
    'fullscreen=(self "https://www.youtube.com" "https://www.youtube-nocookie.com" "https://player.vimeo.com")'
)


def frame_ancestors(response):
    directives = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return directives["frame-ancestors"]


def assert_consistent_headers(response):
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert frame_ancestors(response) == "'self'"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


@override_settings(PAGE_CACHE_ENABLED=True)
def test_public_pages_fresh_and_from_the_page_cache(tree):
    article = make_article(tree.news)
    visitor = Client()

    fresh = visitor.get(article.url)
    cached = visitor.get(article.url)

    assert (fresh["X-Page-Cache"], cached["X-Page-Cache"]) == ("miss", "hit")
    for response in (fresh, cached):
        assert response.status_code == 200
        assert_consistent_headers(response)


def test_error_and_refusal_pages(tree):
    visitor = Client()

    assert_consistent_headers(visitor.get("/no-such-page/"))
    assert_consistent_headers(visitor.post("/", {"text": "x" * 3_000_000}))


def test_admin_pages_and_the_preview_frame(tree, django_user_model):
    article = make_article(tree.news)
    staff = logged_in(django_user_model.objects.create_superuser("chief", "chief@example.jp", "x"))

    assert_consistent_headers(Client().get("/admin/login/"))
    assert_consistent_headers(staff.get("/admin/"))
    # What the editor's preview panel loads in its frame: allowed for the site itself, by both headers.
    preview = staff.get(f"/admin/pages/{article.id}/edit/preview/")
    assert preview.status_code == 200
    assert_consistent_headers(preview)
