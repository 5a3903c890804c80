"""Organization profiles (団体基本情報) and their index."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.functional import SimpleLazyObject
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home import seo
from home.blocks import RICH_TEXT_FEATURES
from home.models import SectionIndexPage
from home.pagination import canonical_redirect
from home.text import plain_line
from home.visibility import KnownRestrictionsMixin

from .querysets import OrganizationPageManager

postal_code_validator = RegexValidator(
    r"^\d{3}-\d{4}$", "郵便番号は「192-0083」のように半角数字とハイフンで入力してください。"
)


class OrganizationIndexPage(SectionIndexPage):
    subpage_types = ["projects.OrganizationPage"]
    menu_label = "団体"
    menu_order = 20

    class Meta:
        verbose_name = "団体一覧"
        verbose_name_plural = "団体一覧"

    def get_context(self, request, *args, **kwargs):
        from projects.organization_filtering import browse_organizations

        context = super().get_context(request, *args, **kwargs)
        context.update(browse_organizations(self, request).as_context())
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        return canonical_redirect(request, response.context_data["organizations"]) or response


class OrganizationPage(KnownRestrictionsMixin, Page):
    """The page title is the organization's name."""

    legal_form = models.CharField(
        "法人格・団体の種類",
        max_length=50,
        blank=True,
        help_text="例: NPO法人、一般社団法人、任意団体、中間支援組織",
    )
    representative = models.CharField(
        "代表者名", max_length=100, blank=True, help_text="公開してよいと団体の了承を得た場合だけ入力します。"
    )
    postal_code = models.CharField(
        "郵便番号", max_length=8, blank=True, validators=[postal_code_validator], help_text="例:192-0083"
    )
    address = models.CharField(
        "所在地", max_length=255, blank=True, help_text="公開してよい範囲で入力します(例:八王子市旭町)。"
    )
    website = models.URLField("ホームページ", blank=True, help_text="団体の公式サイトやSNSのURL。")
    description = RichTextField(
        "団体の紹介", blank=True, features=RICH_TEXT_FEATURES, help_text="団体の目的と主な活動を書きます。"
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="ロゴ・写真",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="団体ページと一覧のカードに表示します。",
    )
    area = models.ForeignKey(
        "projects.Area",
        verbose_name="地域",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organizations",
        help_text="団体の主な活動地域。",
    )
    founded_year = models.PositiveSmallIntegerField(
        "設立年",
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
        help_text="西暦で入力します(例:2008)。",
    )
    is_organizer = models.BooleanField(
        "主催団体(センター)",
        default=False,
        help_text="センター自身の団体ページなら選びます。年度別の支援実績では「主催」と表示し、"
        "支援した団体には数えません。",
    )

    objects = OrganizationPageManager()

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("legal_form"),
                FieldPanel("representative"),
                FieldPanel("founded_year"),
                FieldPanel("area"),
                FieldPanel("is_organizer"),
            ],
            heading="団体基本情報",
        ),
        MultiFieldPanel(
            [FieldPanel("postal_code"), FieldPanel("address"), FieldPanel("website")],
            heading="所在地・連絡先",
        ),
        FieldPanel("description"),
        FieldPanel("logo"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("legal_form"),
        index.SearchField("representative"),
        index.SearchField("address"),
        index.SearchField("description"),
        index.FilterField("area"),
    ]

    parent_page_types = ["projects.OrganizationIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "団体"
        verbose_name_plural = "団体"

    def projects(self):
        from .projects import ProjectPage

        return (
            ProjectPage.objects.visible()
            .filter(organization=self)
            .for_cards()
            .order_by("-started_on", "title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only inside the template's cached fragment: lazy, so that a cached fragment costs no query.
        context["projects"] = SimpleLazyObject(lambda: list(self.projects()))
        return context

    def structured_data(self, meta, center, site):
        """This profile (団体基本情報) as a schema.org Organization (JSON-LD); its logo, never the center's
        image standing in."""
        image = meta.image if self.logo_id else None
        return seo.compact(
            {
                "@context": "https://schema.org",
                "@type": "Organization",
                "name": self.title,
                "url": meta.canonical,
                "description": seo.truncate(plain_line(self.description), 500),
                "logo": image.url if image else None,
                "address": seo.postal_address(self.postal_code, self.address),
                "foundingDate": str(self.founded_year) if self.founded_year else None,
                "sameAs": [self.website] if self.website else [],
            }
        )
