"""Redis down: pages are built from the database and registrations still go through (every cache read
is a miss, every write is dropped, the rate limit fails open). And Redis up: pages are kept there."""

import os
import uuid

import pytest
import redis
from bs4 import BeautifulSoup
from django.core.cache import cache, caches
from django.test import Client, override_settings

from projects.models import Registration
from tests.builders import make_article, upcoming_event

pytestmark = pytest.mark.django_db

IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 9

# The options cms/settings/base.py gives Redis when REDIS_URL is set, on a port nobody listens on.
REDIS_DOWN = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
    }
}


def heading(response):
    return BeautifulSoup(response.content, "html.parser").select_one("h1").get_text(strip=True)


@pytest.fixture
def redis_down():
    with override_settings(CACHES=REDIS_DOWN, PAGE_CACHE_ENABLED=True):
        # The settings change replaced the cache handlers: this is the unreachable Redis, failing quietly.
        assert type(caches["default"]).__name__ == "RedisCache"
        cache.set("probe", "value")
        assert cache.get("probe") is None
        yield


def test_pages_are_built_from_the_database_while_redis_is_down(client, catalog, tree, redis_down):
    event = upcoming_event(tree)
    article = make_article(tree.news)
    pages = {
        "/": None,
        "/projects/": "プロジェクト一覧",
        event.url: event.title,
        article.url: article.title,
        catalog["takao-sns"].url: "高尾のSNS発信",
    }

    for url, title in pages.items():
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.get("X-Page-Cache") != "hit"
            if title:
                assert heading(response) == title


def test_a_registration_goes_through_while_redis_is_down(tree, mailoutbox, redis_down):
    event = upcoming_event(tree)
    visitor = Client()
    before = BeautifulSoup(visitor.get(event.url).content, "html.parser").select_one(".seats").get_text()

    response = visitor.post(
        event.url, {"name": "山田 花子", "email": "hanako@example.jp", "agree_privacy": "on"}
    )

    assert response.status_code == 302
    assert visitor.get(response["Location"]).status_code == 200
    assert Registration.objects.filter(event=event).count() == 1
    after = BeautifulSoup(visitor.get(event.url).content, "html.parser").select_one(".seats").get_text()
    assert (before, after) == ("残り10席", "残り9席")
    assert len(mailoutbox) == 1


@pytest.fixture
def real_redis():
    """The Redis at 127.0.0.1:6379, in a database and key prefix of this test's own."""
    try:
        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_connect_timeout=0.5).ping()
    except redis.RedisError as error:
        message = f"no Redis at {REDIS_HOST}:{REDIS_PORT} ({error})"
        if IN_CI:
            pytest.fail(f"CI=true and {message}")
        pytest.skip(message)
    prefix = f"test-{uuid.uuid4().hex}"
    settings = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
            "KEY_PREFIX": prefix,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    server = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB)
    try:
        with override_settings(CACHES=settings, PAGE_CACHE_ENABLED=True):
            yield server, prefix
    finally:
        # Every key of this test, whatever its cache version.
        keys = list(server.scan_iter(f"{prefix}:*"))
        if keys:
            server.delete(*keys)


def test_pages_are_kept_in_redis(client, tree, real_redis):
    server, prefix = real_redis
    article = make_article(tree.news)

    first = client.get(article.url)
    second = client.get(article.url)

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert heading(second) == article.title
    assert server.keys(f"{prefix}:*")
