"""What the catalog adds to the home page's 新着情報 (`home.updates`): project progress and event news."""

import datetime

from django.utils import timezone

from home.updates import Update, news_source

from .models import EventPage, ProjectPage


def progress_updates(root, private, limit, now):
    """The latest entries of the projects updated last.

    The newest `limit` entries overall all belong to the `limit` projects with the latest entry dates
    (ProjectPage.last_progress_on), so only those projects are read.
    """
    projects = (
        ProjectPage.objects.descendant_of(root)
        .visible(private)
        .filter(last_progress_on__isnull=False)
        .order_by("-last_progress_on", "-pk")[:limit]
    )
    updates = [
        Update("progress", "進捗", date, project, title)
        for project in projects
        for date, title in _dated_entries(project)
    ]
    updates.sort(key=lambda update: update.date, reverse=True)
    return updates[:limit]


def _dated_entries(project):
    """(date, title) of the project's dated progress entries, as ProjectPage.progress_entries() keeps them.

    Read from the stored data: the list needs no more, and converting the entries would load their images,
    one query per project.
    """
    for block in project.progress.raw_data:
        value = block["value"]
        if block["type"] == "entry" and value.get("date"):
            yield datetime.date.fromisoformat(value["date"]), value["title"]


def event_updates(root, private, limit, now):
    """Events announced last that have not ended."""
    events = (
        EventPage.objects.descendant_of(root)
        .visible(private)
        .filter(ends_at__gte=now, first_published_at__isnull=False)
        .order_by("-first_published_at", "-pk")[:limit]
    )
    return [
        Update("event", "イベント", timezone.localdate(event.first_published_at), event, event.title)
        for event in events
    ]


def register():
    news_source(progress_updates)
    news_source(event_updates)
