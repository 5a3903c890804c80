"""Project detail pages (プロジェクト詳細) with their timeline, status, outcomes and facets."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CharField, Value
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home import page_cache
from home.blocks import RICH_TEXT_FEATURES, BodyStreamBlock, ProgressStreamBlock
from home.dates import fiscal_year_of
from home.models import SectionIndexPage
from home.pagination import canonical_redirect, paginate
from home.visibility import KnownRestrictionsMixin

from ..cache_keys import team_key
from .annual import AnnualResultsIntroduction
from .querysets import ProjectPageManager
from .taxonomy import FACETS

FACET_KEY_PATTERN = "|".join(facet.key for facet in FACETS)
# URLs below the catalog that its own views answer; a project may not take them as its slug.
RESERVED_SLUGS = {facet.key for facet in FACETS} | {"results"}


class ProjectStatus(models.TextChoices):
    PREPARING = "preparing", "準備中"
    RECRUITING = "recruiting", "募集中"
    IN_PROGRESS = "in_progress", "進行中"
    COMPLETED = "completed", "完了"


class ProjectIndexPage(RoutablePageMixin, SectionIndexPage):
    """The catalog: filters at its own URL, taxonomy landing pages below it."""

    subpage_types = ["projects.ProjectPage"]
    menu_label = "プロジェクト"
    menu_order = 10

    class Meta:
        verbose_name = "プロジェクト一覧"
        verbose_name_plural = "プロジェクト一覧"

    def sitemap_routes(self, url):
        return [("年度別の支援実績", url + self.reverse_subpage("annual_results_index"))]

    def sitemap_browse(self, url):
        return [(facet.browse_label, f"{url}{facet.key}/") for facet in FACETS]

    def get_sitemap_urls(self, request=None):
        """For sitemap.xml: the catalog, each 年度's results and each term with projects to show. The routes
        and ways to browse that the human sitemap lists (above) are added by home/sitemap_xml.py."""
        from projects.annual_results import available_fiscal_years

        urls = super().get_sitemap_urls(request)
        base = urls[0]["location"]
        urls += [
            {"location": base + self.reverse_subpage("annual_results", args=(year,))}
            for year in available_fiscal_years()
        ]
        urls += [
            {"location": base + self.reverse_subpage("term_landing", kwargs={"facet_key": key, "slug": slug})}
            for key, slug in self.terms_in_use()
        ]
        return urls

    def terms_in_use(self):
        """(facet key, slug) of every term that one of the catalog's visible projects carries, in the
        catalog's order of facets and terms, in one query."""
        projects = ProjectPage.objects.in_catalog(self).values("pk")
        querysets = [
            facet.model.objects.filter(projectpage__in=projects)
            .order_by()
            .annotate(facet=Value(facet.key, output_field=CharField()))
            .values_list("facet", "slug", "sort_order", "name")
            for facet in FACETS
        ]
        order = {facet.key: position for position, facet in enumerate(FACETS)}
        rows = sorted(querysets[0].union(*querysets[1:]), key=lambda row: (order[row[0]], row[2], row[3]))
        return [(key, slug) for key, slug, _sort_order, _name in rows]

    @path("")
    def index_route(self, request, *args, **kwargs):
        """The filterable catalog; computed here so the other routes do not pay for it."""
        from projects.filtering import browse_catalog

        catalog = browse_catalog(self, request.GET)
        return canonical_redirect(request, catalog.results) or self.render(
            request, context_overrides={"catalog": catalog}
        )

    @path("results/")
    def annual_results_index(self, request):
        from projects.annual_results import available_fiscal_years

        return self.render(
            request,
            template="projects/annual_results_index.html",
            context_overrides={"years": available_fiscal_years()},
        )

    @path("results/<int:fiscal_year>/")
    def annual_results(self, request, fiscal_year):
        from projects.annual_results import AnnualResults, annual_results, available_fiscal_years

        if fiscal_year not in available_fiscal_years():
            raise Http404("この年度の実績はありません。")
        # Read only inside the template's cached fragment: lazy, so that a cached fragment costs no query.
        return self.render(
            request,
            template="projects/annual_results.html",
            context_overrides={
                "year_label": AnnualResults(fiscal_year).label,
                "fiscal_year": fiscal_year,
                "results": SimpleLazyObject(lambda: annual_results(fiscal_year)),
                "introduction": SimpleLazyObject(
                    lambda: AnnualResultsIntroduction.objects.filter(fiscal_year=fiscal_year).first()
                ),
            },
        )

    # Only the five facet keys route here, so project slugs below the catalog keep resolving to projects.
    @re_path(rf"^(?P<facet_key>{FACET_KEY_PATTERN})/$")
    def facet_index(self, request, facet_key):
        from projects import landing

        facet = landing.facet_or_404(facet_key)
        return self.render(
            request,
            template="projects/taxonomy_facet.html",
            context_overrides={"facet": facet, "terms": landing.terms_with_counts(self, facet)},
        )

    @re_path(rf"^(?P<facet_key>{FACET_KEY_PATTERN})/(?P<slug>[^/]+)/$")
    def term_landing(self, request, facet_key, slug):
        from projects import landing

        facet = landing.facet_or_404(facet_key)
        term = landing.term_or_404(facet, slug)
        projects = paginate(request, landing.term_projects(self, facet, term))
        return canonical_redirect(request, projects) or self.render(
            request,
            template="projects/taxonomy_term.html",
            context_overrides={"facet": facet, "term": term, "projects": projects},
        )


