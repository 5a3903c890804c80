"""The public page where organizations apply for pro bono support (支援申込)."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page


class SupportApplicationPage(RoutablePageMixin, Page):
    """The application form for organizations, with a thank-you step."""

    intro = RichTextField(
        "はじめに", blank=True, help_text="フォームの上に表示します。支援の対象や、申込後の流れなど。"
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
        verbose_name = "支援申込ページ"

    @path("")
    def form_route(self, request):
        from projects.talent.applications.views import application_form

        return application_form(self, request)

    @path("thanks/")
    def thanks_route(self, request):
        from projects.talent.applications.views import thanks

        return thanks(self, request)
