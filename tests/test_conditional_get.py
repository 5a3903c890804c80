"""Polite to machines: every GET answer carries an ETag, a request that already holds the same version gets
304 without the body, from a rendered page and from a page-cache hit alike, and the open data may be read by
other sites' scripts (CORS for GET, never with cookies)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.builders import make_article

pytestmark = pytest.mark.django_db


def test_a_page_answers_a_repeat_request_with_304_and_no_body(client, tree):
    first = client.get("/")
    repeat = client.get("/", headers={"If-None-Match": first["ETag"]})

    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert repeat.status_code == 304
    assert repeat.content == b""
    assert repeat["ETag"] == first["ETag"]


def test_a_changed_page_is_sent_whole_again(client, tree):
    article = make_article(tree.news, slug="notice", title="休館日のお知らせ")
    first = client.get(article.url)
    article.title = "休館日の変更のお知らせ"
    article.save_revision().publish()

    again = client.get(article.url, headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_a_page_cache_hit_answers_conditional_requests_too(client, tree):
    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=True, PAGE_CACHE_SECONDS=300):
        first = client.get("/sitemap.xml")
        with CaptureQueriesContext(connection) as queries:
            repeat = client.get("/sitemap.xml", headers={"If-None-Match": first["ETag"]})
    cache.clear()

    assert first["X-Page-Cache"] == "miss"
    assert repeat.status_code == 304
    assert len(queries) == 0  # served from the stored page, not rendered again


def test_a_wrong_or_hostile_validator_gets_the_whole_answer(client, tree):
    for value in ('"nope"', "*garbage*", "W/", '"' + "x" * 5000 + '"', "\x00"):
        response = client.get("/", headers={"If-None-Match": value, "If-Modified-Since": value})
        assert response.status_code == 200, value


def test_open_data_may_be_read_from_other_sites_but_not_with_cookies(client, tree):
    response = client.get("/sitemap.xml", headers={"Origin": "https://example.org"})
    preflight = client.options(
        "/sitemap.xml",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_pages_and_forms_stay_closed_to_other_sites_scripts(client, tree):
    response = client.get("/", headers={"Origin": "https://example.org"})

    assert "Access-Control-Allow-Origin" not in response
