"""Events in calendar apps and search engines: calendar.ics, the feeds by type and program, the past events
listing, JSON-LD."""

import datetime
import json
import zoneinfo

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from projects.models import EventKind, Program, Registration, RegistrationStatus
from tests.builders import TOKYO, make_event, make_organization, make_project
from tests.html import soup_of

pytestmark = pytest.mark.django_db

BASE_URL = "https://hachioji-katsudo.example.jp"


@pytest.fixture(autouse=True)
def public_base_url(settings):
    settings.PUBLIC_BASE_URL = BASE_URL


def days_from_now(days, hour=14):
    day = datetime.datetime.now(TOKYO) + datetime.timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def get_calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, Calendar.from_ical(response.content)


def summaries(calendar):
    return [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]


def card_titles(soup, section=None):
    scope = soup.find(id=section).find_parent("section") if section else soup.find("main")
    return [card.find(class_="card__title").get_text(strip=True) for card in scope.select(".event-card")]


def render_jsonld(event):
    return Template("{% load event_tags %}{% event_jsonld page %}").render(Context({"page": event}))


def jsonld_of(event):
    soup = BeautifulSoup(render_jsonld(event), "html.parser")
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


# ---------- One event's calendar.ics ----------


def test_event_calendar_has_the_event_in_tokyo_time(client, tree):
    event = make_event(
        tree.events,
        venue="クリエイトホール 第1学習室",
        address="東京都八王子市東町5-6",
        description=(
            "<p>プロボノの<b>進め方</b>を説明します。</p><ul><li>持ち物: 筆記用具</li></ul><p>A &amp; B</p>"
        ),
    )

    response, calendar = get_calendar(client, f"/events/{event.slug}/calendar.ics")

    assert response["Content-Disposition"] == 'attachment; filename="briefing-2016-09-25.ics"'
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "八王子市市民活動支援センター" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "プロボノワーカー募集説明会(第1回)"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Tokyo"
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "プロボノワーカー募集説明会(第1回)"
    assert str(vevent["UID"]) == f"event-{event.pk}@hachioji-katsudo.example.jp"
    start = vevent.decoded("DTSTART")
    assert start == datetime.datetime(2016, 9, 25, 14, 0, tzinfo=TOKYO)
    assert (start.hour, start.minute, start.tzinfo) == (14, 0, zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert vevent.decoded("DTEND") == datetime.datetime(2016, 9, 25, 16, 0, tzinfo=TOKYO)
    assert b"DTSTART;TZID=Asia/Tokyo:20160925T140000" in response.content
    assert str(vevent["LOCATION"]) == "クリエイトホール 第1学習室, 東京都八王子市東町5-6"
    page_url = f"{BASE_URL}/events/briefing-2016-09-25/"
    assert str(vevent["URL"]) == page_url
    description = str(vevent["DESCRIPTION"])
    assert "プロボノの進め方を説明します。\n・持ち物: 筆記用具\nA & B" in description
    assert "<" not in description
    assert description.endswith(page_url)
    assert vevent.decoded("LAST-MODIFIED") == event.last_published_at.replace(microsecond=0)
    [vtimezone] = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Asia/Tokyo"
    assert response.content.index(b"BEGIN:VTIMEZONE") < response.content.index(b"BEGIN:VEVENT")


def test_online_event_calendar_says_online_but_keeps_the_meeting_url_for_confirmed_registrants(client, tree):
    make_event(tree.events, slug="online-briefing", online_url="https://meet.example.org/briefing")

    response, calendar = get_calendar(client, "/events/online-briefing/calendar.ics")

    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["LOCATION"]) == "オンライン"
    assert "オンライン参加: 参加が確定した方に、メールとお申込み状況ページでお知らせします" in str(
        vevent["DESCRIPTION"]
    )
    assert b"meet.example.org" not in response.content


def test_event_without_optional_fields_still_downloads(client, tree):
    make_event(tree.events, slug="bare-event", description="")

    _, calendar = get_calendar(client, "/events/bare-event/calendar.ics")

    [vevent] = calendar.walk("VEVENT")
    assert "LOCATION" not in vevent
    assert str(vevent["DESCRIPTION"]) == f"詳細: {BASE_URL}/events/bare-event/"


# ---------- The feed ----------


