"""The code fields of the second step: what a person types, normalized, checked, with Japanese messages.

Phones in Japanese input mode type full-width digits (１２３４５６), and people copy codes with spaces or
hyphens; NFKC and dropping those makes them the codes the devices know.
"""

import re
import unicodedata

from django import forms
from django.core.validators import ProhibitNullCharactersValidator

TOTP_CODE = re.compile(r"[0-9]{6}")
# django-otp's static tokens: 8 characters of lower-case base32.
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")
# Longer than any code with spaces in it; anything longer is refused before it is normalized.
MAX_TYPED_LENGTH = 64
SEPARATORS = re.compile(r"[\s\-‐‑‒–—―ー－]")


def normalize_code(typed):
    return SEPARATORS.sub("", unicodedata.normalize("NFKC", typed or "")).lower()


class CodeField(forms.CharField):
    """A one-time code: the field's length limit applies to what was typed, the pattern to its normal form."""

    def __init__(self, *, pattern, invalid_message, **kwargs):
        self.pattern = pattern
        super().__init__(
            max_length=MAX_TYPED_LENGTH,
            strip=True,
            error_messages={
                "required": "コードを入力してください。",
                "max_length": "コードが長すぎます。表示されているコードだけを入力してください。",
                "invalid": invalid_message,
            },
            **kwargs,
        )
        # A control character is just not a code: the pattern's message says what one looks like.
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def clean(self, value):
        code = normalize_code(super().clean(value))
        if not self.pattern.fullmatch(code):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return code


def authenticator_code_field():
    return CodeField(
        label="確認コード(6桁の数字)",
        pattern=TOTP_CODE,
        invalid_message="確認コードは、認証アプリに表示される6桁の数字です。",
        help_text="認証アプリに表示されている6桁の数字を入力してください。",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class AuthenticatorCodeForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"] = authenticator_code_field()


class RecoveryCodeForm(forms.Form):
    code = CodeField(
        label="回復コード(8文字)",
        pattern=RECOVERY_CODE,
        invalid_message="回復コードは、英小文字と数字の8文字です(例: abcd2345)。",
        help_text="二段階認証を設定したときに控えた回復コードのうち、まだ使っていないものを1つ入力してください。",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )
