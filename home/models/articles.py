"""News articles (お知らせ・活動レポート) and their index."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home import seo
from home.blocks import BodyStreamBlock
from home.origin import absolute_url
from home.pagination import canonical_redirect, paginate
from home.tag_filter import filter_articles, read_tag_filter
from home.visibility import KnownRestrictionsMixin, VisiblePageManager, visible

from .sections import SectionIndexPage

# URLs below the news index that its own routes answer; an article may not take them as its slug.
RESERVED_SLUGS = {"feed"}


class ArticleIndexPage(RoutablePageMixin, SectionIndexPage):
    """The news: articles newest first, filtered by `?tag=`, with RSS and Atom feeds below its URL."""

    subpage_types = ["home.ArticlePage"]
    menu_label = "お知らせ"
    menu_order = 40

    class Meta:
        verbose_name = "お知らせ一覧"

    def articles(self):
        return (
            ArticlePage.objects.child_of(self)
            .visible()
            .select_related("hero_image")
            .prefetch_related("tags")
            .order_by("-date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = self.articles()
        tag_filter = read_tag_filter(articles, request.GET)
        context["tag_filter"] = tag_filter
        context["articles"] = paginate(request, filter_articles(articles, tag_filter))
        context["news_index"] = self
        return context

    @path("")
    def index_route(self, request, *args, **kwargs):
        response = super().index_route(request, *args, **kwargs)
        return canonical_redirect(request, response.context_data["articles"]) or response

    @path("feed/", name="rss_feed")
    def rss_feed(self, request):
        from home.feeds import ArticleFeed

        return ArticleFeed()(request, self)

    @path("feed/atom/", name="atom_feed")
    def atom_feed(self, request):
        from home.feeds import ArticleAtomFeed

        return ArticleAtomFeed()(request, self)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("home.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(KnownRestrictionsMixin, Page):
    objects = VisiblePageManager()

    date = models.DateField(
        "日付",
        default=timezone.localdate,
        help_text="記事に表示する日付です。一覧はこの日付の新しい順に並びます。",
    )
    author = models.CharField(
        "執筆者",
        max_length=100,
        blank=True,
        help_text="記事に表示する執筆者・担当者の名前です(例:事務局 広報担当)。",
    )
    lead = models.TextField(
        "リード文", max_length=400, blank=True, help_text="一覧や共有時の説明にも使う、記事の要約です。"
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="メイン画像",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="記事の冒頭と、SNSで共有されたときに表示します。",
    )
    hero_image_alt = models.CharField(
        "メイン画像の代替テキスト",
        max_length=200,
        blank=True,
        help_text="画像を見られない人に向けて、写っている内容を説明してください。メイン画像を選んだときは必須です。",
    )
    body = StreamField(BodyStreamBlock(), verbose_name="本文", blank=True)
    tags = ClusterTaggableManager(
        "タグ",
        through=ArticlePageTag,
        blank=True,
        help_text="「活動レポート」「お知らせ」「イベント報告」など。一覧ではタグで絞り込めます。",
    )

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("author"),
        FieldPanel("lead"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_image_alt")], heading="メイン画像"),
        FieldPanel("body"),
        FieldPanel("tags"),
        InlinePanel("related_pages", label="関連するプロジェクト・イベント", max_num=6),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    parent_page_types = ["home.ArticleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "お知らせ・活動レポート"
        verbose_name_plural = "お知らせ・活動レポート"

    def clean(self):
        super().clean()
        errors = {}
        if self.hero_image_id and not self.hero_image_alt.strip():
            errors["hero_image_alt"] = "メイン画像の代替テキストを入力してください。"
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = f"「{self.slug}」はお知らせのフィードのURLに使われているため、使えません。"
        if errors:
            raise ValidationError(errors)

    def news_index(self):
        return ArticleIndexPage.objects.parent_of(self).first()

    def adjacent_articles(self):
        """(previous, next): the live public articles of the same index just older and just newer than this.

        Ordered like the index, by date then pk, so two articles of one day still follow each other.
        """
        if self.pk is None:  # an unsaved article being previewed has no place among its siblings yet
            return None, None
        siblings = ArticlePage.objects.sibling_of(self, inclusive=False).visible()
        older = Q(date__lt=self.date) | Q(date=self.date, pk__lt=self.pk)
        newer = Q(date__gt=self.date) | Q(date=self.date, pk__gt=self.pk)
        return (
            siblings.filter(older).order_by("-date", "-pk").first(),
            siblings.filter(newer).order_by("date", "pk").first(),
        )

    def visible_related_pages(self):
        """Related projects and events that visitors may see, in the editors' order, as specific pages."""
        picked = [link.page_id for link in self.related_pages.all()]
        if not picked:
            return []
        visible_pages = visible(Page.objects.filter(pk__in=picked)).specific()
        by_id = {page.pk: page for page in visible_pages}
        return [by_id[pk] for pk in picked if pk in by_id]

    def structured_data(self, meta, center, site):
        """This article as a schema.org Article, published by the center (JSON-LD)."""
        publisher = seo.center_reference(center, site, absolute_url("/"))
        image = meta.image if self.hero_image_id else None  # not the center's image standing in
        return seo.article_data(self, meta.canonical, publisher, image, meta.description)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only inside the template's cached fragments: lazy, so that a cached fragment costs no query.
        adjacent = SimpleLazyObject(lambda: list(self.adjacent_articles()))
        context["news_index"] = SimpleLazyObject(self.news_index)
        context["previous_article"] = SimpleLazyObject(lambda: adjacent[0])
        context["next_article"] = SimpleLazyObject(lambda: adjacent[1])
        context["related_pages"] = SimpleLazyObject(self.visible_related_pages)
        return context


class ArticleRelatedPage(Orderable):
    """A project or event the article is about, linked from the article's foot."""

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_pages")
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="関連ページ",
        on_delete=models.CASCADE,
        related_name="+",
        help_text="記事に関係するプロジェクトかイベントを選んでください。",
    )

    panels = [PageChooserPanel("page", page_type=["projects.ProjectPage", "projects.EventPage"])]

    class Meta(Orderable.Meta):
        verbose_name = "関連ページ"
