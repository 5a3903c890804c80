"""The accessibility policy (アクセシビリティ方針) and its yearly test reports (試験結果).

The policy's items are a site setting (ウェブアクセシビリティ), shown on the policy page, which editors
introduce in their own words. Reports are made by `manage.py accessibility_report` as drafts below the
policy page, in the format of WAIC's 「ウェブコンテンツの JIS X 8341-3:2016 対応度表記ガイドライン」:
the pages tested and a judgement of each success criterion. Editors record what a person checked, then
publish (docs/accessibility.md).
"""

from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.accessibility import judging
from home.accessibility.criteria import BY_NUMBER, CRITERIA, LEVEL_A, LEVEL_AA, applies_at
from home.blocks import RICH_TEXT_FEATURES
from home.visibility import KnownRestrictionsMixin, VisiblePageManager, visible

STANDARD = "JIS X 8341-3:2016"
GUIDELINE = (
    "情報通信アクセス協議会ウェブアクセシビリティ基盤委員会「ウェブコンテンツの JIS X 8341-3:2016 "
    "対応度表記ガイドライン」"
)
LEVEL_CHOICES = [(LEVEL_A, "適合レベルA"), (LEVEL_AA, "適合レベルAA")]
CONFORMANCE_CHOICES = [
    ("準拠", "準拠(すべての達成基準を満たし、試験結果を公開する)"),
    ("一部準拠", "一部準拠(試験結果を公開するが、満たしていない達成基準がある)"),
    ("配慮", "配慮(試験を行わず、達成基準を考慮して制作する)"),
]


@register_setting(icon="doc-full")
class AccessibilitySettings(BaseSiteSetting):
    target_level = models.CharField(
        "目標とする適合レベル",
        max_length=2,
        choices=LEVEL_CHOICES,
        default=LEVEL_AA,
        help_text=f"{STANDARD} の適合レベルです。多くの公的機関は適合レベルAAを目標にしています。",
    )
    conformance = models.CharField(
        "目標とする対応度",
        max_length=4,
        choices=CONFORMANCE_CHOICES,
        default="準拠",
        help_text="WAIC の対応度表記ガイドラインの表記です。「準拠」と表記するには、試験を行い、"
        "すべての達成基準を満たしたことを試験結果として公開する必要があります。",
    )
    scope = models.TextField(
        "対象範囲",
        max_length=1000,
        blank=True,
        help_text="方針の対象とするページです(例:このサイトのすべてのページ)。改行はそのまま表示します。",
    )
    deadline = models.CharField(
        "目標達成期限",
        max_length=100,
        blank=True,
        help_text="例:2027年3月31日",
    )
    test_period = models.CharField(
        "試験の実施時期",
        max_length=200,
        blank=True,
        help_text="例:毎年度1回(1月から2月)。試験結果はこのページの下に公開します。",
    )
    exceptions = models.TextField(
        "例外事項",
        max_length=2000,
        blank=True,
        help_text="方針の対象外とするものと、その理由です(例:団体が提供するPDFファイル)。"
        "改行はそのまま表示します。",
    )
    contact = models.TextField(
        "担当部署・連絡先",
        max_length=1000,
        blank=True,
        help_text="アクセシビリティについてのご意見・お問い合わせ先です。改行はそのまま表示します。",
    )

    panels = [
        MultiFieldPanel([FieldPanel("target_level"), FieldPanel("conformance")], heading="目標"),
        FieldPanel("scope"),
        MultiFieldPanel([FieldPanel("deadline"), FieldPanel("test_period")], heading="期限と試験"),
        FieldPanel("exceptions"),
        FieldPanel("contact"),
    ]

    class Meta:
        verbose_name = "ウェブアクセシビリティ"

    @property
    def target_statement(self):
        """「JIS X 8341-3:2016 の適合レベルAAに準拠」"""
        return f"{STANDARD} の{self.get_target_level_display()}に{self.conformance}"


