"""Display preferences (文字サイズ, 背景色, ふりがな): the /display/ switch stores them in cookies, and the
page cache keeps one stored page per combination, never one per visitor."""

import re

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from wagtail.rich_text import RichText

from home.display import (
    COOKIE_MAX_AGE,
    FURIGANA_COOKIE,
    SCHEME_COOKIE,
    TEXT_SIZE_COOKIE,
    Display,
)
from home.page_cache import _key
from tests.builders import make_article, make_standard_page
from tests.cdn import paths

pytestmark = pytest.mark.django_db

ALL_ON = {TEXT_SIZE_COOKIE: "large", SCHEME_COOKIE: "black", FURIGANA_COOKIE: "on"}


@pytest.fixture
def page_cache_on():
    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=True, PAGE_CACHE_SECONDS=300):
        yield
    cache.clear()


def visitor(**cookies):
    client = Client()
    for name, value in cookies.items():
        client.cookies[name] = value
    return client


def outcome(response):
    return response["X-Page-Cache"]


# The switch


def test_the_switch_stores_each_choice_for_a_year_and_goes_back(client, tree):
    response = client.get(
        "/display/", {"text_size": "large", "scheme": "blue", "furigana": "on", "next": "/news/"}
    )

    assert response.status_code == 303
    assert response["Location"] == "/news/"
    for name, value in ((TEXT_SIZE_COOKIE, "large"), (SCHEME_COOKIE, "blue"), (FURIGANA_COOKIE, "on")):
        cookie = response.cookies[name]
        assert cookie.value == value
        assert cookie["max-age"] == COOKIE_MAX_AGE
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex"


def test_only_the_choices_given_are_changed(client, tree):
    response = client.get("/display/", {"furigana": "off"})

    assert response.status_code == 303
    assert response["Location"] == "/"
    assert set(response.cookies) == {FURIGANA_COOKIE}


def test_the_choice_reaches_every_page_as_display(tree):
    response = visitor(**ALL_ON).get("/")

    assert response.status_code == 200
    assert response.context["display"] == Display(text_size="large", scheme="black", furigana=True)
    assert response.context["display"].variant == "large.black.ruby"


def test_without_cookies_the_defaults_apply(client, tree):
    display = client.get("/").context["display"]

    assert (display.text_size, display.scheme, display.furigana) == ("normal", "white", False)


@pytest.mark.parametrize(
    "cookies",
    [
        {TEXT_SIZE_COOKIE: "huge"},
        {SCHEME_COOKIE: "<script>"},
        {FURIGANA_COOKIE: "yes"},
        {TEXT_SIZE_COOKIE: "x" * 4000},
        {SCHEME_COOKIE: ""},
    ],
)
def test_unknown_cookie_values_read_as_the_defaults(tree, cookies):
    display = visitor(**cookies).get("/").context["display"]

    assert display == Display()


@pytest.mark.parametrize(
    "params",
    [
        {"text_size": "huge"},
        {"scheme": "red"},
        {"furigana": "yes"},
        {"text_size": "LARGE"},
        {"scheme": "<script>alert(1)</script>"},
        {"furigana": ""},
    ],
)
def test_an_unknown_value_gets_a_japanese_400_page_and_no_cookie(client, tree, params):
    response = client.get("/display/", params)

    assert response.status_code == 400
    text = response.content.decode()
    assert "表示の設定を変更できませんでした" in text
    assert "<script>alert(1)</script>" not in text
    assert not response.cookies
    assert response["Cache-Control"] == "no-store"


def test_oversized_or_repeated_values_are_refused(client, tree):
    assert client.get("/display/", {"text_size": "l" * 5000}).status_code == 400
    assert client.get("/display/", {"next": "/" + "a" * 2000}).status_code == 400
    assert client.get("/display/?text_size=large&text_size=small").status_code == 400
    too_long = client.get("/display/", {"text_size": "large", "junk": "x" * 3000})
    assert too_long.status_code == 400
    assert "長すぎる" in too_long.content.decode()


@pytest.mark.parametrize(
    "unsafe",
    [
        "//evil.example/",
        "https://evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        "/\\evil.example",
        "\\\\evil.example",
        "/news/\r\nSet-Cookie: a=b",
        "/%0d%0a",
        "news/",
        "///evil.example",
        " //evil.example",
    ],
)
def test_next_goes_nowhere_but_this_site(client, tree, unsafe):
    response = client.get("/display/", {"furigana": "on", "next": unsafe})

    assert response.status_code == 303
    location = response["Location"]
    assert location in ("/", "/%0d%0a")
    assert "evil" not in location
    assert "\n" not in location


