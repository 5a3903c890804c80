"""Redis stopped and started again under the running site: pages are built from the database, registrations
go through and their email goes out, the log stays small, /readyz names the cache; when Redis is back, pages
are cached again without a restart."""

import json
import uuid

import pytest

from tests.faults.harness import wait_until

# django_db: the suite copies the test database, which pytest-django creates only for tests that use it.
pytestmark = [pytest.mark.xdist_group("faults"), pytest.mark.django_db]

# What one request may add to the log during the outage, averaged: its own request line and a share of one
# warning per outage window, not a traceback per failed cache call.
LOG_BYTES_PER_REQUEST = 1024


def test_pages_and_registrations_work_while_redis_is_down_and_caching_resumes_after(faulty_site):
    site = faulty_site
    pages = {site.content["home"]: None, site.content["article"]: "成果報告会を開きました"}
    pages[site.content["event"]] = "プロボノワーカー募集説明会(障害試験)"
    visitor = site.visitor()
    email = f"redis-{uuid.uuid4().hex[:8]}@example.jp"
    log = site.processes.server_log

    site.redis.stop()
    try:
        log_before, requests = log.stat().st_size, 0
        for _ in range(5):
            for path, title in pages.items():
                response = site.visitor().get(path)
                requests += 1
                assert response.status == 200, (path, site.processes.log_tail())
                assert response.header("X-Page-Cache") != "hit"
                assert title is None or title in response.text
        registered = site.register(visitor, email)
        requests += 2
        assert registered.status == 302, registered.text[:2000]
        status_page = visitor.get(registered.header("Location"))
        requests += 1
        assert status_page.status == 200
        assert "参加" in status_page.text
        ready = visitor.get("/readyz")
        requests += 1
        log_bytes = log.stat().st_size - log_before
    finally:
        site.redis.start()

    assert ready.status == 503
    assert json.loads(ready.text)["checks"] == {"database": "ok", "cache": "failed", "queue": "ok"}
    assert site.registrations(email) == 1
    wait_until(lambda: site.sink.sent_to(email), 30, "the registration's email")
    assert len(site.sink.sent_to(email)) == 1
    assert log_bytes / requests < LOG_BYTES_PER_REQUEST, (
        f"{log_bytes} bytes of log for {requests} requests during the outage:\n"
        + log.read_text(errors="replace")[log_before : log_before + 3000]
    )

    # Back: the app reconnects by itself, and pages are stored in the page cache again.
    wait_until(lambda: visitor.get("/readyz").status == 200, 15, "/readyz to answer 200 again")
    path = site.content["article"]
    site.visitor().get(path)
    assert site.visitor().get(path).header("X-Page-Cache") == "hit"