class AccessibilityPolicyPage(KnownRestrictionsMixin, Page):
    """The site's accessibility policy, written from the ウェブアクセシビリティ settings; its children are
    the published test reports."""

    intro = RichTextField(
        "はじめに",
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text="方針の前に表示する文章です(任意)。目標・対象範囲・例外事項などは、"
        "設定の「ウェブアクセシビリティ」から表示します。",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.AccessibilityReportPage"]
    max_count_per_parent = 1

    objects = VisiblePageManager()

    class Meta:
        verbose_name = "アクセシビリティ方針"

    def reports(self):
        """Published reports, newest test first."""
        return visible(AccessibilityReportPage.objects.child_of(self)).order_by("-test_date", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["policy"] = AccessibilitySettings.for_request(request)
        context["guideline"] = GUIDELINE
        context["reports"] = self.reports()
        return context


class AccessibilityReportPage(KnownRestrictionsMixin, Page):
    """One test of the site against JIS X 8341-3:2016, in WAIC's format. Made as a draft by
    `manage.py accessibility_report`; editors record what a person checked and publish it."""

    test_date = models.DateField("試験日")
    target = models.TextField(
        "対象", max_length=1000, blank=True, help_text="試験の対象としたウェブページの範囲です。"
    )
    target_level = models.CharField(
        "目標とした適合レベル", max_length=2, choices=LEVEL_CHOICES, default=LEVEL_AA
    )
    remarks = RichTextField(
        "補足",
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text="試験について補足する文章です(任意)。",
    )
    # What the command measured: the pages, the conditions, axe's results per page and condition.
    test_data = models.JSONField("試験の記録", default=dict, blank=True, editable=False)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("test_date"), FieldPanel("target"), FieldPanel("target_level")], heading="試験"
        ),
        FieldPanel("remarks"),
        InlinePanel(
            "criteria",
            label="達成基準",
            min_num=len(CRITERIA),
            max_num=len(CRITERIA),
            heading="達成基準チェックリスト",
            help_text="「目視確認が必要」の達成基準を人が確認したら、結果を選び、確認方法を「目視確認」に"
            "してください。未確認の達成基準が残る間は「準拠」と表記しません。",
        ),
    ]

    parent_page_types = ["home.AccessibilityPolicyPage"]
    subpage_types = []
    # Reports come from the command, which tests the pages; editors complete and publish them.
    is_creatable = False

    objects = VisiblePageManager()

    class Meta:
        verbose_name = "アクセシビリティ試験結果"

    def checklist(self):
        """One row per success criterion in the standard's order: (criterion, applied, its row or None)."""
        rows = {row.number: row for row in self.criteria.all()}
        return [
            (criterion, applies_at(criterion, self.target_level), rows.get(criterion.number))
            for criterion in CRITERIA
        ]

    def conformance(self):
        return judging.conformance(list(self.criteria.all()), self.target_level)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        label, counts = self.conformance()
        context["conformance"] = label
        context["counts"] = {dict(judging.RESULT_CHOICES)[key]: value for key, value in counts.items()}
        context["unchecked"] = counts[judging.UNCHECKED]
        context["checklist"] = self.checklist()
        context["standard"] = STANDARD
        context["guideline"] = GUIDELINE
        context["record"] = ReportRecord(self.test_data or {})
        return context


class AccessibilityCriterionResult(Orderable):
    """A report's judgement of one success criterion."""

    page = ParentalKey(AccessibilityReportPage, on_delete=models.CASCADE, related_name="criteria")
    number = models.CharField("達成基準", max_length=6, choices=[(c.number, c.label) for c in CRITERIA])
    result = models.CharField(
        "結果", max_length=10, choices=judging.RESULT_CHOICES, default=judging.UNCHECKED
    )
    method = models.CharField(
        "確認方法", max_length=10, choices=judging.METHOD_CHOICES, default=judging.PENDING
    )
    note = models.TextField("注記", max_length=2000, blank=True)

    panels = [
        FieldPanel("number", read_only=True),
        FieldPanel("result"),
        FieldPanel("method"),
        FieldPanel("note"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "達成基準の結果"

    def clean(self):
        super().clean()
        if self.result == judging.UNCHECKED and self.method != judging.PENDING:
            raise ValidationError(
                {"method": "未確認の達成基準は、確認方法を「目視確認が必要」にしてください。"}
            )
        if self.result != judging.UNCHECKED and self.method == judging.PENDING:
            raise ValidationError(
                {
                    "method": "確認した方法(自動試験か目視確認)を選んでください。"
                    "確認していなければ、結果を「未確認」にしてください。"
                }
            )

    @property
    def criterion(self):
        return BY_NUMBER.get(self.number)


class ReportRecord:
    """The command's record of a test (test_data), read for the report's tables."""

    def __init__(self, data):
        self.data = data

    @property
    def tool(self):
        return self.data.get("tool", "")

    @property
    def browser(self):
        return self.data.get("browser", "")

    @property
    def seed(self):
        return self.data.get("seed")

    @property
    def conditions(self):
        return self.data.get("conditions", [])

    @property
    def pages(self):
        """The tested pages; `shown_url` is the address with its query decoded, for people to read."""
        return [{**page, "shown_url": unquote(page.get("url", ""))} for page in self.data.get("pages", [])]

    def axe_rows(self):
        """[(page, [cell per condition])]: a cell is {"violations", "nodes", "incomplete", "passes",
        "rules", "status"} or None when that run is missing."""
        runs = {(run.get("url"), run.get("condition")): run for run in self.data.get("runs", [])}
        rows = []
        for page in self.pages:
            cells = [runs.get((page.get("url"), condition.get("key"))) for condition in self.conditions]
            rows.append((page, cells))
        return rows
