"""The open data page (オープンデータ): the datasets, their licence and columns, and the files to download,
served below the page (/opendata/projects.csv). The files are made by the worker (projects/opendata/)."""

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home import page_cache
from home.blocks import RICH_TEXT_FEATURES
from home.text import plain_line
from home.visibility import KnownRestrictionsMixin, VisiblePageManager

# The token that the page and its files declare (home.page_cache.depends_on); replaced after each generation.
OPEN_DATA_CACHE_KEY = "opendata:files"


class OpenDataPage(KnownRestrictionsMixin, RoutablePageMixin, Page):
    intro = RichTextField(
        "はじめに",
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text="データセットの一覧の前に表示する文章です。ライセンスと出典表記は、設定の「オープンデータ」で変えられます。",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    objects = VisiblePageManager()

    class Meta:
        verbose_name = "オープンデータ"
        verbose_name_plural = "オープンデータ"

    @path("")
    def index_route(self, request):
        from projects.opendata import storage
        from projects.opendata.listing import dataset_views
        from projects.opendata.terms import current_terms

        page_cache.depends_on(request, OPEN_DATA_CACHE_KEY)
        views = dataset_views(storage.read_manifest())
        terms, _ = current_terms()
        return self.render(request, context_overrides={"datasets": views, "terms": terms})

    @re_path(r"^(?P<filename>[^/]+)/?$")
    def file_route(self, request, filename):
        from projects.opendata.listing import file_response

        page_cache.depends_on(request, OPEN_DATA_CACHE_KEY)
        return file_response(filename)

    def structured_data(self, meta, center, site):
        """The datasets as a DCAT catalog (JSON-LD), with every generated file."""
        from projects.opendata import storage
        from projects.opendata.catalog import dcat_catalog
        from projects.opendata.listing import dataset_views
        from projects.opendata.terms import current_terms

        terms, _ = current_terms(site)
        description = plain_line(self.intro) or f"{terms.publisher}が公開しているオープンデータです。"
        return dcat_catalog(
            meta.canonical, self.title, description, dataset_views(storage.read_manifest()), terms
        )
