"""Site settings editors keep current: the center's identity and contact details, and the menus.

Templates read these through the `settings` context processor, so nothing of the center's identity is
written in a template.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from home.blocks import MenuStreamBlock


@register_setting(icon="home")
class CenterSettings(BaseSiteSetting):
    name = models.CharField(
        "センター名", max_length=100, blank=True, help_text="サイト名として全ページの見出しに表示します。"
    )
    short_name = models.CharField(
        "愛称", max_length=60, blank=True, help_text="センター名に添えて表示する愛称・略称です。"
    )
    postal_code = models.CharField("郵便番号", max_length=10, blank=True, help_text="例:192-0083")
    address = models.CharField("住所", max_length=200, blank=True)
    phone = models.CharField("電話番号", max_length=20, blank=True, help_text="例:042-000-0000")
    fax = models.CharField("FAX番号", max_length=20, blank=True)
    email = models.EmailField("メールアドレス", blank=True, help_text="問い合わせ先として公開します。")
    opening_hours = models.TextField(
        "開館時間", max_length=400, blank=True, help_text="開館時間と休館日。改行はそのまま表示します。"
    )
    footer_text = models.TextField(
        "フッターの文章", max_length=400, blank=True, help_text="全ページの下部に表示する短い文章です。"
    )
    privacy_policy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="プライバシーポリシーのページ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="申込フォームとフッターからリンクします。",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="ロゴ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="検索エンジンに伝えるセンターのロゴです(正方形に近い画像)。",
    )
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="共有用の画像",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="SNSで共有されたとき、ページに画像がなければこの画像を表示します。",
    )
    x_url = models.URLField("X(旧Twitter)", blank=True)
    facebook_url = models.URLField("Facebook", blank=True)
    instagram_url = models.URLField("Instagram", blank=True)
    youtube_url = models.URLField("YouTube", blank=True)
    line_url = models.URLField("LINE公式アカウント", blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("short_name")], heading="名称"),
        MultiFieldPanel(
            [
                FieldPanel("postal_code"),
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("fax"),
                FieldPanel("email"),
                FieldPanel("opening_hours"),
            ],
            heading="所在地・連絡先",
        ),
        MultiFieldPanel(
            [
                FieldPanel("footer_text"),
                FieldPanel("privacy_policy_page"),
                FieldPanel("logo"),
                FieldPanel("share_image"),
            ],
            heading="表示",
        ),
        MultiFieldPanel(
            [
                FieldPanel("x_url"),
                FieldPanel("facebook_url"),
                FieldPanel("instagram_url"),
                FieldPanel("youtube_url"),
                FieldPanel("line_url"),
            ],
            heading="SNS",
        ),
    ]

    class Meta:
        verbose_name = "センター情報"

    SOCIAL_FIELDS = ("x_url", "facebook_url", "instagram_url", "youtube_url", "line_url")

    def social_links(self):
        """(label, url) of the social accounts that are set, in a fixed order."""
        return [
            (self._meta.get_field(field).verbose_name, getattr(self, field))
            for field in self.SOCIAL_FIELDS
            if getattr(self, field)
        ]


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    main_menu = StreamField(
        MenuStreamBlock(),
        verbose_name="メインメニュー",
        blank=True,
        help_text="空欄のときは、ホーム直下で「メニューに表示」にしたページを並べます。",
    )
    footer_menu = StreamField(
        MenuStreamBlock(),
        verbose_name="フッターメニュー",
        blank=True,
        help_text="全ページの下部に並べるリンクです(センターについて、プライバシーポリシーなど)。",
    )

    panels = [FieldPanel("main_menu"), FieldPanel("footer_menu")]

    class Meta:
        verbose_name = "メニュー"
