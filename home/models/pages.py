"""The home page and plain content pages."""

from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home import routing, seo
from home.blocks import RICH_TEXT_FEATURES, BodyStreamBlock
from home.origin import absolute_url
from home.updates import recent_updates
from home.visibility import KnownRestrictionsMixin, visible

from .articles import ArticleIndexPage


class HomePage(KnownRestrictionsMixin, Page):
    hero_title = models.CharField("ヒーロー見出し", max_length=120, blank=True)
    hero_lead = models.TextField("ヒーロー本文", max_length=400, blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="ヒーロー画像",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="ボタンのリンク先",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_cta_text = models.CharField("ボタンの文言", max_length=40, blank=True)
    intro = RichTextField("センターの紹介", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_lead"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_page"),
                FieldPanel("hero_cta_text"),
            ],
            heading="ヒーロー",
        ),
        FieldPanel("intro"),
        InlinePanel("featured_projects", label="注目のプロジェクト", max_num=6),
        InlinePanel("featured_events", label="注目のイベント", max_num=4),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("hero_title"),
        index.SearchField("hero_lead"),
        index.SearchField("intro"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "home.ArticleIndexPage",
        "projects.OrganizationIndexPage",
        "projects.ProjectIndexPage",
        "projects.EventIndexPage",
        "projects.WorkerRegistrationPage",
        "projects.SupportApplicationPage",
        "home.ContactPage",
        "home.AccessPage",
        "home.AccessibilityPolicyPage",
        "projects.OpenDataPage",
    ]

    class Meta:
        verbose_name = "ホーム"

    def route(self, request, path_components):
        """The page at the address in one query where the walk down the tree would end there anyway
        (home/routing.py); Wagtail's walk otherwise. This home page may be the one kept with the Site, with
        only its Page fields (routing.SiteMiddleware): asked for itself, it is read fresh, as every page
        is."""
        if not path_components:
            page = type(self).objects.filter(pk=self.pk).first()
            if page is None:
                raise Http404
            return Page.route(page, request, [])
        page = routing.page_at(self, path_components)
        if page is not None:
            return page.route(request, [])
        return super().route(request, path_components)

    def highlighted_projects(self):
        """Editors' picks that visitors may see, in the editors' order, ready for their cards."""
        picked = list(self.featured_projects.values_list("project_id", flat=True))
        projects = _featured_model(HomeFeaturedProject, "project").objects
        by_id = {project.pk: project for project in projects.visible().for_cards().filter(pk__in=picked)}
        return [by_id[pk] for pk in picked if pk in by_id]

    def highlighted_events(self):
        """Editors' picks that have not ended, else the next upcoming events."""
        now = timezone.now()
        picked_ids = list(self.featured_events.values_list("event_id", flat=True))
        upcoming = _featured_model(HomeFeaturedEvent, "event").objects.visible().upcoming(now)
        visible = {event.pk: event for event in upcoming.filter(pk__in=picked_ids)}
        picked = [visible[pk] for pk in picked_ids if pk in visible]
        if picked:
            return picked
        return list(upcoming[:3])

    def news_index(self):
        """The news section visitors may see, for the link to all articles and the feeds in the page head."""
        return visible(ArticleIndexPage.objects.child_of(self)).first()

    def structured_data(self, meta, center, site):
        """The center's Organization (schema.org JSON-LD), when this is the site's home page."""
        if not meta.is_home:
            return None
        return seo.center_data(center, site, absolute_url("/"), logo_url=seo.center_logo_url(center))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only inside the template's cached fragments: lazy, so that a cached fragment costs no query.
        context["highlighted_projects"] = SimpleLazyObject(self.highlighted_projects)
        context["highlighted_events"] = SimpleLazyObject(self.highlighted_events)
        context["recent_updates"] = SimpleLazyObject(lambda: recent_updates(self))
        context["news_index"] = SimpleLazyObject(self.news_index)
        return context


class HomeFeaturedProject(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_projects")
    project = models.ForeignKey(
        "projects.ProjectPage", verbose_name="プロジェクト", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("project")]


class HomeFeaturedEvent(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_events")
    event = models.ForeignKey(
        "projects.EventPage", verbose_name="イベント", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("event")]


def _featured_model(link_model, field_name):
    """The page model an editors' pick links to (the catalog's projects and events), read from the link's
    foreign key: the shell names those models as strings and never imports the catalog."""
    return link_model._meta.get_field(field_name).related_model


class StandardPage(KnownRestrictionsMixin, Page):
    """A plain content page: about the center, what pro bono is, the privacy policy."""

    lead = models.TextField("リード文", max_length=400, blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name="本文", blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("lead"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = [
        "home.StandardPage",
        "projects.WorkerRegistrationPage",
        "projects.SupportApplicationPage",
        "home.ContactPage",
        "home.AccessPage",
    ]

    class Meta:
        verbose_name = "一般ページ"