def test_feed_lists_upcoming_live_events_soonest_first(client, tree):
    make_event(tree.events, title="終わった説明会", slug="past")
    make_event(tree.events, title="来月の研修", slug="next-month", starts_at=days_from_now(30))
    make_event(tree.events, title="来週の説明会", slug="next-week", starts_at=days_from_now(7))
    make_event(tree.events, title="明日の報告会", slug="tomorrow", starts_at=days_from_now(1))
    draft = make_event(tree.events, title="下書きのイベント", slug="draft", starts_at=days_from_now(3))
    draft.unpublish()

    response, calendar = get_calendar(client, "/events/feed.ics")

    assert response["Content-Disposition"] == 'inline; filename="events.ics"'
    assert str(calendar["X-WR-CALNAME"]) == "八王子市市民活動支援センターのイベント"
    assert summaries(calendar) == ["明日の報告会", "来週の説明会", "来月の研修"]
    assert len(calendar.walk("VTIMEZONE")) == 1


def test_empty_feed_is_a_valid_calendar(client, tree):
    _, calendar = get_calendar(client, "/events/feed.ics")
    assert summaries(calendar) == []


def test_unpublished_event_appears_nowhere(client, tree):
    make_event(tree.events, title="公開中の説明会", slug="live-upcoming", starts_at=days_from_now(5))
    make_event(tree.events, title="公開中の終了イベント", slug="live-past")
    upcoming_draft = make_event(
        tree.events, title="非公開の説明会", slug="draft-upcoming", starts_at=days_from_now(6)
    )
    past_draft = make_event(tree.events, title="非公開の終了イベント", slug="draft-past")
    upcoming_draft.unpublish()
    past_draft.unpublish()

    assert client.get("/events/draft-upcoming/calendar.ics").status_code == 404
    _, calendar = get_calendar(client, "/events/feed.ics")
    assert summaries(calendar) == ["公開中の説明会"]
    index = soup_of(client, "/events/")
    assert card_titles(index) == ["公開中の説明会", "公開中の終了イベント"]
    past = soup_of(client, "/events/past/")
    assert card_titles(past) == ["公開中の終了イベント"]
    assert "非公開" not in str(index) + str(past)


# ---------- The index and the past events ----------


def test_index_shows_upcoming_events_and_three_latest_past_ones(client, tree):
    make_event(tree.events, title="来週の説明会", slug="next-week", starts_at=days_from_now(7))
    make_event(tree.events, title="明日の報告会", slug="tomorrow", starts_at=days_from_now(1))
    for month in range(1, 6):
        make_event(
            tree.events,
            title=f"2017年{month}月の研修",
            slug=f"training-2017-{month:02d}",
            starts_at=datetime.datetime(2017, month, 10, 19, 0, tzinfo=TOKYO),
        )

    soup = soup_of(client, "/events/")

    assert card_titles(soup, "upcoming-heading") == ["明日の報告会", "来週の説明会"]
    assert card_titles(soup, "past-heading") == ["2017年5月の研修", "2017年4月の研修", "2017年3月の研修"]
    assert soup.find("a", string="終了したイベントをすべて見る")["href"] == "/events/past/"
    assert soup.find("a", string="カレンダーアプリに登録(iCalendar)")["href"] == "/events/feed.ics"
    alternate = soup.find("link", rel="alternate", type="text/calendar")
    assert alternate["href"] == "/events/feed.ics"


def test_index_without_events_says_so(client, tree):
    soup = soup_of(client, "/events/")

    assert "現在、開催予定のイベントはありません。" in soup.find("main").get_text()
    assert soup.find(id="past-heading") is None
    assert soup.find("a", string="カレンダーアプリに登録(iCalendar)")["href"] == "/events/feed.ics"


@pytest.fixture
def thirteen_past_events(tree):
    start = datetime.datetime(2016, 1, 16, 14, 0, tzinfo=TOKYO)
    return [
        make_event(
            tree.events,
            title=f"説明会 第{number}回",
            slug=f"briefing-{number:02d}",
            starts_at=start + datetime.timedelta(weeks=number),
        )
        for number in range(1, 14)
    ]


