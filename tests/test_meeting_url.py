"""An online or hybrid event's meeting URL goes only to people whose seat is confirmed: in their emails,
their calendar file and on their status page. The public event page, the calendar feeds, the JSON-LD, the
listings and search say only that the event is online."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from icalendar import Calendar

from projects.models import RegistrationStatus
from projects.registration.emails import send_reminder, status_url
from projects.registration.services import cancel, register
from tests.builders import upcoming_event
from tests.html import parse, soup_of

pytestmark = pytest.mark.django_db

MEETING_URL = "https://meet.example.org/probono-secret-room"
SECRET = "probono-secret-room"


@pytest.fixture
def hybrid(tree):
    return upcoming_event(
        tree,
        title="プロボノ説明会(オンライン併用)",
        venue="八王子市市民活動支援センター",
        online_url=MEETING_URL,
        capacity=1,
        waitlist_enabled=True,
    )


def details(name, email):
    return {"name": name, "name_kana": "", "email": email, "phone": "", "note": ""}


def sign_up(event, name="八王子 花子", email="hanako@example.jp"):
    mail.outbox.clear()
    return register(event, details(name, email))


def last_email():
    message = mail.outbox[-1]
    html = message.alternatives[0][0]
    calendars = [content for _, content, mimetype in message.attachments if mimetype == "text/calendar"]
    return message.body, html, calendars


def calendar_text(content):
    return "".join(
        str(vevent.get("DESCRIPTION", "")) + str(vevent.get("LOCATION", ""))
        for vevent in Calendar.from_ical(content).walk("VEVENT")
    )


# What everyone sees


def test_the_public_event_page_says_the_url_goes_to_confirmed_registrants(client, hybrid):
    response = client.get(hybrid.url)

    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    facts = {div.dt.get_text(): div.dd.get_text(strip=True) for div in parse(response).select(".facts div")}
    assert "参加が確定した方にメールとお申込み状況ページでお知らせします" in facts["オンライン参加"]


def test_the_json_ld_points_to_the_event_page_not_the_meeting(client, hybrid):
    script = soup_of(client, hybrid.url).find(
        "script", type="application/ld+json", string=lambda text: '"Event"' in text
    )

    assert SECRET not in script.string
    assert f'"url": "http://testserver{hybrid.url}"' in script.string


@pytest.mark.parametrize("path", ["/events/briefing-upcoming/calendar.ics", "/events/feed.ics"])
def test_the_public_calendar_files_leave_the_meeting_url_out(client, hybrid, path):
    response = client.get(path)

    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    assert "参加が確定した方に" in calendar_text(response.content)


def test_listings_the_sitemap_and_search_never_show_it(client, hybrid):
    for url in ("/", "/events/", "/sitemap/", "/search/?q=説明会"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url
    assert soup_of(client, "/search/?q=説明会").find("a", href=hybrid.url) is not None

    # The URL is not indexed: searching for it does not find the event.
    assert soup_of(client, f"/search/?q={SECRET}").find("a", href=hybrid.url) is None


# What each registrant gets


def test_a_confirmed_registrant_gets_the_url_in_the_email_the_calendar_file_and_the_status_page(
    client, hybrid
):
    registration = sign_up(hybrid)
    assert registration.status == RegistrationStatus.CONFIRMED

    body, html, [calendar] = last_email()

    assert f"オンライン参加:{MEETING_URL}" in body
    assert BeautifulSoup(html, "html.parser").find("a", href=MEETING_URL) is not None
    assert MEETING_URL in calendar_text(calendar)
    status = soup_of(client, status_url(registration))
    assert status.select_one(f'.facts a[href="{MEETING_URL}"]') is not None


def test_the_reminder_carries_the_url_too(hybrid):
    registration = sign_up(hybrid)
    mail.outbox.clear()

    send_reminder(registration)

    body, _, [calendar] = last_email()
    assert MEETING_URL in body and MEETING_URL in calendar_text(calendar)


def test_a_waitlisted_registrant_gets_no_url_until_promoted(client, hybrid):
    first = sign_up(hybrid)
    waiting = sign_up(hybrid, name="由木 太郎", email="taro@example.jp")
    assert waiting.status == RegistrationStatus.WAITLISTED

    body, html, [calendar] = last_email()
    assert SECRET not in body and SECRET not in html and SECRET not in calendar_text(calendar)
    assert "参加URLは、参加が確定しましたらメールでお知らせします。" in body
    status = client.get(status_url(waiting))
    assert SECRET not in status.content.decode()
    assert "参加が確定しましたら" in parse(status).select_one(".facts").get_text()

    mail.outbox.clear()
    cancel(first)

    promoted = [message for message in mail.outbox if message.to == ["taro@example.jp"]]
    assert len(promoted) == 1 and "繰り上げ" in promoted[0].body
    assert f"オンライン参加:{MEETING_URL}" in promoted[0].body
    assert MEETING_URL in client.get(status_url(waiting)).content.decode()


def test_a_cancelled_registration_sees_the_url_no_more(client, hybrid):
    registration = sign_up(hybrid)
    mail.outbox.clear()

    cancel(registration)

    cancelled = [message for message in mail.outbox if message.to == ["hanako@example.jp"]]
    assert cancelled and all(SECRET not in message.body for message in cancelled)
    assert SECRET not in client.get(status_url(registration)).content.decode()


def test_an_event_with_no_meeting_url_says_nothing_about_one(client, tree):
    event = upcoming_event(tree, slug="offline", venue="クリエイトホール")
    registration = sign_up(event)

    body, _, _ = last_email()
    assert "オンライン参加" not in body
    assert "オンライン参加" not in soup_of(client, event.url).select_one(".facts").get_text()
    assert "オンライン参加" not in soup_of(client, status_url(registration)).select_one(".facts").get_text()
