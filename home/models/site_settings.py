"""Site settings editors keep current: the center's identity and contact details, and the menus.

Templates read these through the `settings` context processor, so nothing of the center's identity is
written in a template.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from home.blocks import MenuStreamBlock
from home.phone import clean_phone_number


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
    phone = models.CharField(
        "電話番号",
        max_length=20,
        blank=True,
        help_text="例:042-000-0000。フッターとメールの署名に表示し、スマートフォンではそのまま発信できます。",
    )
    fax = models.CharField("FAX番号", max_length=20, blank=True, help_text="例:042-000-0001")
    email = models.EmailField(
        "メールアドレス",
        blank=True,
        help_text="問い合わせ先として公開します。お問い合わせフォームの送信内容も、このアドレスに届きます。",
    )
    opening_hours = models.TextField(
        "開館時間",
        max_length=400,
        blank=True,
        help_text="例:9時〜21時(日曜・祝日は17時まで)。改行はそのまま表示します。",
    )
    closed_days = models.TextField(
        "休館日",
        max_length=400,
        blank=True,
        help_text="例:毎月第3月曜日、年末年始。改行はそのまま表示します。",
    )
    access = models.TextField(
        "アクセス",
        max_length=2000,
        blank=True,
        help_text="最寄り駅からの道順や駐車場・駐輪場の案内です。アクセスのページに表示します。改行はそのまま表示します。",
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
    emblem = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="センターのロゴ・エンブレム",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="全ページの左上で、サイト名の前に小さく表示します(高さ40ピクセルほど)。空欄ならサイト名だけを表示します。",
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
                FieldPanel("closed_days"),
                FieldPanel("access"),
            ],
            heading="所在地・連絡先",
        ),
        MultiFieldPanel(
            [
                FieldPanel("footer_text"),
                FieldPanel("privacy_policy_page"),
                FieldPanel("emblem"),
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
    PHONE_FIELDS = ("phone", "fax")

    def clean(self):
        """Phone and FAX numbers as people dial them: digits and hyphens, full-width typing folded."""
        super().clean()
        errors = {}
        for field in self.PHONE_FIELDS:
            try:
                setattr(self, field, clean_phone_number(getattr(self, field)))
            except ValidationError as error:
                label = self._meta.get_field(field).verbose_name
                errors[field] = [f"{label}は、{message}" for message in error.messages]
        if errors:
            raise ValidationError(errors)

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


CC_BY_4 = "クリエイティブ・コモンズ 表示 4.0 国際(CC BY 4.0)"
CC_BY_4_URL = "https://creativecommons.org/licenses/by/4.0/deed.ja"


@register_setting(icon="download")
class OpenDataSettings(BaseSiteSetting):
    """The terms of the open data downloads (/opendata/): their licence, how users credit the center, and the
    municipality the events dataset names (推奨データセット「イベント一覧」)."""

    license_name = models.CharField(
        "ライセンス",
        max_length=120,
        default=CC_BY_4,
        help_text="オープンデータのページとファイルに表示するライセンスの名前です。",
    )
    license_url = models.URLField(
        "ライセンスのURL",
        default=CC_BY_4_URL,
        help_text="ライセンスの内容を説明するページ(コモンズ証)のURLです。",
    )
    attribution = models.CharField(
        "出典表記",
        max_length=300,
        blank=True,
        help_text="データを使う人に書いてもらう出典の例です。"
        "空欄なら「出典:センター名 オープンデータ」とします。",
    )
    municipality_code = models.CharField(
        "全国地方公共団体コード",
        max_length=6,
        default="132012",
        validators=[
            RegexValidator(r"^[0-9]{6}$", "全国地方公共団体コードは6桁の半角数字で入力してください。")
        ],
        help_text="イベント一覧の「全国地方公共団体コード」欄です(八王子市は 132012)。",
    )
    municipality_name = models.CharField(
        "地方公共団体名",
        max_length=60,
        default="東京都八王子市",
        help_text="イベント一覧の「地方公共団体名」欄です。",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("license_name"), FieldPanel("license_url"), FieldPanel("attribution")],
            heading="ライセンスと出典",
        ),
        MultiFieldPanel(
            [FieldPanel("municipality_code"), FieldPanel("municipality_name")],
            heading="イベント一覧(推奨データセット)",
        ),
    ]

    class Meta:
        verbose_name = "オープンデータ"