def test_past_events_are_paginated_newest_first(client, thirteen_past_events):
    first = soup_of(client, "/events/past/")
    second = soup_of(client, "/events/past/?page=2")

    assert card_titles(first) == [f"説明会 第{number}回" for number in range(13, 1, -1)]
    assert card_titles(second) == ["説明会 第1回"]
    assert first.find("h1").get_text(strip=True) == "終了したイベント"
    assert first.find("a", rel="next")["href"] == "?page=2"
    assert first.find("a", string="開催予定のイベントを見る")["href"] == "/events/"
    crumbs = [item.get_text(strip=True) for item in first.select(".breadcrumbs li")]
    assert crumbs == ["ホーム", "イベント", "終了したイベント"]


@pytest.mark.parametrize(("query", "expected_count"), [("abc", 12), ("999", 1), ("-1", 12), ("", 12)])
def test_past_events_with_odd_page_numbers_never_fail(client, thirteen_past_events, query, expected_count):
    # Redirected once to a page that exists (home/pagination.py).
    response = client.get(f"/events/past/?page={query}", follow=True)
    assert response.status_code == 200 and len(response.redirect_chain) == 1
    assert len(card_titles(BeautifulSoup(response.content, "html.parser"))) == expected_count


def test_past_events_page_without_events_says_so(client, tree):
    make_event(tree.events, title="来週の説明会", slug="next-week", starts_at=days_from_now(7))

    soup = soup_of(client, "/events/past/")

    assert card_titles(soup) == []
    assert "終了したイベントはまだありません。" in soup.find("main").get_text()


# ---------- JSON-LD ----------


def test_event_jsonld_describes_the_event(tree):
    event = make_event(
        tree.events,
        venue="クリエイトホール",
        address="東京都八王子市東町5-6",
        capacity=3,
        description="<p>プロボノの<b>進め方</b>を説明します。</p>",
    )
    Registration.objects.create(event=event, name="八王子 花子", email="hanako@example.org")
    Registration.objects.create(
        event=event, name="高尾 太郎", email="taro@example.org", status=RegistrationStatus.CANCELLED
    )

    data = jsonld_of(event)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "プロボノワーカー募集説明会(第1回)"
    assert data["startDate"] == "2016-09-25T14:00:00+09:00"
    assert data["endDate"] == "2016-09-25T16:00:00+09:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "クリエイトホール",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": "東京都八王子市東町5-6",
            "addressCountry": "JP",
        },
    }
    assert data["description"] == "プロボノの進め方を説明します。"
    assert data["url"] == f"{BASE_URL}/events/briefing-2016-09-25/"
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "八王子市市民活動支援センター",
        "url": BASE_URL,
    }
    assert data["maximumAttendeeCapacity"] == 3
    assert data["remainingAttendeeCapacity"] == 2
    assert "offers" not in data  # the event took no registrations on the site
    # Japanese stays readable in the page source.
    assert "クリエイトホール" in render_jsonld(event)


def test_an_open_registration_is_a_free_offer_in_stock(tree):
    event = make_event(
        tree.events,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        capacity=3,
        registration_enabled=True,
    )

    offer = jsonld_of(event)["offers"]

    assert (offer["price"], offer["priceCurrency"]) == (0, "JPY")
    assert offer["availability"] == "https://schema.org/InStock"


def test_full_event_is_sold_out(tree):
    event = make_event(
        tree.events,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        capacity=1,
        registration_enabled=True,
    )
    Registration.objects.create(event=event, name="八王子 花子", email="hanako@example.org")

    data = jsonld_of(event)

    assert data["remainingAttendeeCapacity"] == 0
    assert data["offers"]["availability"] == "https://schema.org/SoldOut"


def test_event_without_capacity_has_no_offer(tree):
    data = jsonld_of(make_event(tree.events))

    assert "offers" not in data
    assert "maximumAttendeeCapacity" not in data
    assert "remainingAttendeeCapacity" not in data
    assert "description" not in data


def test_online_and_mixed_events_have_virtual_locations(tree):
    online = make_event(tree.events, slug="online", online_url="https://meet.example.org/a")
    mixed = make_event(
        tree.events, slug="mixed", venue="クリエイトホール", online_url="https://meet.example.org/b"
    )

    online_data, mixed_data = jsonld_of(online), jsonld_of(mixed)

    assert online_data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    # The meeting URL goes only to confirmed registrants: the virtual location is the event's page.
    assert online_data["location"] == {"@type": "VirtualLocation", "url": f"{BASE_URL}/events/online/"}
    assert mixed_data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert mixed_data["location"] == [
        {"@type": "Place", "name": "クリエイトホール"},
        {"@type": "VirtualLocation", "url": f"{BASE_URL}/events/mixed/"},
    ]


