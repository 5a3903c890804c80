"""The public page where people register as pro bono workers (プロボノワーカー登録)."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page


class WorkerRegistrationPage(RoutablePageMixin, Page):
    """The registration form, and the personal links (confirm, manage) that registered workers receive."""

    intro = RichTextField(
        "はじめに", blank=True, help_text="フォームの上に表示します。プロボノの説明や、登録後の流れなど。"
    )
    thanks = models.TextField(
        "送信後のメッセージ",
        blank=True,
        max_length=1000,
        help_text="送信後の画面に表示します。空欄なら標準の文章を表示します。",
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("thanks")]
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "プロボノワーカー登録ページ"

    @path("")
    def form_route(self, request):
        from projects.talent.workers.views import registration_form

        return registration_form(self, request)

    @path("thanks/")
    def thanks_route(self, request):
        from projects.talent.workers.views import thanks

        return thanks(self, request)

    @path("confirm/<str:token>/")
    def confirm_route(self, request, token):
        from projects.talent.workers.views import confirm

        return confirm(self, request, token)

    @path("manage/<str:token>/")
    def manage_route(self, request, token):
        from projects.talent.workers.views import manage

        return manage(self, request, token)

    @path("manage/<str:token>/withdraw/")
    def withdraw_route(self, request, token):
        from projects.talent.workers.views import withdraw

        return withdraw(self, request, token)
