"""「Googleカレンダーに追加」 and 「Outlookに追加」: links that open the calendar service's new-event form
filled in with the event, beside the .ics download on an event's page.

They say what the .ics says (projects/ical.py): the title, the Tokyo times, the place, and the description
as plain text ending with the page's address. Never the meeting URL of an online event
(projects/registration/meeting.py): its place is 「オンライン」, as in the public calendar files. Plain
links: no script of Google's or Microsoft's runs on the site.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from home.dates import TOKYO, in_tokyo
from home.origin import page_url

from .ical import event_description, event_location

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.live.com/calendar/0/deeplink/compose"
# Percent-encoded Japanese takes nine characters a letter; a long programme would make an address some
# browsers and both services refuse. The page's address at the end of the text leads to the rest.
MAX_DESCRIPTION = 600
CUT = "…(続きはイベントのページをご覧ください)"


@dataclass(frozen=True)
class CalendarLink:
    service: str  # the link's text, such as 「Googleカレンダーに追加」
    url: str


def _details(page):
    """The .ics description, shortened before the page's address when it is long."""
    url = page_url(page)
    text = event_description(page, url)
    if len(text) <= MAX_DESCRIPTION:
        return text
    tail = f"\n\n詳細: {url}"
    body = text[: -len(tail)] if text.endswith(tail) else text
    return body[: MAX_DESCRIPTION - len(CUT) - len(tail)].rstrip() + CUT + tail


def _utc(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def google_url(page):
    params = {
        "action": "TEMPLATE",
        "text": page.title,
        "dates": f"{_utc(page.starts_at)}/{_utc(page.ends_at)}",
        "ctz": TOKYO.key,
        "details": _details(page),
    }
    location = event_location(page)
    if location:
        params["location"] = location
    return f"{GOOGLE}?{urlencode(params)}"


def outlook_url(page):
    params = {
        "path": "/calendar/action/compose",
        "rm": "addevent",
        "subject": page.title,
        "startdt": in_tokyo(page.starts_at).replace(microsecond=0).isoformat(),
        "enddt": in_tokyo(page.ends_at).replace(microsecond=0).isoformat(),
        "body": _details(page),
    }
    location = event_location(page)
    if location:
        params["location"] = location
    return f"{OUTLOOK}?{urlencode(params)}"


def calendar_links(page):
    """The links for an EventPage with its times set; none for a page still missing them (a preview)."""
    if not (page.starts_at and page.ends_at):
        return []
    return [
        CalendarLink("Googleカレンダーに追加", google_url(page)),
        CalendarLink("Outlookに追加", outlook_url(page)),
    ]
