"""Redis down: pages are built from the database and registrations still go through (every cache read
is a miss, every write is dropped, the rate limit fails open), and the outage is logged once per process,
not once per call (cms/cache.py). And Redis up: pages are kept there."""

import logging
import os
import re
import shutil
import subprocess
import time
import uuid
from contextlib import contextmanager

import pytest
import redis
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.test import Client, override_settings

from cms.cache import redis_cache
from projects.models import Registration
from tests.builders import make_article, upcoming_event
from tests.logs import console_output, json_lines
from tests.network import closed_port

pytestmark = pytest.mark.django_db

IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 9

OUTAGE_WARNING = (
    "Cache unreachable (ConnectionError): pages are built from the database; "
    "further failures are counted until it answers again"
)


def heading(response):
    return BeautifulSoup(response.content, "html.parser").select_one("h1").get_text(strip=True)


def site_redis(port):
    """The cache cms/settings/base.py configures for REDIS_URL=redis://127.0.0.1:<port>/0."""
    return {"default": redis_cache(f"redis://127.0.0.1:{port}/0", key_prefix=f"test-{uuid.uuid4().hex}")}


@pytest.fixture
def redis_down():
    """The site's Redis on a port nobody listens on; each test's port is new, so is its outage record."""
    with override_settings(CACHES=site_redis(closed_port()), PAGE_CACHE_ENABLED=True):
        # The settings change replaced the cache handlers: this is the unreachable Redis.
        assert type(caches["default"]).__module__ == "cms.cache"
        yield


@contextmanager
def production_log():
    """What the console handler writes at production's level and format (INFO, JSON lines)."""
    with console_output("json", level=logging.INFO) as output:
        yield output


def cache_lines(output):
    return [(line["level"], line["message"]) for line in json_lines(output) if line["logger"] == "cms.cache"]


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
def pages(catalog, tree):
    """Pages of every kind, published before the outage begins."""
    event = upcoming_event(tree)
    article = make_article(tree.news)
    return {"event": event.url, "urls": ["/", "/projects/", event.url, article.url, catalog["takao-sns"].url]}


def test_an_outage_is_logged_once_without_a_traceback_and_under_a_kilobyte_a_request(
    pages, redis_down, mailoutbox
):
    urls = [*pages["urls"], "/sitemap/"] * 2
    visitor = Client()

    with production_log() as output:
        responses = [visitor.get(url) for url in urls]
        registration = visitor.post(
            pages["event"], {"name": "山田 花子", "email": "hanako@example.jp", "agree_privacy": "on"}
        )

    assert [response.status_code for response in responses] == [200] * len(urls)
    assert registration.status_code == 302 and len(mailoutbox) == 1
    assert cache_lines(output) == [("WARNING", OUTAGE_WARNING)]
    lines = json_lines(output)
    assert not [line for line in lines if "exc_info" in line or line["level"] in {"ERROR", "CRITICAL"}]
    requests = len(urls) + 1
    assert len([line for line in lines if line["logger"] == "cms.request"]) == requests
    assert len(output.getvalue().encode()) / requests < 1024


@contextmanager
def redis_server(port):
    """A Redis of this test's own on `port`, stopped at the end of the block."""
    binary = shutil.which("redis-server")
    if binary is None:
        if IN_CI:
            pytest.fail("CI=true and no redis-server on PATH")
        pytest.skip("no redis-server on PATH")
    options = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen([binary, *options], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_cache_answering_again_is_logged_once_and_a_new_outage_warns_again(tree):
    port = closed_port()
    article = make_article(tree.news)
    visitor = Client()

    with override_settings(CACHES=site_redis(port), PAGE_CACHE_ENABLED=True), production_log() as output:
        down = [visitor.get(article.url).get("X-Page-Cache") for _ in range(2)]
        with redis_server(port):
            back = [visitor.get(article.url).get("X-Page-Cache") for _ in range(2)]
        down_again = visitor.get(article.url).get("X-Page-Cache")

    # Without the cache the page cache is not even consulted (no content version to check against).
    assert (down, back, down_again) == ([None, None], ["miss", "hit"], None)
    (warning, recovery, second_warning) = cache_lines(output)
    assert warning == second_warning == ("WARNING", OUTAGE_WARNING)
    level, message = recovery
    counted = re.fullmatch(r"Cache back after (\d+) failures", message)
    assert level == "INFO" and counted and int(counted[1]) >= 2


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
