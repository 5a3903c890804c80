"""Polite to machines: every GET answer carries an ETag, a request that already holds the same version gets
304 without the body, from a rendered page and from a page-cache hit alike, and the open data may be read by
other sites' scripts (CORS for GET, never with cookies). The news feeds, the event calendars and
sitemap.xml also say when they last changed (Last-Modified), a date that never goes back, so that a client
asking If-Modified-Since is not told 304 after a page left the list."""

import datetime
from email.utils import parsedate_to_datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.builders import TOKYO, make_article, make_event

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


def test_calendar_feeds_may_be_read_from_other_sites_too(client, tree):
    for url in ("/events/feed.ics", "/events/feed.ics?type=briefing"):
        response = client.get(url, headers={"Origin": "https://example.org"})
        assert response["Access-Control-Allow-Origin"] == "*", url


def test_spellings_of_the_sitemaps_page_number_keep_no_date_of_their_own(client, tree):
    for number in ("１", "١", "9" * 50):
        response = client.get("/sitemap.xml", {"p": number})
        assert "Last-Modified" not in response, number


def test_pages_and_forms_stay_closed_to_other_sites_scripts(client, tree):
    response = client.get("/", headers={"Origin": "https://example.org"})

    assert "Access-Control-Allow-Origin" not in response


# ---------- Last-Modified of the feeds, the calendars and sitemap.xml ----------


def last_modified(response):
    return parsedate_to_datetime(response["Last-Modified"])


def held(client, url):
    """The first answer, after checking that both validators it carries get 304."""
    first = client.get(url)
    assert first.status_code == 200, url
    by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    by_tag = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert (by_date.status_code, by_tag.status_code) == (304, 304), url
    assert by_date.content == b""
    return first


def assert_sent_again(client, url, first):
    by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    by_tag = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert (by_date.status_code, by_tag.status_code) == (200, 200), url
    assert last_modified(by_date) > last_modified(first)
    assert by_date.content != first.content
    return by_date


def soon(days):
    start = datetime.datetime.now(TOKYO) + datetime.timedelta(days=days)
    return start.replace(hour=14, minute=0, second=0, microsecond=0)


@pytest.fixture
def articles(tree):
    return [
        make_article(tree.news, slug=f"article-{day}", title=f"記事{day}", date=datetime.date(2017, 1, day))
        for day in (1, 2)
    ]


@pytest.mark.parametrize("url", ["/news/feed/", "/news/feed/atom/"])
def test_news_feeds_say_when_they_changed(client, articles, url):
    first = held(client, url)
    assert last_modified(first) >= articles[-1].last_published_at.replace(microsecond=0)

    make_article(articles[0].get_parent(), slug="article-3", date=datetime.date(2017, 1, 3))
    second = assert_sent_again(client, url, first)

    # The newest article leaves the feed: the newest remaining date goes back, Last-Modified does not.
    articles[0].get_parent().get_children().get(slug="article-3").specific.unpublish()
    assert_sent_again(client, url, second)


def test_event_feeds_say_when_they_changed(client, tree):
    make_event(tree.events, slug="first", starts_at=soon(3))
    newest = make_event(tree.events, slug="second", starts_at=soon(5), kind="training")

    for url in ["/events/feed.ics", "/events/feed.ics?type=training"]:
        held(client, url)
    first = client.get("/events/feed.ics")
    training = client.get("/events/feed.ics?type=training")
    assert last_modified(first) >= newest.last_published_at.replace(microsecond=0)

    newest.unpublish()

    assert_sent_again(client, "/events/feed.ics", first)
    assert_sent_again(client, "/events/feed.ics?type=training", training)


def test_an_unchanged_event_feed_keeps_its_date_and_body(client, tree):
    make_event(tree.events, slug="first", starts_at=soon(3))
    first = client.get("/events/feed.ics")
    make_article(tree.news)  # something else changed

    again = client.get("/events/feed.ics")

    assert (again["Last-Modified"], again["ETag"]) == (first["Last-Modified"], first["ETag"])


def test_one_events_calendar_is_dated_by_its_publication(client, tree):
    event = make_event(tree.events, slug="briefing", starts_at=soon(3))
    url = f"{event.url}calendar.ics"

    first = held(client, url)
    assert last_modified(first) >= event.last_published_at.replace(microsecond=0)

    event.title = "説明会(会場変更)"
    event.save_revision().publish()
    assert_sent_again(client, url, first)


def test_sitemap_says_when_it_changed(client, tree):
    article = make_article(tree.news, slug="notice")
    first = held(client, "/sitemap.xml")

    article.unpublish()

    assert_sent_again(client, "/sitemap.xml", first)
