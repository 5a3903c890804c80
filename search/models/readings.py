"""読み仮名辞書: readings of local names that 事務局 keep for ふりがな (search/furigana.py).

An entry's reading wins over the morphological analyzer's for the text it covers (docs/reading-aids.md).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models

MAX_SURFACE_LENGTH = 30
MAX_READING_LENGTH = 60
# Hiragana, the iteration marks ゝゞ and the long vowel mark.
READING_PATTERN = re.compile(r"[ぁ-ゖゝゞー]+")
# Kanji, 々 and 〆: what ruby is put on.
KANJI_PATTERN = re.compile(r"[\u3005\u3006\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def validate_reading(value):
    if not READING_PATTERN.fullmatch(value or ""):
        raise ValidationError(
            "読みは、ひらがなと長音記号（ー）だけで入力してください（例：ゆぎ）。カタカナ、漢字、英数字、空白は使えません。",
            code="invalid_reading",
        )


def validate_surface(value):
    if any(char.isspace() for char in value or ""):
        raise ValidationError(
            "表記に空白は入れられません。1つの語を入力してください。", code="spaced_surface"
        )
    if not KANJI_PATTERN.search(value or ""):
        raise ValidationError(
            "ふりがなは漢字に付けるため、漢字を含む表記を入力してください（例：由木）。", code="no_kanji"
        )


class LocalReading(models.Model):
    class Kind(models.TextChoices):
        PLACE = "place", "地名"
        ORGANIZATION = "organization", "団体名"
        OTHER = "other", "その他"

    surface = models.CharField(
        "表記",
        max_length=MAX_SURFACE_LENGTH,
        unique=True,
        validators=[validate_surface],
        help_text="ページに書かれているとおりの表記です（例：由木、廿里）。",
        error_messages={
            "unique": "この表記はすでに登録されています。一覧から探して、その読みを直してください。"
        },
    )
    reading = models.CharField(
        "読み",
        max_length=MAX_READING_LENGTH,
        validators=[validate_reading],
        help_text="ひらがなで入力します（例：ゆぎ、とどり）。ふりがなを表示するとき、この読みが使われます。",
    )
    kind = models.CharField("種類", max_length=20, choices=Kind.choices, default=Kind.PLACE)
    updated_at = models.DateTimeField("更新日時", auto_now=True)

    class Meta:
        verbose_name = "読み仮名"
        verbose_name_plural = "読み仮名辞書"
        ordering = ["surface"]

    def __str__(self):
        return f"{self.surface}（{self.reading}）"
