"""/api/events/: upcoming events (soonest first) or past ones (latest first), optionally of one kind, and
one event by slug. An online event says only that it is online: the meeting URL is for confirmed
registrants."""

import time

from ninja import Path, Query, Router

from projects.public_records import event_records, published_events

from .errors import NOT_FOUND, ApiError
from .params import canonical, page_envelope, page_slug, single
from .responses import cached_json
from .schemas import ERRORS, Event, EventFilters, EventList

router = Router(tags=["イベント"])

# Time moves events from upcoming to past; a list is built again at least this often (seconds).
TIME_STEP = 60


@router.get(
    "/",
    response={200: EventList, **ERRORS},
    summary="イベントの一覧",
    description="これからのイベント(既定)または終了したイベントを返します。開催中のイベントは「これから」に含みます。",
    operation_id="list_events",
    openapi_extra={"x-example": "/api/events/?when=past&kind=report"},
)
def list_events(request, filters: Query[EventFilters]):
    single(request, "limit", "offset", "when", "kind")
    query = canonical([("when", filters.when if filters.when != "upcoming" else ""), ("kind", filters.kind)])

    def build():
        events = published_events()
        events = events.past() if filters.when == "past" else events.upcoming()
        if filters.kind:
            events = events.filter(kind=filters.kind)
        count = events.count()
        window = events[filters.offset : filters.offset + filters.limit]
        return page_envelope(request.path, query, count, filters.limit, filters.offset, event_records(window))

    moment = int(time.time() // TIME_STEP)
    return cached_json(request.path, [query.urlencode(), filters.limit, filters.offset, moment], build)


@router.get(
    "/{slug}/",
    response={200: Event, **ERRORS},
    summary="イベント1件",
    description="スラッグで指定したイベント1件を返します(終了したものも)。公開されていないものは404です。",
    operation_id="get_event",
    openapi_extra={"x-example": "/api/events/briefing-2016-09-25/"},
)
def get_event(request, slug: str = Path(..., description="イベントのスラッグ。")):
    page_slug(slug)

    def build():
        records = event_records(published_events().filter(slug=slug))
        if not records:
            raise ApiError(404, NOT_FOUND)
        return records[0]

    return cached_json(request.path, [], build)
