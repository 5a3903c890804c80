"""The home page's 新着情報: the latest articles, project progress and event announcements in one list."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone
from wagtail.models import Page

# Articles with one of these tags are reports of what happened; any other article is an announcement.
REPORT_TAGS = ("活動レポート", "イベント報告")
DEFAULT_LIMIT = 8


@dataclass(frozen=True)
class Update:
    kind: str  # "article", "progress" or "event": picks how the item is written
    label: str  # お知らせ, 活動レポート, 進捗 or イベント
    date: datetime.date
    page: Page  # the page the item links to
    title: str  # for progress, the entry's title; otherwise the page's


def recent_updates(root, limit=DEFAULT_LIMIT, now=None):
    """The newest `limit` updates among the live public pages below `root`, newest first.

    Every item is placed at the date a visitor would call its news: an article at its own date, a progress
    entry at the date written on it, and an event at the day it was announced (first published) — so a
    briefing announced today comes before last month's report, and one announced long ago does not sit on
    top until it starts. Only events that have not ended are announced; they also show when they start.
    Ended events are left out: what happened at them is told by articles and progress entries.

    A fixed number of queries whatever the number of pages: at most `limit` of each kind can make the list.
    """
    now = now or timezone.now()
    # One query for the private sections, reused by the three lists instead of one per `.public()`.
    private = Page.objects.private_q()
    updates = [
        *_article_updates(root, private, limit),
        *_progress_updates(root, private, limit),
        *_event_updates(root, private, limit, now),
    ]
    updates.sort(key=lambda update: (update.date, update.page.pk), reverse=True)
    return updates[:limit]


def _article_updates(root, private, limit):
    from home.models import ArticlePage, ArticlePageTag

    is_report = ArticlePageTag.objects.filter(content_object=OuterRef("pk"), tag__name__in=REPORT_TAGS)
    articles = (
        ArticlePage.objects.descendant_of(root)
        .live()
        .exclude(private)
        .annotate(is_report=Exists(is_report))
        .order_by("-date", "-pk")[:limit]
    )
    return [
        Update("article", _article_label(article), article.date, article, article.title)
        for article in articles
    ]


def _article_label(article):
    return "活動レポート" if article.is_report else "お知らせ"


def _progress_updates(root, private, limit):
    """The latest entries of the projects updated last.

    The newest `limit` entries overall all belong to the `limit` projects with the latest entry dates
    (ProjectPage.last_progress_on), so only those projects are read.
    """
    from projects.models import ProjectPage

    projects = (
        ProjectPage.objects.descendant_of(root)
        .live()
        .exclude(private)
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


def _event_updates(root, private, limit, now):
    from projects.models import EventPage

    events = (
        EventPage.objects.descendant_of(root)
        .live()
        .exclude(private)
        .filter(ends_at__gte=now, first_published_at__isnull=False)
        .order_by("-first_published_at", "-pk")[:limit]
    )
    return [
        Update("event", "イベント", timezone.localdate(event.first_published_at), event, event.title)
        for event in events
    ]