def test_next_keeps_a_local_path_with_its_query(client, tree):
    response = client.get("/display/", {"scheme": "black", "next": "/projects/?category=children&page=2"})

    assert response["Location"] == "/projects/?category=children&page=2"


def test_the_switch_answers_get_only(client, tree):
    response = client.post("/display/", {"text_size": "large"})

    assert response.status_code == 405
    assert not response.cookies


def test_robots_keep_out_of_the_switch(client, tree):
    assert "Disallow: /display/" in client.get("/robots.txt").content.decode().splitlines()


# The page cache


@pytest.mark.usefixtures("page_cache_on")
def test_each_combination_is_stored_once_and_served_to_everyone_who_chose_it(tree):
    article = make_article(tree.news)
    combinations = [
        {},
        {TEXT_SIZE_COOKIE: "large"},
        {SCHEME_COOKIE: "blue"},
        {FURIGANA_COOKIE: "on"},
        ALL_ON,
    ]
    for cookies in combinations:
        assert outcome(visitor(**cookies).get(article.url)) == "miss"
    for cookies in combinations:
        # Another visitor with the same choice: the same stored page.
        assert outcome(visitor(**cookies).get(article.url)) == "hit"


@pytest.mark.usefixtures("page_cache_on")
def test_the_page_with_furigana_is_stored_apart_from_the_page_without(tree):
    page = make_standard_page(
        tree.home, body=[("paragraph", RichText("<p>八王子市由木地区の活動です。</p>"))]
    )
    plain = visitor().get(page.url)
    ruby = visitor(**{FURIGANA_COOKIE: "on"}).get(page.url)

    plain_again = visitor().get(page.url)
    ruby_again = visitor(**{FURIGANA_COOKIE: "on"}).get(page.url)

    assert (outcome(plain_again), outcome(ruby_again)) == ("hit", "hit")
    assert "<ruby>" not in plain_again.content.decode()
    assert plain_again.content == plain.content
    assert "<ruby>由木<rt>ゆぎ</rt></ruby>" in ruby_again.content.decode()
    assert ruby_again.content == ruby.content
    assert "Cookie" in ruby_again["Vary"]


@pytest.mark.usefixtures("page_cache_on")
def test_a_publish_drops_every_variant(tree):
    article = make_article(tree.news, title="高尾の説明会")
    combinations = [{}, ALL_ON, {FURIGANA_COOKIE: "on"}]
    for cookies in combinations:
        visitor(**cookies).get(article.url)
        assert outcome(visitor(**cookies).get(article.url)) == "hit"

    article.title = "浅川の説明会"
    article.save_revision().publish()

    for cookies in combinations:
        response = visitor(**cookies).get(article.url)
        assert outcome(response) == "miss"
        # Read without the ruby, which splits the words apart.
        text = re.sub(r"<rt>.*?</rt>|</?ruby>", "", response.content.decode())
        assert "浅川の説明会" in text
        assert "高尾の説明会" not in text


@pytest.mark.usefixtures("page_cache_on")
def test_random_cookie_values_share_the_default_entry_and_cannot_flood_the_cache(tree):
    article = make_article(tree.news)
    default = visitor().get(article.url)
    assert outcome(default) == "miss"

    for number in range(20):
        response = visitor(
            **{TEXT_SIZE_COOKIE: f"size{number}", SCHEME_COOKIE: f"red{number}", FURIGANA_COOKIE: str(number)}
        ).get(article.url)
        assert outcome(response) == "hit"
        assert "<ruby>" not in response.content.decode()
        assert _key(response.wsgi_request) == _key(default.wsgi_request)


@pytest.mark.usefixtures("page_cache_on")
def test_the_preference_cookies_do_not_make_a_page_personal(tree):
    article = make_article(tree.news)
    visitor(**ALL_ON).get(article.url)

    response = visitor(**ALL_ON).get(article.url)

    assert outcome(response) == "hit"
    assert not response.cookies


@pytest.mark.usefixtures("page_cache_on")
def test_the_switch_itself_is_never_stored(client, tree):
    client.get("/display/?furigana=on")

    assert client.get("/display/?furigana=on").get("X-Page-Cache") is None


@pytest.mark.usefixtures("page_cache_on")
def test_a_cdn_purge_by_address_reaches_every_variant(tree, cdn, django_capture_on_commit_callbacks):
    article = make_article(tree.news)
    for cookies in ({}, ALL_ON):
        response = visitor(**cookies).get(article.url)
        # Every variant is one address to the CDN, told to keep variants apart by the cookies.
        assert "Cookie" in response["Vary"]
        assert "s-maxage" in response["Cache-Control"]

    article.title = "活動報告を更新しました"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    assert article.url in paths(cdn)
