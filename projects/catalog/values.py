"""Value types of the catalog format: how a JSON value is checked, turned into a model value and written back.

Each type's `parse` takes the JSON value (None for a missing key) and returns the model value or raises
InvalidValue; `dump` turns a model value back into JSON. Two model values are the same for the catalog
when they dump to the same JSON, which is how the importer tells an unchanged record from a changed one.
"""

import datetime
import json
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator, slug_unicode_re
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from wagtail.fields import RichTextField, StreamField

from home.dates import in_tokyo

from . import text

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


class InvalidValue(ValueError):
    """A JSON value the catalog cannot take; the message says why, in Japanese."""


def shown(raw, limit=60):
    """A value as it appears in the JSON file, shortened, for error messages."""
    written = json.dumps(raw, ensure_ascii=False)
    return written if len(written) <= limit else written[: limit - 1] + "…"


def is_blank(raw):
    return raw is None or (isinstance(raw, str) and not raw.strip())


class String:
    def __init__(self, max_length=None, validators=()):
        self.max_length = max_length
        self.validators = list(validators)

    def parse(self, raw):
        if raw is None:
            return ""
        if not isinstance(raw, str):
            raise InvalidValue(f"文字列で指定してください({shown(raw)})。")
        if self.max_length and len(raw) > self.max_length:
            raise InvalidValue(f"{self.max_length}文字以内にしてください(今は{len(raw)}文字です)。")
        if raw:
            self._run_validators(raw)
        return raw

    def _run_validators(self, value):
        for validator in self.validators:
            try:
                validator(value)
            except ValidationError as error:
                raise InvalidValue(f"{error.messages[0]}({shown(value)})") from None

    def dump(self, value):
        return value or ""


class Slug(String):
    def parse(self, raw):
        value = super().parse(raw)
        if value and not slug_unicode_re.match(value):
            raise InvalidValue(
                f"スラッグ {shown(value)} は使えません。空白や記号を含めず、"
                "英数字とハイフンで指定してください(例: katatsumuri-facebook)。"
            )
        return value


class Url(String):
    def parse(self, raw):
        value = super().parse(raw)
        if value:
            try:
                URLValidator()(value)
            except ValidationError:
                raise InvalidValue(
                    f"URLの形式が正しくありません({shown(value)})。https:// で始まるURLを指定してください。"
                ) from None
        return value


class RichText:
    """Plain text in the file, rich text (HTML) in the model."""

    def parse(self, raw):
        return text.plain_to_html(String().parse(raw))

    def dump(self, value):
        # Model fields hold HTML; rich text blocks hold a RichText object with the HTML in `source`.
        return text.html_to_plain(getattr(value, "source", value))


class BodyText:
    """Plain text in the file, paragraph blocks of a StreamField in the model."""

    def __init__(self, stream_block):
        self.stream_block = stream_block

    def parse(self, raw):
        return text.plain_to_body(String().parse(raw))

    def dump(self, value):
        if isinstance(value, list):
            value = self.stream_block.to_python(value)
        return text.body_to_plain(value)


class Integer:
    def __init__(self, minimum, maximum):
        self.minimum = minimum
        self.maximum = maximum

    def parse(self, raw):
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise InvalidValue(f"整数で指定してください({shown(raw)})。")
        if raw < self.minimum:
            raise InvalidValue(f"{self.minimum}以上の整数で指定してください({raw})。")
        if raw > self.maximum:
            raise InvalidValue(f"{self.maximum}以下の整数で指定してください({raw})。")
        return raw

    def dump(self, value):
        return value


class Date:
    def parse(self, raw):
        if raw is None:
            return None
        try:
            if isinstance(raw, str) and _DATE.match(raw):
                return datetime.date.fromisoformat(raw)
        except ValueError:
            pass
        raise InvalidValue(f"日付は「2017-01-06」の形式で指定してください({shown(raw)})。")

    def dump(self, value):
        return value.isoformat() if value else None


class DateTime:
    """ISO 8601; a datetime without an offset is Asia/Tokyo, and export always writes +09:00."""

    def parse(self, raw):
        if raw is None:
            return None
        try:
            if isinstance(raw, str) and _DATETIME.match(raw):
                value = datetime.datetime.fromisoformat(raw)
                # Without an offset, the time is local time at the center.
                return value if value.tzinfo else in_tokyo(value)
        except ValueError:
            pass
        raise InvalidValue(f"日時は「2016-09-25T14:00:00+09:00」の形式で指定してください({shown(raw)})。")

    def dump(self, value):
        return in_tokyo(value).isoformat() if value else None


class Boolean:
    def parse(self, raw):
        if raw is None:
            return False
        if not isinstance(raw, bool):
            raise InvalidValue(f"true か false で指定してください({shown(raw)})。")
        return raw

    def dump(self, value):
        return bool(value)


class Choice:
    def __init__(self, choices, noun):
        self.values = [value for value, _label in choices]
        self.noun = noun

    def parse(self, raw):
        if raw is None:
            return ""
        if raw not in self.values:
            raise InvalidValue(f"不明な{self.noun} {shown(raw)} です(使える値: {', '.join(self.values)})。")
        return raw

    def dump(self, value):
        return value


def for_model_field(model, attr):
    """The value type that fits a model field, with the field's own limits."""
    field = model._meta.get_field(attr)
    if isinstance(field, StreamField):
        return BodyText(field.stream_block)
    if isinstance(field, RichTextField):
        return RichText()
    if field.choices:
        return Choice(field.choices, str(field.verbose_name))
    if isinstance(field, models.SlugField):
        return Slug(field.max_length)
    if isinstance(field, models.URLField):
        return Url(field.max_length)
    if isinstance(field, models.CharField | models.TextField):
        # `_validators` are the ones declared on the field, such as the postal code pattern.
        return String(field.max_length, validators=field._validators)
    if isinstance(field, models.BooleanField):
        return Boolean()
    if isinstance(field, models.DateTimeField):
        return DateTime()
    if isinstance(field, models.DateField):
        return Date()
    if isinstance(field, models.IntegerField):
        return Integer(*_integer_range(field))
    raise TypeError(f"No catalog value type for {model.__name__}.{attr}")


def _integer_range(field):
    """The field's range on every database we support, not just the one in use (SQLite allows anything)."""
    low, high = BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]
    for validator in field._validators:
        if isinstance(validator, MinValueValidator):
            low = max(low, validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            high = min(high, validator.limit_value)
    return low, high
