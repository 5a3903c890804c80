"""`make run` (cms.settings.dev) keeps DEBUG on for tracebacks, yet a page that is not there shows the site's
own Japanese 404 page, as in production, never Django's English debug page; Wagtail's redirects and the
appended slash still answer first."""

import importlib

import pytest
from django.test import override_settings
from wagtail.contrib.redirects.models import Redirect

pytestmark = pytest.mark.django_db

DEV = importlib.import_module("cms.settings.dev")
SITE_404 = "ページが見つかりません"
DEBUG_404 = "Page not found"


def as_in_make_run():
    return override_settings(DEBUG=True, MIDDLEWARE=DEV.MIDDLEWARE)


def test_the_dev_settings_keep_debug_for_tracebacks():
    assert DEV.DEBUG is True


def test_without_it_debug_shows_djangos_english_page(client, tree):
    with override_settings(DEBUG=True):
        response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert DEBUG_404 in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page/",  # no page at a path Wagtail serves
        "/projects/no-such-project/",  # below a section
        "/projects/results/1999/",  # a route that raises Http404 itself
        "/no-such-file.php",  # a path no URL pattern takes
        "/wp-admin/setup-config.php",
        "/%00/",
        "/%E3%81%82" * 300 + "/",
        "/..%2F..%2Fetc%2Fpasswd",
        "/projects/%FF%FE/",
    ],
)
def test_a_missing_page_shows_the_sites_own_404_page(client, tree, path):
    with as_in_make_run():
        response = client.get(path)

    assert response.status_code == 404
    body = response.content.decode()
    assert SITE_404 in body and DEBUG_404 not in body
    assert '<html lang="ja"' in body


def test_the_missing_slash_is_still_appended(client, tree):
    with as_in_make_run():
        response = client.get("/projects")

    assert (response.status_code, response["Location"]) == (301, "/projects/")


def test_wagtails_redirects_still_answer_first(client, tree):
    Redirect.objects.create(old_path="/old-news", redirect_link="/news/", is_permanent=True)

    with as_in_make_run():
        response = client.get("/old-news/")

    assert (response.status_code, response["Location"]) == (301, "/news/")


def test_pages_that_exist_are_served_as_before(client, tree):
    with as_in_make_run():
        assert client.get("/projects/").status_code == 200
        assert client.get("/").status_code == 200
