"""Form fields every public form shares: an email address and a phone number as people type them.

The お問い合わせ form, the event registration and the support application all use these, so a full-width
address or a number typed with a Japanese dash is read the same way everywhere.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError

from home.phone import clean_phone_number
from home.text import validate_email_characters


class WidthFoldingEmailField(forms.EmailField):
    """An address typed in full-width characters (ｈａｎａｋｏ＠…) is folded, its domain lower-cased;
    characters with no place in a To: header are refused with the public forms' message."""

    def to_python(self, value):
        value = super().to_python(unicodedata.normalize("NFKC", value or ""))
        validate_email_characters(value)
        local_part, _, domain = value.rpartition("@")
        return f"{local_part}@{domain.lower()}" if value else value


class PhoneField(forms.CharField):
    """A phone number folded by `home.phone.clean_phone_number`; the message names the field
    (「電話番号は、…」), or `subject` when the label is too long to read well there."""

    def __init__(self, *args, subject=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject = subject

    def to_python(self, value):
        try:
            return clean_phone_number(super().to_python(value))
        except ValidationError as error:
            subject = self.subject or self.label
            raise ValidationError(f"{subject}は、{error.messages[0]}", code="invalid_phone") from error
