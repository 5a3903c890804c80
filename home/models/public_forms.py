"""The abstract page behind each public form (support application, pro bono worker registration): an
introduction above the form, the message after sending, one page per site under the home page or a
standard page, and the form's own routes added by the concrete page."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import Page

from home.visibility import KnownRestrictionsMixin


def intro_field(help_text):
    """The introduction above the form; each page says in `help_text` what belongs there."""
    return RichTextField("はじめに", blank=True, help_text=help_text)


class PublicFormPage(KnownRestrictionsMixin, RoutablePageMixin, Page):
    intro = intro_field("フォームの上に表示します。")
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
        abstract = True
