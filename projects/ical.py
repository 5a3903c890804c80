"""iCalendar (RFC 5545) downloads of events: one event's calendar.ics and the event index's feed.ics.

Built with the `icalendar` library; times are written in Asia/Tokyo with a VTIMEZONE for it, so calendar
apps show the same 14:00 the event page shows. The public files never carry an online event's meeting
URL (projects/registration/meeting.py): only the file mailed to a confirmed registrant does.

An event's DTSTAMP is when that version of it was published, so the same content gives the same bytes:
the ETag (ConditionalGetMiddleware) then changes only with the content, and a calendar app that imports
the file again sees an update as newer. The feed's filters are projects/calendar_feeds.py; the Google and
Outlook links on an event's page (projects/calendar_links.py) are built from the same location and
description.
"""

import datetime
import uuid

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from icalendar import Calendar, Event
from wagtail.rich_text import expand_db_html

from home.dates import TOKYO, in_tokyo
from home.last_modified import set_last_modified
from home.origin import calendar_uid_domain, page_url
from home.text import rich_text_to_plain

PRODID = "-//八王子市市民活動支援センター//イベント//JA"
FEED_FILENAME = "events.ics"
ONLINE = "オンライン"
MEETING_URL_NOTICE = "参加が確定した方に、メールとお申込み状況ページでお知らせします"


def event_location(page, meeting_url=""):
    """Venue and address; for an online event, "オンライン" unless `meeting_url` is given (registrants)."""
    place = ", ".join(part for part in (page.venue.strip(), page.address.strip()) if part)
    if place:
        return place
    return meeting_url or (ONLINE if page.online_url.strip() else "")


def event_description(page, url, meeting_url="", markup=None):
    """The description as plain text with links spelled out, the online notice, and the page's `url`;
    `markup`, the description with its links already resolved (`expanded_descriptions`)."""
    parts = []
    text = rich_text_to_plain(page.description if markup is None else markup, with_links=True)
    if text:
        parts.append(text)
    if page.online_url.strip():
        parts.append(f"オンライン参加: {meeting_url or MEETING_URL_NOTICE}")
    parts.append(f"詳細: {url}")
    return "\n\n".join(parts)


def _uid(page):
    return f"event-{page.pk}@{calendar_uid_domain()}"


def expanded_descriptions(events):
    """Each event's description with its links to pages and documents resolved, in one pass for them all:
    resolved one by one, every description with such a link would cost a feed its own queries."""
    if not events:
        return []
    separator = f'<hr data-event="{uuid.uuid4().hex}">'
    return expand_db_html(separator.join(str(page.description) for page in events)).split(separator)


def event_component(page, stamp=None, meeting_url="", markup=None):
    """One VEVENT for an EventPage; `meeting_url` only in the file mailed to a confirmed registrant."""
    url = page_url(page)
    event = Event()
    event.add("uid", _uid(page))
    event.add("dtstamp", stamp or _published(page) or datetime.datetime.now(datetime.UTC))
    event.add("summary", page.title)
    if page.starts_at:
        event.add("dtstart", in_tokyo(page.starts_at))
    if page.ends_at:
        event.add("dtend", in_tokyo(page.ends_at))
    location = event_location(page, meeting_url)
    if location:
        event.add("location", location)
    event.add("description", event_description(page, url, meeting_url, markup))
    event.add("url", url)
    event.add("categories", [page.get_kind_display()])
    if page.last_published_at:
        event.add("last-modified", page.last_published_at.astimezone(datetime.UTC))
    return event


def _published(page):
    return (
        page.last_published_at.astimezone(datetime.UTC).replace(microsecond=0)
        if page.last_published_at
        else None
    )


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
    events = list(events)
    for page, markup in zip(events, expanded_descriptions(events), strict=True):
        calendar.add_component(event_component(page, meeting_url=meeting_url, markup=markup))
    # A VTIMEZONE for Asia/Tokyo, placed before the events that refer to it.
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _calendar_http_response(content, filename, as_attachment):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=as_attachment, filename=filename
    )
    return response


def event_calendar_response(page):
    """One event's calendar.ics, as a download. It changes only when the event is published again, but two
    publications within one second share an HTTP date, so its Last-Modified is kept like a feed's
    (home/last_modified.py), never before the event's publication."""
    response = _calendar_http_response(calendar_bytes([page], name=page.title), f"{page.slug}.ics", True)
    return set_last_modified(response, f"event-calendar:{page.pk}", page.last_published_at)


def feed_calendar_response(events, name, feed_key):
    """A subscribable feed of `events`, shown inline. Its Last-Modified cannot be the newest event's
    publication: an event unpublished, made private or ended leaves the feed while that date stays or goes
    back. It is when this body was first served (home/last_modified.py), under `feed_key` (validated
    filter values only), never before the newest event's publication."""
    events = list(events)
    response = _calendar_http_response(calendar_bytes(events, name=name), FEED_FILENAME, False)
    newest = max((page.last_published_at for page in events if page.last_published_at), default=None)
    return set_last_modified(response, f"events-feed:{feed_key}", newest)