@pytest.mark.parametrize(
    "description",
    [
        "<p>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>",
        "<p>&lt;/SCRIPT&gt;&lt;!-- &lt;script&gt;alert(1)&lt;/script&gt;</p>",
    ],
)
def test_description_cannot_break_out_of_the_jsonld_script(tree, description):
    event = make_event(tree.events, title="</script><script>alert(2)</script>", description=description)

    rendered = render_jsonld(event)

    assert rendered.lower().count("<script") == 1
    assert rendered.lower().count("</script") == 1
    assert rendered.endswith("</script>")
    assert "<!--" not in rendered
    data = jsonld_of(event)
    assert "alert(1)</script>" in data["description"]
    assert data["name"] == "</script><script>alert(2)</script>"


def test_calendar_description_keeps_script_text_as_plain_text(client, tree):
    make_event(
        tree.events, description="<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><script>alert(3)</script>"
    )

    _, calendar = get_calendar(client, "/events/briefing-2016-09-25/calendar.ics")

    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["DESCRIPTION"]).startswith("<script>alert(1)</script>\n")


# ---------- Feeds narrowed by type and program ----------


@pytest.fixture
def programs(tree):
    """Events of several kinds, linked to projects of two programs; one link goes to a private project."""
    banso = Program.objects.create(name="伴走支援", slug="banso", sort_order=2)
    probono = Program.objects.create(name="プロボノ@八王子", slug="probono", sort_order=1)
    organization = make_organization(tree.organizations)
    banso_project = make_project(tree.projects, organization, slug="banso-project", programs=[banso])
    probono_project = make_project(tree.projects, organization, slug="probono-project", programs=[probono])
    hidden = make_project(tree.projects, organization, slug="hidden-project", programs=[banso])
    PageViewRestriction.objects.create(page=hidden, restriction_type="password", password="x")

    def event(title, slug, days, kind, projects=()):
        page = make_event(tree.events, title=title, slug=slug, kind=kind, starts_at=days_from_now(days))
        for project in projects:
            page.related_projects.create(project=project)
        page.save_revision().publish()
        return page

    event("伴走支援の説明会", "banso-briefing", 1, EventKind.BRIEFING, [banso_project])
    event("プロボノの説明会", "probono-briefing", 2, EventKind.BRIEFING, [probono_project])
    event("伴走支援の研修", "banso-training", 3, EventKind.TRAINING, [banso_project, probono_project])
    event("非公開プロジェクトの説明会", "hidden-briefing", 4, EventKind.BRIEFING, [hidden])
    event("報告会", "report", 5, EventKind.REPORT)
    return {"banso": banso, "probono": probono}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            [
                "伴走支援の説明会",
                "プロボノの説明会",
                "伴走支援の研修",
                "非公開プロジェクトの説明会",
                "報告会",
            ],
        ),
        ("?type=briefing", ["伴走支援の説明会", "プロボノの説明会", "非公開プロジェクトの説明会"]),
        (
            "?type=briefing&type=report",
            ["伴走支援の説明会", "プロボノの説明会", "非公開プロジェクトの説明会", "報告会"],
        ),
        ("?program=banso", ["伴走支援の説明会", "伴走支援の研修"]),
        ("?program=banso&program=probono", ["伴走支援の説明会", "プロボノの説明会", "伴走支援の研修"]),
        ("?program=banso&type=training", ["伴走支援の研修"]),
        ("?program=probono&type=report", []),
        (
            "?type=briefing&type=briefing&type=",
            ["伴走支援の説明会", "プロボノの説明会", "非公開プロジェクトの説明会"],
        ),
        ("?type=%20training%20&utm_source=mail", ["伴走支援の研修"]),
    ],
)
def test_feed_narrows_by_type_and_program(client, programs, query, expected):
    _, calendar = get_calendar(client, f"/events/feed.ics{query}")
    assert summaries(calendar) == expected


