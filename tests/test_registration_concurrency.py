"""No overbooking under load: many people register and cancel at the same moment through the real views.

On PostgreSQL the requests run in parallel threads, each with its own database connection, so the row
lock and the unique constraint are what keep the counts right. SQLite runs one writer at a time, so
there the same requests run one after another.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from projects.models import Registration, RegistrationStatus
from projects.registration.emails import cancel_url
from tests.builders import build_catalog_tree, make_event
from tests.concurrency import run_together

# serialized_rollback: the flush after each test must not lose the home page the migrations create.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PARALLEL = 20  # connections in use at once; PostgreSQL allows 100 by default


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    # Every request comes from the test client's single address.
    settings.REGISTRATION_RATE_LIMIT = None


@pytest.fixture
def briefing():
    tree = build_catalog_tree()
    return make_event(
        tree.events,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        capacity=10,
        registration_enabled=True,
        waitlist_enabled=True,
    )


def registration_request(event, email, name="申込 太郎"):
    data = {"name": name, "email": email, "agree_privacy": "on"}
    return lambda: Client().post(event.url, data)


def counts(event):
    registrations = Registration.objects.filter(event=event)
    return {status: registrations.filter(status=status).count() for status in RegistrationStatus.values}


def test_a_hundred_simultaneous_registrations_fill_ten_seats_and_wait_the_rest(briefing):
    responses = run_together(
        [registration_request(briefing, f"person{number:03}@example.jp") for number in range(100)], PARALLEL
    )

    assert [response.status_code for response in responses] == [302] * 100
    assert counts(briefing) == {"confirmed": 10, "waitlisted": 90, "cancelled": 0}
    assert Registration.objects.filter(event=briefing).count() == 100


def test_fifty_simultaneous_attempts_with_one_email_make_one_registration(briefing):
    requests = [registration_request(briefing, "same@example.jp", f"申込 {number}") for number in range(50)]
    responses = run_together(requests, PARALLEL)

    codes = sorted(response.status_code for response in responses)
    assert codes == [200] * 49 + [302]
    refused = [response for response in responses if response.status_code == 200]
    assert all("すでにこのイベントに申し込まれています" in response.content.decode() for response in refused)
    assert Registration.objects.filter(event=briefing).count() == 1


def test_the_same_registration_sent_twenty_times_at_once_is_one_registration_and_one_email(
    briefing, mailoutbox
):
    responses = run_together([registration_request(briefing, "same@example.jp") for _ in range(20)], PARALLEL)

    locations = sorted(response["Location"] for response in responses)
    assert locations[:19] == [f"{briefing.url}received/"] * 19
    assert locations[19].startswith(f"{briefing.url}registration/")
    assert Registration.objects.filter(event=briefing).count() == 1
    assert len(mailoutbox) == 1


def test_ten_simultaneous_cancellations_promote_the_ten_oldest_waitlisted(briefing):
    for number in range(30):
        registration_request(briefing, f"person{number:03}@example.jp")()
    registrations = list(Registration.objects.filter(event=briefing).order_by("created_at", "pk"))
    confirmed, waitlisted = registrations[:10], registrations[10:]
    assert {registration.status for registration in confirmed} == {RegistrationStatus.CONFIRMED}

    links = [cancel_url(person) for person in confirmed]
    responses = run_together([lambda link=link: Client().post(link) for link in links], PARALLEL)

    assert [response.status_code for response in responses] == [200] * 10
    assert counts(briefing) == {"confirmed": 10, "waitlisted": 10, "cancelled": 10}
    promoted = set(
        Registration.objects.filter(event=briefing, status=RegistrationStatus.CONFIRMED).values_list(
            "pk", flat=True
        )
    )
    assert promoted == {person.pk for person in waitlisted[:10]}
