"""The center's contact pages: the お問い合わせ form, whose fields editors choose (wagtail.contrib.forms),
and the アクセス page, which shows the address, directions and hours kept in the center's settings.

Submissions are stored as Wagtail form submissions, which only 事務局 may read (home/wagtail_hooks.py),
and are mailed to the office through the outbox; the request never talks to the mail server
(home/contact_form.py).
"""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractForm, AbstractFormField, validate_to_address
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home.visibility import KnownRestrictionsMixin, VisiblePageManager

from .public_forms import PublicFormPage, intro_field

# The kinds of field editors may add, in Japanese; each is built by home.contact_form.ContactFormBuilder.
FIELD_TYPES = (
    ("singleline", "1行のテキスト"),
    ("multiline", "複数行のテキスト"),
    ("email", "メールアドレス"),
    ("phone", "電話番号"),
    ("number", "数値"),
    ("url", "URL"),
    ("dropdown", "プルダウン(1つ選ぶ)"),
    ("radio", "ラジオボタン(1つ選ぶ)"),
    ("checkboxes", "チェックボックス(いくつでも選ぶ)"),
    ("checkbox", "チェックボックス(1つ)"),
    ("date", "日付"),
)


class ContactFormField(AbstractFormField):
    """One field of the お問い合わせ form, in the editors' order."""

    page = ParentalKey("home.ContactPage", on_delete=models.CASCADE, related_name="form_fields")
    label = models.CharField("項目名", max_length=255, help_text="フォームに表示する項目の名前です。")
    field_type = models.CharField("種類", max_length=16, choices=FIELD_TYPES)
    field_type.required_on_save = True
    required = models.BooleanField("必須", default=True)
    choices = models.TextField(
        "選択肢",
        blank=True,
        help_text="1行に1つずつ書きます。プルダウン・ラジオボタン・チェックボックス(いくつでも選ぶ)で使います。",
    )
    default_value = models.TextField("初期値", blank=True, help_text="空欄でかまいません。")
    help_text = models.CharField("説明", max_length=255, blank=True, help_text="項目の下に表示する説明です。")

    panels = [
        FieldPanel("label"),
        FieldPanel("help_text"),
        FieldPanel("required"),
        FieldPanel("field_type", classname="formbuilder-type", required_on_save=True),
        FieldPanel("choices", classname="formbuilder-choices"),
        FieldPanel("default_value", classname="formbuilder-default"),
    ]

    class Meta(AbstractFormField.Meta):
        verbose_name = "入力項目"
        verbose_name_plural = "入力項目"


class ContactPage(PublicFormPage, AbstractForm):
    """The お問い合わせ form: the page's introduction, the fields editors chose, and a thank-you step."""

    intro = intro_field("フォームの上に表示します。お返事までの目安や、電話でのお問い合わせ先など。")
    to_address = models.CharField(
        "送信内容を受け取るメールアドレス",
        max_length=255,
        blank=True,
        validators=[validate_to_address],
        help_text="空欄なら、センター情報のメールアドレスに届きます。複数のときはカンマで区切ります。",
    )

    objects = VisiblePageManager()

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("form_fields", label="入力項目"),
        FieldPanel("thanks"),
        # Only those who read the submissions (事務局) choose where they are mailed.
        MultiFieldPanel(
            [FieldPanel("to_address", permission="wagtailforms.view_formsubmission")],
            heading="送信内容のメール",
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    # Previews show the form as visitors see it, and the thank-you step.
    preview_modes = [("", "フォーム"), ("landing", "送信後の画面")]

    class Meta:
        verbose_name = "お問い合わせページ"

    def get_form_class(self):
        from home.contact_form import ContactFormBuilder

        return ContactFormBuilder(self.get_form_fields()).get_form_class()

    def process_form_submission(self, form):
        from home.contact_form import store_and_mail

        return store_and_mail(self, form)

    def render_landing_page(self, request, form_submission=None, *args, **kwargs):
        from home.contact_form import thanks

        return thanks(self, request)

    def serve_preview(self, request, mode_name):
        from home.contact_form import contact_form, thanks

        return thanks(self, request) if mode_name == "landing" else contact_form(self, request, preview=True)

    @path("")
    def form_route(self, request):
        from home.contact_form import contact_form

        return contact_form(self, request)

    @path("thanks/")
    def thanks_route(self, request):
        from home.contact_form import thanks

        return thanks(self, request)


class AccessPage(KnownRestrictionsMixin, Page):
    """How to reach the center: its address, the directions, hours and closed days from the center's
    settings (設定 → センター情報), and what editors add below them."""

    lead = models.TextField("リード文", max_length=400, blank=True)
    body = RichTextField(
        "本文",
        blank=True,
        features=["h2", "h3", "bold", "link", "ol", "ul"],
        help_text="センター情報の住所・アクセス・開館時間の下に表示します。駐車場や、建物の中での道順など。",
    )

    objects = VisiblePageManager()

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("lead"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = "アクセスのページ"
