"""Event announcements: briefings (説明会) that recruit pro bono workers, trainings, report meetings."""

import enum

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.blocks import RICH_TEXT_FEATURES
from home.models import SectionIndexPage
from home.pagination import canonical_redirect, paginate
from home.visibility import KnownRestrictionsMixin

from .querysets import EventPageManager


class EventKind(models.TextChoices):
    BRIEFING = "briefing", "説明会"
    TRAINING = "training", "研修"
    ORIENTATION = "orientation", "オリエンテーション"
    KICKOFF = "kickoff", "キックオフ"
    REPORT = "report", "成果報告会"
    OTHER = "other", "その他"


class RegistrationState(enum.Enum):
    """Where an event's registration stands; decides what its page offers."""

    NOT_TAKEN = "not_taken"  # editors did not switch registration on
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"  # past the deadline, or the event has started
    OPEN = "open"  # seats left, or no capacity set
    WAITLIST = "waitlist"  # full; new registrations wait for a seat
    FULL = "full"  # full and no waitlist

    @property
    def accepts_registrations(self):
        return self in (RegistrationState.OPEN, RegistrationState.WAITLIST)


class EventIndexPage(RoutablePageMixin, SectionIndexPage):
    """Upcoming events at its own URL; past events on a page of their own; an iCalendar feed."""

    subpage_types = ["projects.EventPage"]
    menu_label = "イベント"
    menu_order = 30
    # The latest past events shown under the upcoming ones, before the link to all of them.
    RECENT_PAST_EVENTS = 3

    class Meta:
        verbose_name = "イベント一覧"
        verbose_name_plural = "イベント一覧"

    def events(self):
        return EventPage.objects.child_of(self).visible()

    def upcoming_events(self):
        return self.events().upcoming()

    def past_events(self):
        return self.events().past()

    @path("")
    def upcoming_route(self, request):
        from projects.calendar_feeds import subscriptions

        return self.render(
            request,
            context_overrides={
                "upcoming_events": self.upcoming_events(),
                "recent_past_events": self.past_events()[: self.RECENT_PAST_EVENTS],
                "calendar_feeds": subscriptions(self),
            },
        )

    def sitemap_routes(self, url):
        return [("終了したイベント", url + self.reverse_subpage("past_route"))]

    @path("past/")
    def past_route(self, request):
        past_events = paginate(request, self.past_events())
        return canonical_redirect(request, past_events) or self.render(
            request, template="projects/event_past_page.html", context_overrides={"past_events": past_events}
        )

    @re_path(r"^feed\.ics/?$")
    def feed_route(self, request):
        """The upcoming events as a calendar to subscribe to, narrowed by `?type=` and `?program=`."""
        from projects.calendar_feeds import feed_response

        return feed_response(self, request)


class EventPage(KnownRestrictionsMixin, RoutablePageMixin, Page):
    kind = models.CharField(
        "種類",
        max_length=20,
        choices=EventKind.choices,
        default=EventKind.BRIEFING,
        help_text="一覧の見出しと絞り込みに使います。",
    )
    starts_at = models.DateTimeField("開始日時", help_text="日本時間で入力します。")
    ends_at = models.DateTimeField("終了日時", help_text="開始日時以降にしてください。")
    venue = models.CharField(
        "会場", max_length=200, blank=True, help_text="例:八王子市市民活動支援センター 会議室"
    )
    address = models.CharField(
        "会場の住所", max_length=255, blank=True, help_text="地図アプリで探せるよう、番地まで入力します。"
    )
    online_url = models.URLField(
        "オンライン参加URL", blank=True, help_text="オンライン開催の場合のみ入力します。"
    )
    capacity = models.PositiveIntegerField(
        "定員", null=True, blank=True, help_text="空欄の場合は定員なしとして扱います。"
    )
    registration_enabled = models.BooleanField(
        "参加申込を受け付ける", default=False, help_text="オンにすると、ページに申込フォームを表示します。"
    )
    waitlist_enabled = models.BooleanField(
        "キャンセル待ちを受け付ける",
        default=False,
        help_text="定員に達した後の申込をキャンセル待ちとして受け付け、空きが出たら自動で繰り上げます。",
    )
    registration_opens_at = models.DateTimeField(
        "申込開始日時", null=True, blank=True, help_text="空欄なら公開と同時に受け付けます。"
    )
    registration_closes_at = models.DateTimeField(
        "申込締切日時", null=True, blank=True, help_text="空欄なら開始日時まで受け付けます。"
    )
    description = RichTextField(
        "内容",
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text="プログラム、持ち物、対象者などを書きます。",
    )

    objects = EventPageManager()

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
        verbose_name_plural = "イベント"

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

    def confirmed_count(self):
        from .registrations import RegistrationStatus

        if self.pk is None:  # an unsaved page being previewed
            return 0
        return self.registrations.filter(status=RegistrationStatus.CONFIRMED).count()

    def seats_left(self, confirmed=None):
        """Seats not yet taken by confirmed registrations; None when the event has no capacity."""
        if self.capacity is None:
            return None
        confirmed = self.confirmed_count() if confirmed is None else confirmed
        return max(self.capacity - confirmed, 0)

    def registration_state(self, now=None, confirmed=None):
        now = now or timezone.now()
        if not self.registration_enabled:
            return RegistrationState.NOT_TAKEN
        if self.registration_opens_at and now < self.registration_opens_at:
            return RegistrationState.NOT_YET_OPEN
        if now >= self.starts_at or (self.registration_closes_at and now >= self.registration_closes_at):
            return RegistrationState.CLOSED
        if self.seats_left(confirmed) == 0:
            return RegistrationState.WAITLIST if self.waitlist_enabled else RegistrationState.FULL
        return RegistrationState.OPEN

    @path("")
    def event_route(self, request):
        from projects.registration.views import event_page

        return event_page(self, request)

    @path("received/")
    def received_route(self, request):
        from projects.registration.views import registration_received

        return registration_received(self, request)

    @path("registration/<str:token>/")
    def registration_route(self, request, token):
        from projects.registration.views import registration_status

        return registration_status(self, request, token)

    @path("cancel/<str:token>/")
    def cancel_route(self, request, token):
        from projects.registration.views import cancel_registration

        return cancel_registration(self, request, token)

    @re_path(r"^calendar\.ics/?$")
    def calendar_route(self, request):
        from projects.ical import event_calendar_response

        return event_calendar_response(self)

    def calendar_links(self):
        """「Googleカレンダーに追加」 and 「Outlookに追加」 for its page (projects/calendar_links.py)."""
        from projects.calendar_links import calendar_links

        return calendar_links(self)

    def linked_projects(self):
        """Related projects that visitors may see, in the editors' order."""
        from .projects import ProjectPage

        picked = [link.project_id for link in self.related_projects.all()]
        visible = ProjectPage.objects.visible().for_cards().in_bulk(picked)
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
