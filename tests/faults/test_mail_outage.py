"""A mail server that accepts connections and never answers: registrations and pages answer as usual,
because no request opens an SMTP connection (the background worker sends the emails); the worker waits on
the hung server without holding up any page; once the server answers, each registration's email goes out
exactly once."""

import uuid

import pytest

from tests.faults.harness import wait_until

# django_db: the suite copies the test database, which pytest-django creates only for tests that use it.
pytestmark = [pytest.mark.xdist_group("faults"), pytest.mark.django_db]


def test_registrations_answer_while_the_mail_server_hangs_and_each_email_goes_out_once_after(faulty_site):
    site = faulty_site
    emails = [f"hung-mail-{uuid.uuid4().hex[:8]}@example.jp" for _ in range(3)]
    # With the worker stopped, any connection to the mail server while the requests run is a request's own.
    site.processes.stop_worker()
    site.sink.set_blackhole(True)
    try:
        connections = site.sink.connections
        for email in emails:
            person = site.visitor()
            registered = site.register(person, email)
            assert registered.status == 302, (registered.text[:2000], site.processes.log_tail())
            assert person.get(registered.header("Location")).status == 200
            assert site.visitor().get(site.content["article"]).status == 200
        assert site.sink.connections == connections, "a request opened an SMTP connection"
        assert [site.registrations(email) for email in emails] == [1, 1, 1]

        # The worker takes the first email and hangs on the mail server; the site keeps answering.
        site.processes.start_worker(wait=False)
        site.sink.wait_for_connection(connections)
        assert site.visitor().get(site.content["event"]).status == 200
        assert not any(site.sink.sent_to(email) for email in emails)
    finally:
        site.sink.set_blackhole(False)
        if site.processes.worker is None:
            site.processes.start_worker()

    wait_until(lambda: all(site.sink.sent_to(email) for email in emails), 60, "every registration's email")
    site.wait_for_mail_settled()
    assert [len(site.sink.sent_to(email)) for email in emails] == [1, 1, 1], site.processes.log_tail()
