"""「Googleカレンダーに追加」 and 「Outlookに追加」 on an upcoming event's page: plain links that fill in the
service's new-event form with what the .ics says, and never an online event's meeting URL."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.builders import TOKYO, make_event
from tests.html import soup_of

pytestmark = pytest.mark.django_db

BASE_URL = "https://hachioji-katsudo.example.jp"
GOOGLE = ("https", "calendar.google.com", "/calendar/render")
OUTLOOK = ("https", "outlook.live.com", "/calendar/0/deeplink/compose")


@pytest.fixture(autouse=True)
def public_base_url(settings):
    settings.PUBLIC_BASE_URL = BASE_URL


def next_year(month, day, hour, minute=0):
    return datetime.datetime(datetime.date.today().year + 1, month, day, hour, minute, tzinfo=TOKYO)


def calendar_links(client, event):
    soup = soup_of(client, event.url)
    found = soup.select(".add-to-calendar a")
    assert found[0].get_text(strip=True) == "カレンダーに追加(.ics)"
    assert found[0]["href"] == f"{event.url}calendar.ics"
    assert soup.find("script", src=lambda src: src and "google" in src) is None
    return {link.get_text(strip=True): link["href"] for link in found[1:]}


def parameters(url, expected_address):
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == expected_address
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=True)
    assert all(len(values) == 1 for values in query.values())
    return {name: values[0] for name, values in query.items()}


@pytest.fixture
def awkward_event(tree):
    return make_event(
        tree.events,
        title='説明会 & 交流会 "A&B" <第1回>',
        slug="awkward",
        starts_at=next_year(5, 10, 9, 30),
        ends_at=next_year(5, 10, 11, 45),
        venue="クリエイトホール 5階 & 6階",
        address="東京都八王子市東町5-6",
        description=(
            '<p>持ち物: 筆記用具 & "名札"</p><p>2行目\n改行</p>'
            '<p><a href="https://example.org/a?b=1&amp;c=2">資料</a> 100% 参加 #1 + ?</p>'
        ),
    )


def test_google_link_fills_in_the_event(client, awkward_event):
    links = calendar_links(client, awkward_event)

    google = parameters(links["Googleカレンダーに追加"], GOOGLE)
    year = next_year(1, 1, 0).year
    assert google == {
        "action": "TEMPLATE",
        "text": '説明会 & 交流会 "A&B" <第1回>',
        # 9:30–11:45 in Tokyo is 0:30–2:45 UTC.
        "dates": f"{year}0510T003000Z/{year}0510T024500Z",
        "ctz": "Asia/Tokyo",
        "details": (
            '持ち物: 筆記用具 & "名札"\n2行目\n改行\n資料 (https://example.org/a?b=1&c=2) 100% 参加 #1 + ?'
            f"\n\n詳細: {BASE_URL}/events/awkward/"
        ),
        "location": "クリエイトホール 5階 & 6階, 東京都八王子市東町5-6",
    }


def test_outlook_link_fills_in_the_event(client, awkward_event):
    links = calendar_links(client, awkward_event)

    outlook = parameters(links["Outlookに追加"], OUTLOOK)
    year = next_year(1, 1, 0).year
    assert outlook == {
        "path": "/calendar/action/compose",
        "rm": "addevent",
        "subject": '説明会 & 交流会 "A&B" <第1回>',
        "startdt": f"{year}-05-10T09:30:00+09:00",
        "enddt": f"{year}-05-10T11:45:00+09:00",
        "body": (
            '持ち物: 筆記用具 & "名札"\n2行目\n改行\n資料 (https://example.org/a?b=1&c=2) 100% 参加 #1 + ?'
            f"\n\n詳細: {BASE_URL}/events/awkward/"
        ),
        "location": "クリエイトホール 5階 & 6階, 東京都八王子市東町5-6",
    }


def test_links_say_what_the_ics_says(client, awkward_event):
    from icalendar import Calendar

    links = calendar_links(client, awkward_event)
    [vevent] = Calendar.from_ical(client.get(f"{awkward_event.url}calendar.ics").content).walk("VEVENT")
    google = parameters(links["Googleカレンダーに追加"], GOOGLE)

    assert google["text"] == str(vevent["SUMMARY"])
    assert google["details"] == str(vevent["DESCRIPTION"])
    assert google["location"] == str(vevent["LOCATION"])
    start = vevent.decoded("DTSTART").astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert google["dates"].startswith(start + "/")


def test_online_event_links_never_carry_the_meeting_url(client, tree):
    event = make_event(
        tree.events,
        slug="online",
        starts_at=next_year(6, 1, 19),
        online_url="https://meet.example.org/secret-room?pwd=abc",
        description='<p>オンラインで開きます。</p><p><a href="https://example.org/guide">接続の手引き</a></p>',
    )

    links = calendar_links(client, event)

    for service, address in [("Googleカレンダーに追加", GOOGLE), ("Outlookに追加", OUTLOOK)]:
        url = links[service]
        assert "meet.example.org" not in url and "secret-room" not in url
        query = parameters(url, address)
        assert query["location"] == "オンライン"
        details = query["details" if address == GOOGLE else "body"]
        assert details == (
            "オンラインで開きます。\n接続の手引き (https://example.org/guide)\n\n"
            "オンライン参加: 参加が確定した方に、メールとお申込み状況ページでお知らせします\n\n"
            f"詳細: {BASE_URL}/events/online/"
        )


def test_event_without_a_place_has_no_location(client, tree):
    event = make_event(tree.events, slug="no-place", starts_at=next_year(7, 1, 10), description="")

    links = calendar_links(client, event)

    google = parameters(links["Googleカレンダーに追加"], GOOGLE)
    assert "location" not in google
    assert google["details"] == f"詳細: {BASE_URL}/events/no-place/"
    assert "location" not in parameters(links["Outlookに追加"], OUTLOOK)


def test_a_long_description_is_cut_before_the_page_address(client, tree):
    event = make_event(
        tree.events, slug="long", starts_at=next_year(8, 1, 10), description=f"<p>{'説明' * 2000}</p>"
    )

    links = calendar_links(client, event)

    details = parameters(links["Googleカレンダーに追加"], GOOGLE)["details"]
    assert len(details) <= 600
    assert details.endswith(f"…(続きはイベントのページをご覧ください)\n\n詳細: {BASE_URL}/events/long/")
    assert len(links["Googleカレンダーに追加"]) < 8000


def test_past_events_offer_no_calendar_links(client, tree):
    event = make_event(tree.events, slug="past")  # 2016

    soup = soup_of(client, event.url)

    assert soup.select(".add-to-calendar") == []
    assert "Googleカレンダーに追加" not in soup.get_text()
