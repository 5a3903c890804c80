"""A database outage: public pages answer the 503 page in the site's design with Retry-After, /readyz names
the database, /healthz stays up, and everything recovers by itself when the database returns.

The database is made unreachable for real, in this process: the connection settings point at a closed
port (PostgreSQL) or a file in a directory that does not exist (SQLite), and the open connection is
closed, so the next query has to connect and fails as it would in an outage.
"""

import logging
import sqlite3
from contextlib import contextmanager

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.urls import path

from tests.builders import build_catalog_tree, make_article, make_event

# serialized_rollback: the flush after each test must not lose the home page the migrations create.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MESSAGE = "しばらくしてから、もう一度お試しください"


@contextmanager
def database_unreachable(tmp_path):
    """Make every new database connection fail until the block ends, then put the settings back."""
    original = dict(connection.settings_dict)
    keeper = None
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            # The test database lives in memory for as long as one connection to it is open; this one
            # keeps it while Django's connection is closed.
            keeper = sqlite3.connect(original["NAME"], uri=True)
        broken = {"NAME": str(tmp_path / "no-such-directory" / "db.sqlite3")}
    else:
        broken = {"HOST": "127.0.0.1", "PORT": "1"}
    connection.settings_dict.update(broken)
    connection.close()
    try:
        yield
    finally:
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
        connection.close()
        if keeper is not None:
            connection.ensure_connection()
            keeper.close()


@pytest.fixture
def pages():
    tree = build_catalog_tree()
    return {
        "home": tree.home.url,
        "event": make_event(tree.events).url,
        "article": make_article(tree.news).url,
        "catalog": tree.projects.url,
    }


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def test_public_pages_answer_503_while_the_database_is_down_and_200_when_it_returns(pages, visitor, tmp_path):
    assert visitor.get(pages["event"]).status_code == 200

    with database_unreachable(tmp_path):
        responses = {name: visitor.get(url) for name, url in pages.items()}

    for name, response in responses.items():
        assert response.status_code == 503, name
        assert response["Retry-After"] == "60"
        assert response["Cache-Control"] == "no-store"
        assert "text/html" in response["Content-Type"]
        body = response.content.decode()
        assert "Traceback" not in body and "OperationalError" not in body
    document = BeautifulSoup(responses["home"].content, "html.parser")
    assert document.select_one("h1").get_text() == "ただいまご利用いただけません"
    assert MESSAGE in document.select_one("main").get_text()
    assert document.select_one(".site-header .site-name").get_text() == "八王子市市民活動支援センター"
    assert document.select_one('link[rel="stylesheet"]')["href"] == "/static/css/site.css"

    for url in pages.values():
        assert visitor.get(url).status_code == 200


def test_pages_already_in_the_page_cache_are_still_served_while_the_database_is_down(
    pages, visitor, tmp_path, settings
):
    settings.PAGE_CACHE_ENABLED = True
    assert visitor.get(pages["article"])["X-Page-Cache"] == "miss"

    with database_unreachable(tmp_path):
        cached = visitor.get(pages["article"])
        not_cached = visitor.get(pages["event"])

    assert (cached.status_code, cached["X-Page-Cache"]) == (200, "hit")
    assert not_cached.status_code == 503
    assert not_cached["X-Page-Cache"] == "skip"  # the 503 page is never stored


def test_a_registration_posted_during_the_outage_gets_the_503_page(visitor, tmp_path, settings):
    settings.REGISTRATION_RATE_LIMIT = None
    tree = build_catalog_tree()
    event = make_event(tree.events)

    with database_unreachable(tmp_path):
        response = visitor.post(event.url, {"name": "山田 花子", "email": "hanako@example.jp"})

    assert response.status_code == 503
    assert MESSAGE in response.content.decode()


def test_the_outage_is_logged_as_one_line_without_the_address_or_a_traceback(
    pages, visitor, tmp_path, caplog
):
    with caplog.at_level(logging.INFO), database_unreachable(tmp_path):
        visitor.get(pages["event"] + "?email=hanako@example.jp")

    (record,) = [record for record in caplog.records if record.name == "cms.views"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is None
    # Django's own "Internal Server Error" line with the traceback is not written for an outage.
    assert not [other for other in caplog.records if other.name == "django.request"]
    assert not [other for other in caplog.records if other.exc_info]
    line = record.getMessage()
    assert "Database unavailable" in line and "OperationalError" in line
    assert "hanako" not in line and pages["event"] not in line


def test_a_programming_error_still_gets_the_500_page(visitor, settings):
    """Only an unreachable database means 503; any other failure stays a 500 with its traceback logged."""
    settings.ROOT_URLCONF = "tests.test_outage"
    response = visitor.get("/broken/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "エラーが発生しました" in response.content.decode()


def test_readyz_names_the_database_while_it_is_down_and_healthz_stays_up(visitor, tmp_path):
    with database_unreachable(tmp_path):
        ready = visitor.get("/readyz")
        alive = visitor.get("/healthz")

    assert ready.status_code == 503
    assert ready.json() == {
        "status": "unavailable",
        "checks": {"database": "failed", "cache": "ok", "queue": "ok"},
    }
    assert ready["Cache-Control"] == "no-store"
    assert alive.status_code == 200
    assert alive.content == b"ok\n"

    recovered = visitor.get("/readyz")
    assert recovered.status_code == 200
    assert recovered.json()["checks"] == {"database": "ok", "cache": "ok", "queue": "ok"}


def broken_view(request):
    raise ValueError("a bug, not an outage")


# The URLconf of test_a_programming_error_still_gets_the_500_page.
urlpatterns = [path("broken/", broken_view)]
handler500 = "cms.views.server_error"