FACET_HELP = "当てはまるものをすべて選びます。選択肢は「分類」メニューで管理します。"


class ProjectPage(KnownRestrictionsMixin, Page):
    organization = models.ForeignKey(
        "projects.OrganizationPage",
        verbose_name="支援先団体",
        null=True,
        blank=False,
        # Deleting an organization keeps its projects; they show without one until an editor reassigns them.
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="支援を受ける団体。先に団体ページを作っておきます。",
    )
    summary = models.TextField(
        "概要", max_length=300, blank=True, help_text="一覧や検索結果に表示する短い説明(300字以内)。"
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="メイン画像",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="プロジェクトページと一覧のカードに表示します。",
    )
    body = StreamField(
        BodyStreamBlock(), verbose_name="本文", blank=True, help_text="団体の課題と、支援の内容を書きます。"
    )
    status = models.CharField(
        "進捗率",
        max_length=20,
        choices=ProjectStatus.choices,
        default=ProjectStatus.PREPARING,
        help_text="準備中 → 募集中 → 進行中 → 完了 の段階。一覧で絞り込めます。",
    )
    started_on = models.DateField("開始日", null=True, blank=True, help_text="一覧はこの日付の新しい順です。")
    ended_on = models.DateField("終了日", null=True, blank=True, help_text="完了したら入力します。")
    team_size = models.PositiveSmallIntegerField(
        "プロボノワーカーの人数", null=True, blank=True, help_text="チームに参加した人数。"
    )
    progress = StreamField(
        ProgressStreamBlock(),
        verbose_name="進捗状況",
        blank=True,
        help_text="日付ごとの進捗を追加します。表示は日付の古い順に並べ替えます。",
    )
    outcome = RichTextField(
        "成果",
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text="支援で生まれたもの、団体の変化を書きます。",
    )
    # Derived on save so the catalog can sort, filter and count in SQL.
    last_progress_on = models.DateField("最新の進捗日", null=True, blank=True, editable=False)
    fiscal_year = models.PositiveSmallIntegerField(
        "開始年度", null=True, blank=True, editable=False, db_index=True
    )

    problems = ParentalManyToManyField(
        "projects.Problem", verbose_name="解決したい課題", blank=True, help_text=FACET_HELP
    )
    categories = ParentalManyToManyField(
        "projects.Category", verbose_name="カテゴリ", blank=True, help_text=FACET_HELP
    )
    support_menus = ParentalManyToManyField(
        "projects.SupportMenu", verbose_name="支援内容", blank=True, help_text=FACET_HELP
    )
    areas = ParentalManyToManyField("projects.Area", verbose_name="地域", blank=True, help_text=FACET_HELP)
    programs = ParentalManyToManyField(
        "projects.Program", verbose_name="プログラム", blank=True, help_text=FACET_HELP
    )

    objects = ProjectPageManager()

    content_panels = Page.content_panels + [
        FieldPanel("organization"),
        FieldPanel("summary"),
        FieldPanel("image"),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("started_on"),
                FieldPanel("ended_on"),
                FieldPanel("team_size"),
            ],
            heading="進捗率・期間",
        ),
        FieldPanel("body"),
        FieldPanel("progress"),
        FieldPanel("outcome"),
        InlinePanel("report_links", label="関連レポート"),
    ]
    facet_panels = [FieldPanel(facet.field_name, widget=forms.CheckboxSelectMultiple) for facet in FACETS]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="内容"),
            ObjectList(facet_panels, heading="分類"),
            ObjectList(Page.promote_panels, heading="プロモート"),
            ObjectList(Page.settings_panels, heading="設定"),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("progress"),
        index.SearchField("outcome"),
        index.SearchField("organization_name"),
        index.SearchField("facet_term_names"),
        index.FilterField("status"),
        index.FilterField("started_on"),
        index.FilterField("organization"),
    ]

    parent_page_types = ["projects.ProjectIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "プロジェクト"
        verbose_name_plural = "プロジェクト"

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": f"「{self.slug}」はカタログの絞り込み用のURLに使われているため、使えません。"}
            )
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "終了日は開始日以降の日付にしてください。"})

    def save(self, *args, **kwargs):
        self.last_progress_on = max((entry["date"] for entry in self.progress_entries()), default=None)
        self.fiscal_year = fiscal_year_of(self.started_on) if self.started_on else None
        super().save(*args, **kwargs)

    def progress_entries(self):
        """Dated progress entries oldest first, as the timeline shows them.

        A draft may hold an entry whose date is not filled in yet; it is left out until it has one.
        """
        entries = [
            child.value for child in self.progress if child.block_type == "entry" and child.value["date"]
        ]
        return sorted(entries, key=lambda entry: entry["date"])

    @property
    def last_updated(self):
        """最終更新: the latest progress entry, else the last publication."""
        if self.last_progress_on:
            return self.last_progress_on
        if self.last_published_at:
            return timezone.localdate(self.last_published_at)
        return None

    @property
    def status_step(self):
        """1-based position of the status on the 準備中 → 完了 scale, for the progress meter."""
        return ProjectStatus.values.index(self.status) + 1

    @property
    def status_steps(self):
        return ProjectStatus.choices

    def facet_terms(self):
        """(facet, terms) pairs for the five facets, in catalog order."""
        return [(facet, list(getattr(self, facet.field_name).all())) for facet in FACETS]

    def organization_name(self):
        """Indexed with the project, so searching an organization's name finds its projects."""
        return self.organization.title if self.organization else ""

    def facet_term_names(self):
        """Indexed with the project, so searching a term's name (地域, 支援内容, …) finds the project."""
        return [term.name for _, terms in self.facet_terms() for term in terms]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from projects.related import other_projects_of_organization, related_projects

        # Read only inside the template's cached fragments: lazy, so that a cached fragment costs no query.
        context["progress_entries"] = SimpleLazyObject(self.progress_entries)
        context["facet_terms"] = SimpleLazyObject(self.facet_terms)
        context["related_projects"] = SimpleLazyObject(lambda: related_projects(self))
        context["other_projects"] = SimpleLazyObject(lambda: other_projects_of_organization(self))
        from projects.talent.teams.members import team_members

        # The team formed by accepted invitations (counts by role); the template falls back to team_size.
        page_cache.depends_on(request, team_key(self.pk))
        context["team_members"] = team_members(self)
        return context


class ProjectReportLink(Orderable):
    page = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="report_links")
    title = models.CharField("リンクの名前", max_length=200, help_text="例:2016年度 成果報告書(PDF)")
    url = models.URLField("URL", max_length=500, help_text="報告書や記事のURL。")

    panels = [FieldPanel("title"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = "関連レポート"
        verbose_name_plural = "関連レポート"

    def __str__(self):
        return self.title
