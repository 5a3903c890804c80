"""The background worker killed (SIGKILL, no chance to clean up) while it sends an email: the next worker
takes the email again and sends it, once."""

import signal
import uuid

import pytest

from tests.faults.harness import wait_until

# django_db: the suite copies the test database, which pytest-django creates only for tests that use it.
pytestmark = [pytest.mark.xdist_group("faults"), pytest.mark.django_db]


def test_an_email_whose_worker_was_killed_mid_send_is_sent_once_by_the_next_worker(faulty_site):
    site = faulty_site
    email = f"killed-worker-{uuid.uuid4().hex[:8]}@example.jp"
    site.processes.stop_worker()
    site.sink.set_blackhole(True)
    try:
        registered = site.register(site.visitor(), email)
        assert registered.status == 302, registered.text[:2000]
        connections = site.sink.connections
        site.processes.start_worker(wait=False)
        # Connected and waiting for the mail server's greeting: the email is claimed, mid-send.
        site.sink.wait_for_connection(connections)
        site.processes.stop_worker(signal.SIGKILL)
        site.sink.set_blackhole(False)
        # The next worker gives up a claim after EMAIL_CLAIM_TIMEOUT (two minutes by default; one second
        # here) and sweeps the outbox every second instead of every thirty.
        site.processes.start_worker("--sweep-interval", "1", env={"EMAIL_CLAIM_TIMEOUT": "1"})
        wait_until(lambda: site.sink.sent_to(email), 60, "the email, from the next worker")
        site.wait_for_mail_settled()
    finally:
        site.sink.set_blackhole(False)
        site.processes.stop_worker()
        site.processes.start_worker()

    assert len(site.sink.sent_to(email)) == 1
