"""RSS 2.0 and Atom feeds of a news index's latest live public articles, served by ArticleIndexPage's routes.

`?tag=<slug>` narrows a feed to one tag in use, as on the index; any other value gives the whole feed.
"""

import datetime
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from wagtail.models import Site

from home import seo
from home.last_modified import set_last_modified
from home.origin import page_url
from home.tag_filter import PARAMETER, filter_articles, read_tag_filter

FEED_LENGTH = 20


class ArticleFeed(Feed):
    """One feed per request: `ArticleFeed()(request, index)`, so the request can be kept on the instance."""

    feed_type = Rss201rev2Feed
    route_name = "rss_feed"
    language = "ja"

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # Django dates the feed by its newest item, which goes back when that item is unpublished; the
        # date of the body's first build does not (home/last_modified.py).
        newest = max((a.last_published_at for a in self.articles if a.last_published_at), default=None)
        tag = self.tag.slug if self.tag else ""
        return set_last_modified(response, f"feed:{self.route_name}:{self.index.pk}:{tag}", newest)

    def get_object(self, request, index):
        self.request = request
        articles = index.articles()
        tag_filter = read_tag_filter(articles, request.GET)
        self.index = index
        self.tag = tag_filter.current
        # The name the header shows: the center's settings, else the Site, else WAGTAIL_SITE_NAME.
        self.site_name = seo.site_name(seo.center_settings(request), Site.find_for_request(request))
        self.articles = list(filter_articles(articles, tag_filter)[:FEED_LENGTH])
        return index

    def title(self):
        title = f"{self.index.title} | {self.site_name}"
        return f"「{self.tag.name}」の記事 - {title}" if self.tag else title

    def description(self):
        return self.index.search_description or f"{self.site_name}のお知らせと活動レポートです。"

    subtitle = description

    def link(self):
        return page_url(self.index, self.request)

    def feed_url(self):
        url = self.link() + self.index.reverse_subpage(self.route_name)
        return f"{url}?{urlencode({PARAMETER: self.tag.slug})}" if self.tag else url

    def author_name(self):
        return self.site_name

    def items(self):
        return self.articles

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        # Readers treat the description as HTML; the lead is plain text.
        return escape(article.lead)

    def item_link(self, article):
        return page_url(article, self.request)

    def item_pubdate(self, article):
        """The article's own date, at the start of that day in the site's time zone (Asia/Tokyo)."""
        start_of_day = datetime.datetime.combine(article.date, datetime.time())
        return timezone.make_aware(start_of_day, timezone.get_default_timezone())

    def item_updateddate(self, article):
        return article.last_published_at

    def item_author_name(self, article):
        return article.author or None

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]


class ArticleAtomFeed(ArticleFeed):
    feed_type = Atom1Feed
    route_name = "atom_feed"
