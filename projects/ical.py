"""iCalendar (RFC 5545) downloads of events: one event's calendar.ics and the event index's feed.ics.

Built with the `icalendar` library; times are written in Asia/Tokyo with a VTIMEZONE for it, so calendar
apps show the same 14:00 the event page shows.
"""

import datetime
import html
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.http import content_disposition_header
from icalendar import Calendar, Event
from wagtail.rich_text import expand_db_html

TIME_ZONE_NAME = "Asia/Tokyo"
TOKYO = ZoneInfo(TIME_ZONE_NAME)
PRODID = "-//八王子市市民活動支援センター//イベント//JA"
FEED_FILENAME = "events.ics"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"

_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|div|pre|ul|ol)\s*>|<br\s*/?>|<hr\b[^>]*>", re.I)
_LIST_ITEM = re.compile(r"<li\b[^>]*>", re.I)
_LINK = re.compile(r"<a\b[^>]*?\bhref=(\"[^\"]*\"|'[^']*')[^>]*>(.*?)</a\s*>", re.I | re.S)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def base_url():
    """The site's public origin without a trailing slash, such as https://example.org."""
    return getattr(settings, "PUBLIC_BASE_URL", DEFAULT_BASE_URL).rstrip("/")


def absolute_url(path):
    """`path` ("/events/x/") on the public origin; URLs that are already absolute are kept."""
    if not path:
        return f"{base_url()}/"
    if urlsplit(path).scheme:
        return path
    if path.startswith("//"):
        return f"{urlsplit(base_url()).scheme}:{path}"
    return f"{base_url()}/{path.lstrip('/')}"


def page_absolute_url(page):
    """The public URL of a Wagtail page: PUBLIC_BASE_URL followed by the page's path within its site."""
    parts = page.get_url_parts()
    return absolute_url(parts[2] if parts else None)


def _link_text(match):
    href = html.unescape(match.group(1)[1:-1]).strip()
    text = match.group(2)
    if href.startswith("mailto:"):
        target = href[len("mailto:") :]
    elif href.startswith(("http://", "https://", "/")):
        target = absolute_url(href)
    else:
        return text
    if html.unescape(strip_tags(text)).strip() in (target, href):
        return text
    return f"{text} ({html.escape(target)})"


def rich_text_to_plain(value, with_links=True):
    """Readable plain text of a rich text field: one line per paragraph, list items marked with ・ and,
    `with_links`, each link's absolute target in brackets after its text."""
    if not value:
        return ""
    markup = expand_db_html(str(value))
    if with_links:
        markup = _LINK.sub(_link_text, markup)
    markup = _LIST_ITEM.sub("・", markup)
    markup = _BLOCK_END.sub("\n", markup)
    text = html.unescape(strip_tags(markup))
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def in_tokyo(value):
    if value is None:
        return None
    if timezone.is_naive(value):
        return timezone.make_aware(value, TOKYO)
    return value.astimezone(TOKYO)


def _location(page):
    place = ", ".join(part for part in (page.venue.strip(), page.address.strip()) if part)
    return place or page.online_url.strip()


def _description(page, url):
    parts = []
    text = rich_text_to_plain(page.description)
    if text:
        parts.append(text)
    if page.online_url:
        parts.append(f"オンライン参加: {page.online_url}")
    parts.append(f"詳細: {url}")
    return "\n\n".join(parts)


def _uid(page):
    host = urlsplit(base_url()).hostname or "localhost"
    return f"event-{page.pk}@{host}"


def event_component(page, stamp=None):
    """One VEVENT for an EventPage."""
    url = page_absolute_url(page)
    event = Event()
    event.add("uid", _uid(page))
    event.add("dtstamp", stamp or datetime.datetime.now(datetime.UTC))
    event.add("summary", page.title)
    if page.starts_at:
        event.add("dtstart", in_tokyo(page.starts_at))
    if page.ends_at:
        event.add("dtend", in_tokyo(page.ends_at))
    location = _location(page)
    if location:
        event.add("location", location)
    event.add("description", _description(page, url))
    event.add("url", url)
    event.add("categories", [page.get_kind_display()])
    if page.last_published_at:
        event.add("last-modified", page.last_published_at.astimezone(datetime.UTC))
    return event


def calendar_bytes(events, name=None):
    """A VCALENDAR with one VEVENT per EventPage in `events`, in the order given."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TIME_ZONE_NAME)
    stamp = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    for page in events:
        calendar.add_component(event_component(page, stamp=stamp))
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
