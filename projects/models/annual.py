"""Editors' introduction to one 年度's results page; the figures themselves are always computed."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from home.blocks import RICH_TEXT_FEATURES


class AnnualResultsIntroduction(models.Model):
    fiscal_year = models.PositiveSmallIntegerField(
        "年度",
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="年度の始まる年(2016年度なら 2016)。",
    )
    body = RichTextField(
        "紹介文", features=RICH_TEXT_FEATURES, help_text="その年度の実績ページの冒頭に表示します。"
    )

    panels = [FieldPanel("fiscal_year"), FieldPanel("body")]

    class Meta:
        verbose_name = "年度別実績の紹介文"
        verbose_name_plural = "年度別実績の紹介文"
        ordering = ["-fiscal_year"]

    def __str__(self):
        return f"{self.fiscal_year}年度"
