"""The public support application form (支援申込): what an organization types, checked and normalized."""

from django import forms

from home.form_fields import PhoneField, WidthFoldingEmailField
from projects.models import Area, LegalForm, Problem, SupportMenu
from projects.registration.forms import (
    ContactForm,
)

NOT_SENT = "送信できませんでした。時間をおいて、もう一度お試しください。"


class TermChoiceField(forms.ModelChoiceField):
    """A term chosen by its slug: no integer in the form, so no out-of-range number reaches the database."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="slug", **kwargs)

    def label_from_instance(self, obj):
        return obj.name


class TermsChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, queryset, **kwargs):
        super().__init__(queryset, to_field_name="slug", widget=forms.CheckboxSelectMultiple, **kwargs)

    def label_from_instance(self, obj):
        return obj.name


class SupportApplicationForm(forms.Form):
    organization_name = forms.CharField(
        label="団体名",
        max_length=200,
        error_messages={"required": "団体名を入力してください。"},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    legal_form = forms.ChoiceField(
        label="法人格",
        choices=[("", "選択してください"), *LegalForm.choices],
        error_messages={
            "required": "法人格を選んでください。",
            "invalid_choice": "法人格は、一覧から選んでください。",
        },
    )
    area = TermChoiceField(
        Area.objects.order_by("sort_order", "name"),
        label="活動地域",
        empty_label="選択してください",
        error_messages={
            "required": "活動地域を選んでください。",
            "invalid_choice": "活動地域は、一覧から選んでください。",
        },
    )
    contact_name = forms.CharField(
        label="担当者名",
        max_length=100,
        error_messages={"required": "担当者名を入力してください。"},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = WidthFoldingEmailField(
        label="担当者のメールアドレス",
        max_length=254,
        help_text="受付のお知らせと、センターからのご連絡をお送りします。",
        error_messages={
            "required": "担当者のメールアドレスを入力してください。",
            "invalid": "メールアドレスの形式が正しくありません(例:info@example.jp)。",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = PhoneField(
        label="担当者の電話番号",
        subject="電話番号",
        max_length=20,
        required=False,
        help_text="日中に連絡がつく番号があれば入力してください(例:042-000-0000)。",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    problems = TermsChoiceField(
        Problem.objects.order_by("sort_order", "name"),
        label="解決したい課題",
        help_text="当てはまるものをすべて選んでください。",
        error_messages={
            "required": "解決したい課題を1つ以上選んでください。",
            "invalid_choice": "解決したい課題は、一覧から選んでください。",
            "invalid_pk_value": "解決したい課題は、一覧から選んでください。",
            "invalid_list": "解決したい課題は、一覧から選んでください。",
        },
    )
    support_menus = TermsChoiceField(
        SupportMenu.objects.order_by("sort_order", "name"),
        label="希望する支援内容",
        required=False,
        help_text="決まっていなければ、選ばなくてもかまいません。",
        error_messages={
            "invalid_choice": "希望する支援内容は、一覧から選んでください。",
            "invalid_pk_value": "希望する支援内容は、一覧から選んでください。",
            "invalid_list": "希望する支援内容は、一覧から選んでください。",
        },
    )
    description = forms.CharField(
        label="課題の説明",
        max_length=4000,
        help_text="団体の活動と、いま困っていること、支援で実現したいことをお書きください(4000字以内)。",
        error_messages={"required": "課題の説明を入力してください。"},
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    agree_privacy = forms.BooleanField(
        label="個人情報の取り扱いに同意します",
        error_messages={"required": "申込には、個人情報の取り扱いへの同意が必要です。"},
    )
    # Robots fill every field; people never see this one (see the event registration form).
    leave_blank = forms.CharField(label="この欄は空のままにしてください", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages["max_length"] = f"{field.max_length}文字以内で入力してください。"

    # The contact form's NFKC normalization, within each field's length.
    _normalized = ContactForm._normalized

    def clean_organization_name(self):
        name = self._normalized("organization_name")
        if not name:
            raise forms.ValidationError("団体名を入力してください。")
        return name

    def clean_contact_name(self):
        name = self._normalized("contact_name")
        if not name:
            raise forms.ValidationError("担当者名を入力してください。")
        return name

    def clean_description(self):
        text = self._normalized("description", single_line=False)
        if not text.strip():
            raise forms.ValidationError("課題の説明を入力してください。")
        return text

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("leave_blank"):
            raise forms.ValidationError(NOT_SENT)
        return cleaned