def test_feed_name_says_what_it_holds(client, programs):
    _, calendar = get_calendar(client, "/events/feed.ics?program=banso&type=training&type=briefing")

    assert str(calendar["X-WR-CALNAME"]) == "八王子市市民活動支援センターのイベント(説明会・研修・伴走支援)"


def test_program_feed_never_names_a_private_projects_event(client, programs):
    response, calendar = get_calendar(client, "/events/feed.ics?program=banso")

    assert "非公開" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("type=seminar", "「type」に「seminar」はありません。指定できる値: briefing, training"),
        (
            "program=no-such-program",
            "「program」に「no-such-program」はありません。指定できる値: probono, banso",
        ),
        ("program=banso&type=BRIEFING", "「type」に「BRIEFING」はありません。"),
        ("type=" + "x" * 10_000, "「type」の値が長すぎるか、使えない文字"),
        ("program=banso%00", "「program」の値が長すぎるか、使えない文字"),
        ("type=brie%0Afing", "「type」の値が長すぎるか、使えない文字"),
        ("type=%E2%80%AEbriefing", "「type」の値が長すぎるか、使えない文字"),
        ("&".join(["type=briefing"] * 100), "「type」の指定が多すぎます(20個まで)。"),
        ("&".join(["program=banso"] * 21), "「program」の指定が多すぎます(20個まで)。"),
        ("type=%3Cscript%3Ealert(1)%3C/script%3E", "「type」に「<script>alert(1)</script>」はありません。"),
        ("program=%27%20OR%201%3D1%20--", "「program」に「' OR 1=1 --」はありません。"),
        ("type=%FF%FE", "「type」に"),
    ],
)
def test_a_feed_address_that_names_nothing_is_refused_in_japanese(client, programs, query, message):
    response = client.get(f"/events/feed.ics?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("カレンダーの配信アドレスが正しくありません。\n")
    assert message in text
    assert f"イベント一覧({BASE_URL}/events/)" in text
    assert len(text) < 1000


def test_feed_reads_a_fixed_number_of_queries(client, tree, django_assert_max_num_queries):
    program = Program.objects.create(name="伴走支援", slug="banso")
    organization = make_organization(tree.organizations)

    def add_events(count, offset):
        for number in range(offset, offset + count):
            project = make_project(tree.projects, organization, slug=f"p-{number}", programs=[program])
            page = make_event(
                tree.events,
                slug=f"e-{number}",
                starts_at=days_from_now(number + 1),
                description=f'<p><a linktype="page" id="{project.pk}">プロジェクト</a>の説明会です。</p>',
            )
            page.related_projects.create(project=project)
            page.save_revision().publish()

    def queries(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), len(Calendar.from_ical(response.content).walk("VEVENT"))

    add_events(2, 0)
    small = queries("/events/feed.ics?program=banso&type=briefing")
    add_events(10, 2)
    large = queries("/events/feed.ics?program=banso&type=briefing")

    assert (small[1], large[1]) == (2, 12)
    assert large[0] == small[0]
    assert small[0] <= 15


def test_index_offers_a_feed_for_every_type_and_program(client, programs):
    soup = soup_of(client, "/events/")

    section = soup.find(id="calendar-feeds-heading").find_parent("section")
    assert section.find("h2").get_text(strip=True) == "カレンダーに登録"
    items = {
        item.find(class_="calendar-feeds__label").get_text(strip=True): (
            item.find("a")["href"],
            item.find("code").get_text(strip=True),
        )
        for item in section.select(".calendar-feeds__item")
    }
    assert list(items) == ["すべてのイベント", *EventKind.labels, "プロボノ@八王子", "伴走支援"]
    assert items["すべてのイベント"] == (
        "webcal://hachioji-katsudo.example.jp/events/feed.ics",
        f"{BASE_URL}/events/feed.ics",
    )
    assert items["説明会"] == (
        "webcal://hachioji-katsudo.example.jp/events/feed.ics?type=briefing",
        f"{BASE_URL}/events/feed.ics?type=briefing",
    )
    assert items["伴走支援"][1] == f"{BASE_URL}/events/feed.ics?program=banso"
    links = [link.get_text(" ", strip=True) for link in section.find_all("a")]
    assert len(set(links)) == len(links)  # every link has a name of its own
    assert section.find("script") is None
    for _, address in items.values():
        get_calendar(client, address.removeprefix(BASE_URL))
