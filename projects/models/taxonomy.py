"""The five catalog facets: terms editors manage as snippets and projects link to."""

from dataclasses import dataclass

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class TaxonomyTerm(index.Indexed, models.Model):
    name = models.CharField(
        "名称", max_length=100, help_text="一覧の絞り込みやプロジェクトページに表示します。"
    )
    slug = models.SlugField(
        "スラッグ",
        max_length=100,
        unique=True,
        allow_unicode=True,
        help_text="URLに使う英数字の識別子(例: accounting)。",
    )
    description = models.TextField("説明", blank=True, help_text="この分類の一覧ページの冒頭に表示します。")
    sort_order = models.PositiveIntegerField("表示順", default=0, help_text="小さい数ほど先に並びます。")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Problem(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = "解決したい課題"
        verbose_name_plural = "解決したい課題"


class Category(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = "カテゴリ"
        verbose_name_plural = "カテゴリ"


class SupportMenu(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = "支援内容"
        verbose_name_plural = "支援内容"


class Area(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = "地域"
        verbose_name_plural = "地域"


class Program(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = "プログラム"
        verbose_name_plural = "プログラム"


@dataclass(frozen=True)
class Facet:
    """A catalog facet: its key in URLs and the import format, its term model and ProjectPage field."""

    key: str
    model: type[TaxonomyTerm]
    field_name: str

    @property
    def label(self):
        return self.model._meta.verbose_name

    @property
    def browse_label(self):
        return f"{self.label}別に探す"


FACETS = (
    Facet("problem", Problem, "problems"),
    Facet("category", Category, "categories"),
    Facet("support", SupportMenu, "support_menus"),
    Facet("area", Area, "areas"),
    Facet("program", Program, "programs"),
)
FACETS_BY_KEY = {facet.key: facet for facet in FACETS}
