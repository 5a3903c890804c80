"""The registration form on an event page: what people type, checked and normalized, in Japanese."""

import re
import unicodedata

from django import forms

from home.form_fields import PhoneField, WidthFoldingEmailField
from home.text import clean_visible_text
from search.text import normalize as normalize_kana

# Hiragana once katakana is folded, with ー, spaces and the ・ between given and family names.
KANA_PATTERN = re.compile(r"^[\u3041-\u3096\u309d\u309e\u30fc・ ]+$")
# Kept importable from here for the forms that build on this one.
__all__ = ["ContactForm", "RegistrationForm"]


class ContactForm(forms.Form):
    """The fields by which a person is reached (name, kana, email, phone) and the honeypot, each checked
    and normalized; the event registration and the pro bono worker forms both build on it."""

    name = forms.CharField(
        label="氏名",
        max_length=100,
        error_messages={"required": "氏名を入力してください。"},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    name_kana = forms.CharField(
        label="ふりがな",
        max_length=100,
        required=False,
        help_text="ひらがな、またはカタカナで入力してください。",
    )
    email = WidthFoldingEmailField(
        label="メールアドレス",
        max_length=254,
        help_text="申込完了のお知らせと、キャンセル用のリンクをお送りします。",
        error_messages={
            "required": "メールアドレスを入力してください。",
            "invalid": "メールアドレスの形式が正しくありません(例:hanako@example.jp)。",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneField(
        label="電話番号",
        max_length=20,
        required=False,
        help_text="当日、連絡がつく番号があれば入力してください(例:042-000-0000)。",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    # A field people never see, named so that browsers' autofill leaves it alone: robots fill everything.
    leave_blank = forms.CharField(label="この欄は空のままにしてください", required=False, max_length=200)

    def _normalized(self, name, single_line=True):
        """The field's text in NFKC (with single spaces when `single_line`), still within the field's
        length afterwards (NFKC can make text longer: ㌀ is アパート). Control and bidi characters are
        refused, and text with nothing visible is empty (home.text.clean_visible_text)."""
        text = unicodedata.normalize("NFKC", self.cleaned_data[name])
        text = clean_visible_text(text, multiline=not single_line)
        if single_line:
            text = " ".join(text.split())
        limit = self.fields[name].max_length
        if len(text) > limit:
            raise forms.ValidationError(f"{limit}文字以内で入力してください。")
        return text

    def clean_name(self):
        name = self._normalized("name")
        if not name:
            raise forms.ValidationError("氏名を入力してください。")
        return name

    def clean_name_kana(self):
        kana = self._normalized("name_kana")
        if kana and not KANA_PATTERN.match(normalize_kana(kana)):
            raise forms.ValidationError("ふりがなは、ひらがな、またはカタカナで入力してください。")
        return kana

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("leave_blank"):
            raise forms.ValidationError("送信できませんでした。時間をおいて、もう一度お試しください。")
        return cleaned


class RegistrationForm(ContactForm):
    """The registration form on an event page."""

    note = forms.CharField(
        label="備考",
        max_length=1000,
        required=False,
        help_text="配慮してほしいことや、センターへの質問があればお書きください(1000字以内)。",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    agree_privacy = forms.BooleanField(
        label="個人情報の取り扱いに同意します",
        error_messages={"required": "申込には、個人情報の取り扱いへの同意が必要です。"},
    )

    field_order = ["name", "name_kana", "email", "phone", "note", "agree_privacy", "leave_blank"]

    DETAIL_FIELDS = ("name", "name_kana", "email", "phone", "note")

    def clean_note(self):
        return self._normalized("note", single_line=False)  # line breaks are kept

    def details(self):
        """The cleaned fields a Registration stores."""
        return {name: self.cleaned_data[name] for name in self.DETAIL_FIELDS}
