"""iCalendar (RFC 5545) downloads of events: one event's calendar.ics and the event index's feed.ics.

Built with the `icalendar` library; times are written in Asia/Tokyo with a VTIMEZONE for it, so calendar
apps show the same 14:00 the event page shows. The public files never carry an online event's meeting
URL (projects/registration/meeting.py): only the file mailed to a confirmed registrant does.
"""

import datetime

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from icalendar import Calendar, Event

from home.dates import TOKYO, in_tokyo
from home.origin import calendar_uid_domain, page_url
from home.text import rich_text_to_plain

PRODID = "-//八王子市市民活動支援センター//イベント//JA"
FEED_FILENAME = "events.ics"
ONLINE = "オンライン"
MEETING_URL_NOTICE = "参加が確定した方に、メールとお申込み状況ページでお知らせします"


def _location(page, meeting_url=""):
    place = ", ".join(part for part in (page.venue.strip(), page.address.strip()) if part)
    if place:
        return place
    return meeting_url or (ONLINE if page.online_url.strip() else "")


def _description(page, url, meeting_url=""):
    parts = []
    text = rich_text_to_plain(page.description, with_links=True)
    if text:
        parts.append(text)
    if page.online_url.strip():
        parts.append(f"オンライン参加: {meeting_url or MEETING_URL_NOTICE}")
    parts.append(f"詳細: {url}")
    return "\n\n".join(parts)


def _uid(page):
    return f"event-{page.pk}@{calendar_uid_domain()}"


def event_component(page, stamp=None, meeting_url=""):
    """One VEVENT for an EventPage; `meeting_url` only in the file mailed to a confirmed registrant."""
    url = page_url(page)
    event = Event()
    event.add("uid", _uid(page))
    event.add("dtstamp", stamp or datetime.datetime.now(datetime.UTC))
    event.add("summary", page.title)
    if page.starts_at:
        event.add("dtstart", in_tokyo(page.starts_at))
    if page.ends_at:
        event.add("dtend", in_tokyo(page.ends_at))
    location = _location(page, meeting_url)
    if location:
        event.add("location", location)
    event.add("description", _description(page, url, meeting_url))
    event.add("url", url)
    event.add("categories", [page.get_kind_display()])
    if page.last_published_at:
        event.add("last-modified", page.last_published_at.astimezone(datetime.UTC))
    return event


def calendar_bytes(events, name=None, meeting_url=""):
    """A VCALENDAR with one VEVENT per EventPage in `events`, in the order given; `meeting_url` for the
    file of one event mailed to a confirmed registrant."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TOKYO.key)
    stamp = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    for page in events:
        calendar.add_component(event_component(page, stamp=stamp, meeting_url=meeting_url))
    # A VTIMEZONE for Asia/Tokyo, placed before the events that refer to it.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_response(request, events, filename, name=None):
    """The calendar as a download: an attachment for one event, inline for the subscribable feed."""
    response = HttpResponse(calendar_bytes(events, name=name), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=filename != FEED_FILENAME, filename=filename
    )
    return response
