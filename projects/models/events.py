"""Event announcements: briefings (説明会) that recruit pro bono workers, trainings, report meetings."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import RICH_TEXT_FEATURES
from home.models import SectionIndexPage
from home.pagination import paginate


class EventKind(models.TextChoices):
    BRIEFING = "briefing", "説明会"
    TRAINING = "training", "研修"
    ORIENTATION = "orientation", "オリエンテーション"
    KICKOFF = "kickoff", "キックオフ"
    REPORT = "report", "成果報告会"
    OTHER = "other", "その他"


class EventIndexPage(SectionIndexPage):
    subpage_types = ["projects.EventPage"]

    class Meta:
        verbose_name = "イベント一覧"

    def events(self):
        return EventPage.objects.child_of(self).live().public()

    def upcoming_events(self):
        return self.events().filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def past_events(self):
        return self.events().filter(ends_at__lt=timezone.now()).order_by("-starts_at")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["upcoming_events"] = self.upcoming_events()
        context["past_events"] = paginate(request, self.past_events())
        return context


class EventPage(Page):
    kind = models.CharField("種類", max_length=20, choices=EventKind.choices, default=EventKind.BRIEFING)
    starts_at = models.DateTimeField("開始日時")
    ends_at = models.DateTimeField("終了日時")
    venue = models.CharField("会場", max_length=200, blank=True)
    address = models.CharField("会場の住所", max_length=255, blank=True)
    online_url = models.URLField(
        "オンライン参加URL", blank=True, help_text="オンライン開催の場合のみ入力します。"
    )
    capacity = models.PositiveIntegerField(
        "定員", null=True, blank=True, help_text="空欄の場合は定員なしとして扱います。"
    )
    registration_enabled = models.BooleanField("参加申込を受け付ける", default=False)
    waitlist_enabled = models.BooleanField("キャンセル待ちを受け付ける", default=False)
    registration_opens_at = models.DateTimeField("申込開始日時", null=True, blank=True)
    registration_closes_at = models.DateTimeField("申込締切日時", null=True, blank=True)
    description = RichTextField("内容", blank=True, features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldPanel("starts_at"), FieldPanel("ends_at")],
            heading="日時",
        ),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldPanel("address"), FieldPanel("online_url")],
            heading="会場",
        ),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("registration_enabled"),
                FieldPanel("capacity"),
                FieldPanel("waitlist_enabled"),
                FieldPanel("registration_opens_at"),
                FieldPanel("registration_closes_at"),
            ],
            heading="参加申込",
        ),
        InlinePanel("related_projects", label="関連プロジェクト"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("venue"),
        index.SearchField("address"),
        index.SearchField("description"),
        index.FilterField("kind"),
        index.FilterField("starts_at"),
    ]

    parent_page_types = ["projects.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "イベント"

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = "終了日時は開始日時以降にしてください。"
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at < self.registration_opens_at
        ):
            errors["registration_closes_at"] = "申込締切は申込開始より後にしてください。"
        if errors:
            raise ValidationError(errors)

    @property
    def is_past(self):
        return self.ends_at < timezone.now()

    def linked_projects(self):
        """Related projects that visitors may see, in the editors' order."""
        from .projects import ProjectPage

        picked = [link.project_id for link in self.related_projects.all()]
        visible = {
            project.pk: project for project in ProjectPage.objects.live().public().filter(pk__in=picked)
        }
        return [visible[pk] for pk in picked if pk in visible]


class EventRelatedProject(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="related_projects")
    project = models.ForeignKey(
        "projects.ProjectPage",
        verbose_name="プロジェクト",
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("project")]

    class Meta(Orderable.Meta):
        verbose_name = "関連プロジェクト"
        verbose_name_plural = "関連プロジェクト"
