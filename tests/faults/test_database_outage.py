"""The database down and back under the running site: on PostgreSQL the proxy between the app and the
database is cut, on SQLite another connection holds the database's exclusive lock. Pages answer the site's
Japanese 503 page, /readyz names the database, a registration posted meanwhile saves nothing; once the
database is back, everything works again without a restart."""

import concurrent.futures
import json
import uuid

import pytest

from tests.faults.harness import wait_until

# django_db: the suite copies the test database, which pytest-django creates only for tests that use it.
pytestmark = [pytest.mark.xdist_group("faults"), pytest.mark.django_db]

UNAVAILABLE = "ただいまご利用いただけません"


def test_pages_answer_503_while_the_database_is_down_and_everything_works_after(faulty_site):
    site = faulty_site
    event = site.content["event"]
    pages = [site.content["home"], site.content["article"], event]
    person = site.visitor()
    token = person.csrf_token(event)  # the form was open before the outage
    email = f"database-{uuid.uuid4().hex[:8]}@example.jp"
    site.redis.flush()  # nothing in the page cache: every page needs the database
    [(outbox_before,)] = site.sql("SELECT count(*) FROM projects_registration")

    with site.database.outage():
        # At once: on SQLite each waits for the lock (two seconds here) before its 503.
        with concurrent.futures.ThreadPoolExecutor(len(pages) + 1) as pool:
            asked = {path: pool.submit(site.visitor().get, path) for path in pages}
            posted = pool.submit(site.register, person, email, token)
        answers = {path: future.result() for path, future in asked.items()}
        registered = posted.result()
        ready = site.visitor().get("/readyz")
        alive = site.visitor().get("/healthz")
        if site.database.vendor == "postgresql":
            # The worker's own poll meets the outage too (on SQLite it waits for the lock by design).
            site.database.wait_for_attempt()

    for path, response in [*answers.items(), ("registration POST", registered)]:
        assert response.status == 503, (path, response.status, site.processes.log_tail())
        assert UNAVAILABLE in response.text
        assert response.header("Retry-After") == "60"
        assert "Traceback" not in response.text
    assert ready.status == 503
    # An unreachable PostgreSQL has failed; an SQLite file held by another writer is busy (home/database.py).
    expected = "failed" if site.database.vendor == "postgresql" else "busy"
    assert json.loads(ready.text)["checks"]["database"] == expected
    assert alive.status == 200
    # Nothing half-saved: no registration row for the refused POST, and none other.
    assert site.registrations(email) == 0
    assert site.sql("SELECT count(*) FROM projects_registration") == [(outbox_before,)]

    wait_until(lambda: site.visitor().get("/readyz").status == 200, 15, "/readyz to answer 200 again")
    # Everyone who waited for the database takes it at once: a page may still meet a queue of writers.
    wait_until(
        lambda: [site.visitor().get(path).status for path in pages] == [200] * len(pages),
        30,
        "every page to answer 200 again",
    )
    again = site.register(person, email)
    assert again.status == 302, again.text[:2000]
    assert site.registrations(email) == 1
    # Sent by the worker that lived through the outage.
    wait_until(lambda: site.sink.sent_to(email), 30, "the registration's email")
    assert site.processes.worker.poll() is None, site.processes.log_tail()
