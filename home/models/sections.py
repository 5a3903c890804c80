"""The abstract listing page shared by the site's sections (news, organizations, projects, events)."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import RICH_TEXT_FEATURES
from home.visibility import KnownRestrictionsMixin


class SectionIndexPage(KnownRestrictionsMixin, Page):
    """A section's listing page (news, organizations, projects, events): one per home page, with an intro.

    The home page's live sections lead the automatic main menu, under `menu_label` (the page's title when
    empty) and in `menu_order`; templates find a section's address by its page type (navigation_tags'
    section_url), never by a typed path.
    """

    menu_label = ""
    menu_order = 100

    intro = RichTextField("紹介文", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True

    def sitemap_routes(self, url):
        """(title, address) of the pages this section's own views answer below `url`, its address, for the
        human sitemap (年度別の支援実績, 終了したイベント)."""
        return []

    def sitemap_browse(self, url):
        """(title, address) of the ways to browse this section, for the human sitemap (the catalog's 探す)."""
        return []
