"""Browser tests: Playwright drives Debian's Chromium against a live server of the demo site.

The demo (load_demo, the same tree `make run` serves) is built once for this package and served by one
live server for all of its tests; afterwards the database is put back as the migrations left it. Tests
share that site, so a test that writes (a registration, an article) takes it out again with `undo`.

Without Chromium the tests are skipped locally with the reason; under CI=true a missing Playwright,
Chromium or Japanese font stops the run at collection instead (see docs/browser-tests.md).
"""

import os
import shutil
import subprocess
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections

from tests.demo_site import SHARED_DEMO

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM") or "/usr/bin/chromium"
# Without the background-networking switches Chromium keeps dialling Google's services, which a closed
# network refuses; the sandbox needs user namespaces that containers and CI runners rarely grant.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def browser_problem():
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -r requirements-dev.txt)."
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return (
            f"no Chromium at {CHROMIUM}: install Debian's (apt-get install chromium fonts-noto-cjk) "
            "or point PLAYWRIGHT_CHROMIUM at one."
        )
    return None


def has_japanese_font():
    """Whether fontconfig knows a font covering Japanese; without one, screenshots show empty boxes."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    found = subprocess.run([fc_list, ":lang=ja", "family"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


BROWSER_PROBLEM = browser_problem()
if IN_CI:
    # In CI the browser tests are part of the proof: a runner without the browser fails, never skips.
    if BROWSER_PROBLEM is None and not has_japanese_font():
        BROWSER_PROBLEM = "no Japanese font (apt-get install fonts-noto-cjk)."
    if BROWSER_PROBLEM:
        raise pytest.UsageError(f"CI=true and the browser tests cannot run: {BROWSER_PROBLEM}")


@pytest.fixture(scope="package")
def live_url(request, django_db_setup, django_db_blocker):
    """Base URL of a live server of the demo site, built once for the package.

    pytest-django's own live_server flushes the database after every test, which would mean building
    the demo (about ten seconds) for each test; this one keeps it for the package and then restores the
    database as the migrations left it, as serialized_rollback would.
    """
    if BROWSER_PROBLEM:
        pytest.skip(f"Browser tests skipped: {BROWSER_PROBLEM}")
    from pytest_django.live_server_helper import LiveServer
    from wagtail.models import Site

    address = request.config.getvalue("liveserver") or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
    # Set up before the class-scoped shared_demo fixture: a shared demo left open by earlier tests goes first.
    SHARED_DEMO.discard(django_db_blocker)
    with django_db_blocker.unblock():
        migrated = getattr(connection, "_test_serialized_contents", None)
        if Site.objects.exists():
            migrated = migrated or connection.creation.serialize_db_to_string()
        elif migrated:
            connection.creation.deserialize_db_from_string(migrated)
        else:
            pytest.fail(
                "The test database lost the rows its migrations create (a transactional test without "
                "serialized_rollback ran first), so the demo site cannot be built on it."
            )
        call_command("load_demo", stdout=StringIO())
        server = LiveServer(address or "127.0.0.1")
        try:
            yield server.url
        finally:
            server.stop()
            # Threads still answering a request hold database connections, which would block the flush
            # on PostgreSQL and the test database's removal.
            for thread in threading.enumerate():
                if thread.name.endswith("(process_request_thread)"):
                    thread.join(timeout=10)
            call_command(
                "flush", interactive=False, verbosity=0, reset_sequences=False, inhibit_post_migrate=True
            )
            connection.creation.deserialize_db_from_string(migrated)


@pytest.fixture(scope="package")
def browser(live_url):
    """Headless Chromium for the package.

    Started after the live server and closed before it, so that no keep-alive connection keeps a server
    thread (and its database connection) alive once the server stops.
    """
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread. Django takes that for an async
    # context: it would refuse the tests' own queries, and it gives them database connections of their
    # own (per context, not per thread), which must be closed while the loop still runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        connections.close_all()
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def db(live_url):
    """For the browser tests, database access means the shared demo database, without rollback.

    Overrides pytest-django's `db`: the name alone tells pytest-django to create the test database and
    to run these tests among the other database tests, before any transactional test can flush it.
    """


@pytest.fixture
def undo(db):
    """Registers callbacks that take a test's writes out of the shared demo after the test, newest first."""
    callbacks = []
    yield callbacks.append
    for callback in reversed(callbacks):
        callback()


@pytest.fixture
def new_page(browser, live_url, db):
    """Opens pages in fresh browser contexts (no cookies, no storage) on the live demo site.

    Context options (viewport, java_script_enabled, …) pass through; relative URLs go to the live server.
    Each page records uncaught JavaScript errors in `page.js_errors`.
    """
    contexts = []

    def open_page(**options):
        options = {"viewport": DESKTOP, "locale": "ja-JP", "timezone_id": "Asia/Tokyo", **options}
        context = browser.new_context(base_url=live_url, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda error: page.js_errors.append(error))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A desktop-sized page with JavaScript on."""
    return new_page()
