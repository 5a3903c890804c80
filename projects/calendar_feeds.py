"""The event index's calendar feed, narrowed by the query string: `feed.ics?type=<EventKind>&program=<slug>`.

`type` takes EventKind values; `program` the slugs of the catalog's プログラム terms (projects.Program), and
an event belongs to a program when one of its related projects that visitors may see carries it. Several
values of one parameter are OR, the two parameters AND; other parameters are ignored.

A feed address is subscribed to once and then fetched by a calendar app for years, so a value that names
nothing is refused with 400 and a Japanese message rather than answered with an empty calendar: the app
then tells its user the subscription is broken. The event index offers one address per type and program
(`subscriptions`).
"""

import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpResponseBadRequest
from wagtail.models import Site

from home import seo
from home.origin import absolute_url, page_path
from home.visibility import private_sections_q

from .filtering import filter_notice
from .ical import feed_calendar_response
from .models import EventKind, EventPage, EventRelatedProject, Program, ProjectPage

TYPE = "type"
PROGRAM = "program"
# More occurrences of one parameter than there are kinds or programs is never a real address.
MAX_VALUES = 20
MAX_LENGTH = 100
# How many known program slugs the error message lists.
LISTED_PROGRAMS = 20


class InvalidFeedAddress(Exception):
    """The query string names something that does not exist; `message` says what, in Japanese."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FeedFilter:
    """What a feed address asks for, already checked: EventKind values and Program terms, in display order."""

    kinds: tuple = ()
    programs: tuple = ()

    @property
    def labels(self):
        return [EventKind(kind).label for kind in self.kinds] + [program.name for program in self.programs]

    @property
    def key(self):
        """A short name of the filter built from known values only, for the feed's Last-Modified."""
        return f"{','.join(self.kinds)};{','.join(str(program.pk) for program in self.programs)}"


def _readable(value):
    return all(unicodedata.category(char)[0] != "C" for char in value)


def _values(params, name):
    """The distinct non-empty values of one parameter, or InvalidFeedAddress for a hostile list."""
    raw = params.getlist(name)
    if len(raw) > MAX_VALUES:
        raise InvalidFeedAddress(f"「{name}」の指定が多すぎます({MAX_VALUES}個まで)。")
    values = []
    for value in raw:
        value = value.strip()
        if len(value) > MAX_LENGTH or not _readable(value):
            raise InvalidFeedAddress(
                f"「{name}」の値が長すぎるか、使えない文字(制御文字など)を含んでいます。"
            )
        if value and value not in values:
            values.append(value)
    return values


def _unknown(name, value, known):
    shown = filter_notice([value])
    quoted = f"「{shown.values[0]}」" if shown and shown.values else "指定された値"
    return InvalidFeedAddress(f"「{name}」に{quoted}はありません。指定できる値: {', '.join(known) or 'なし'}")


def read_feed_filter(params):
    """The FeedFilter of a QueryDict, or InvalidFeedAddress naming the first value that names nothing."""
    kinds = _values(params, TYPE)
    for kind in kinds:
        if kind not in EventKind.values:
            raise _unknown(TYPE, kind, EventKind.values)
    slugs = _values(params, PROGRAM)
    programs = ()
    if slugs:
        known = list(Program.objects.all())
        by_slug = {program.slug: program for program in known}
        for slug in slugs:
            if slug not in by_slug:
                raise _unknown(PROGRAM, slug, [program.slug for program in known[:LISTED_PROGRAMS]])
        programs = tuple(program for program in known if program.slug in slugs)
    return FeedFilter(kinds=tuple(kind for kind in EventKind.values if kind in kinds), programs=programs)


def feed_events(index, feed_filter):
    """The upcoming events of `index` that the filter keeps, soonest first."""
    private = private_sections_q()
    events = EventPage.objects.child_of(index).visible(private).upcoming()
    if feed_filter.kinds:
        events = events.filter(kind__in=feed_filter.kinds)
    if feed_filter.programs:
        projects = ProjectPage.objects.visible(private).filter(programs__in=feed_filter.programs)
        links = EventRelatedProject.objects.filter(project__in=projects.values("pk"))
        events = events.filter(pk__in=links.values("page_id"))
    return events


def feed_name(request, index, feed_filter):
    """X-WR-CALNAME: 「八王子市市民活動支援センターのイベント(説明会・プロボノ@八王子)」."""
    site = seo.site_name(seo.center_settings(request), Site.find_for_request(request))
    labels = feed_filter.labels
    return f"{site}の{index.title}" + (f"({'・'.join(labels)})" if labels else "")


def feed_response(index, request):
    try:
        feed_filter = read_feed_filter(request.GET)
    except InvalidFeedAddress as error:
        return bad_address(index, error)
    return feed_calendar_response(
        feed_events(index, feed_filter),
        feed_name(request, index, feed_filter),
        f"{index.pk}:{feed_filter.key}",
    )


def bad_address(index, error):
    text = (
        "カレンダーの配信アドレスが正しくありません。\n"
        f"{error.message}\n"
        f"イベント一覧({absolute_url(page_path(index))})の「カレンダーに登録」から、登録し直してください。\n"
    )
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


@dataclass(frozen=True)
class Subscription:
    """One feed the event index offers: what it holds, its address, and the same as a webcal:// link."""

    label: str
    url: str

    @property
    def webcal_url(self):
        return "webcal://" + self.url.split("://", 1)[1]


def subscriptions(index):
    """Every event, each type, and each program that visitors can see projects of."""
    base = absolute_url(f"{page_path(index)}{index.reverse_subpage('feed_route')}")
    feeds = [Subscription("すべてのイベント", base)]
    feeds += [Subscription(label, f"{base}?{urlencode({TYPE: value})}") for value, label in EventKind.choices]
    programs = Program.objects.filter(projectpage__in=ProjectPage.objects.visible().values("pk")).distinct()
    feeds += [
        Subscription(program.name, f"{base}?{urlencode({PROGRAM: program.slug})}") for program in programs
    ]
    return feeds
