"""The home page's 新着情報: the latest articles and what other apps add (project progress, event
announcements; `news_source`) in one list."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone
from wagtail.models import Page

from home.visibility import private_sections_q

# Articles with one of these tags are reports of what happened; any other article is an announcement.
REPORT_TAGS = ("活動レポート", "イベント報告")
DEFAULT_LIMIT = 8

_sources = []


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
    # One query for the private sections, reused by every source instead of one per `.public()`.
    private = private_sections_q()
    updates = [
        update for source in (_article_updates, *_sources) for update in source(root, private, limit, now)
    ]
    updates.sort(key=lambda update: (update.date, update.page.pk), reverse=True)
    return updates[:limit]


def news_source(source):
    """Register `source(root, private, limit, now)`: at most `limit` Updates of the live pages below `root`
    outside the `private` sections (a `home.visibility.private_sections_q()`), for the home page's list."""
    if source not in _sources:
        _sources.append(source)
    return source


def _article_updates(root, private, limit, now):
    from home.models import ArticlePage, ArticlePageTag

    is_report = ArticlePageTag.objects.filter(content_object=OuterRef("pk"), tag__name__in=REPORT_TAGS)
    articles = (
        ArticlePage.objects.descendant_of(root)
        .visible(private)
        .annotate(is_report=Exists(is_report))
        .order_by("-date", "-pk")[:limit]
    )
    return [
        Update("article", _article_label(article), article.date, article, article.title)
        for article in articles
    ]


def _article_label(article):
    return "活動レポート" if article.is_report else "お知らせ"
