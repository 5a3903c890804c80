"""The お問い合わせ form at work: the fields editors chose, built with Japanese messages and the public
forms' text rules; the page (GET shows it, POST sends) behind the shared rate limit and POST/redirect/GET
(home/public_forms.py); and what happens to a submission: stored as a Wagtail form submission, then mailed
to the office through the outbox (home/mail.py), never from the request itself.

Nothing is mailed to the address the visitor typed: under the public forms' policy (home/mail_policy.py)
their text goes only to the center. The thank-you page tells them so.
"""

import datetime
import logging
import unicodedata
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.forms.forms import BaseForm, FormBuilder
from wagtail.contrib.forms.models import FormSubmission

from home.dates import format_date, format_datetime
from home.form_fields import PhoneField, WidthFoldingEmailField
from home.mail import send_templated_email
from home.navigation import privacy_policy_url
from home.origin import absolute_url
from home.public_forms import submit
from home.seo import center_settings
from home.text import clean_visible_text

logger = logging.getLogger(__name__)

FORM_NAME = "contact"
HONEYPOT = "leave_blank"
SINGLE_LINE_MAX = 200
MULTI_LINE_MAX = 4000
NOT_SENT = "送信できませんでした。時間をおいて、もう一度お試しください。"
DEFAULT_THANKS = (
    "お問い合わせありがとうございました。内容を確認し、センターの担当者からご連絡します。"
    "お返事には数日いただくことがあります。お急ぎの場合は、お電話でお問い合わせください。"
)
NOT_ANSWERED = "(未入力)"


class ContactBaseForm(BaseForm):
    """Every お問い合わせ form: the fields editors chose, plus the field people never see and robots fill."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT] = forms.CharField(
            label="この欄は空のままにしてください", required=False, max_length=200
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT):
            raise ValidationError(NOT_SENT)
        return cleaned

    def answers(self):
        """(label, value as text) of each field editors chose, in the form's order."""
        return [
            (field.label, answer_text(self.cleaned_data.get(name)))
            for name, field in self.fields.items()
            if name != HONEYPOT
        ]

    def submission_data(self):
        return {name: value for name, value in self.cleaned_data.items() if name != HONEYPOT}


class VisibleTextField(forms.CharField):
    """Text as a public form accepts it (home.text.clean_visible_text): NFKC, no control or bidi
    characters, nothing but invisible characters counts as empty; the limit checked after folding."""

    def __init__(self, *, multiline=False, **kwargs):
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        text = unicodedata.normalize("NFKC", super().to_python(value))
        text = clean_visible_text(text, multiline=self.multiline)
        if not self.multiline:
            text = " ".join(text.split())
        else:
            text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()
        return text


class ContactFormBuilder(FormBuilder):
    """Wagtail's form builder with a Japanese message for every way a field can be wrong, limits on
    every text, and the honeypot."""

    def get_field_options(self, field):
        options = super().get_field_options(field)
        label = field.label
        options["error_messages"] = {
            "required": f"{label}を入力してください。",
            "invalid": f"{label}の形式が正しくありません。",
            "invalid_choice": f"{label}は、選択肢の中から選んでください。",
            "max_length": f"{label}は、%(limit_value)d文字以内で入力してください。",
            "max_value": f"{label}は、%(limit_value)s以下の数を入力してください。",
            "min_value": f"{label}は、%(limit_value)s以上の数を入力してください。",
            "max_digits": f"{label}は、%(max)s桁以内の数を入力してください。",
            "max_decimal_places": f"{label}は、小数点以下%(max)s桁までで入力してください。",
            "max_whole_digits": f"{label}は、%(max)s桁以内の数を入力してください。",
        }
        return options

    def _choice_options(self, field, options, message="選んでください"):
        options["error_messages"]["required"] = f"{field.label}を{message}。"
        options["choices"] = self.get_formatted_field_choices(field)
        return options

    def create_singleline_field(self, field, options):
        return VisibleTextField(max_length=SINGLE_LINE_MAX, **options)

    def create_multiline_field(self, field, options):
        return VisibleTextField(
            multiline=True, max_length=MULTI_LINE_MAX, widget=forms.Textarea(attrs={"rows": 6}), **options
        )

    def create_email_field(self, field, options):
        options["error_messages"]["invalid"] = (
            f"{field.label}の形式が正しくありません(例:hanako@example.jp)。"
        )
        return WidthFoldingEmailField(
            max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}), **options
        )

    def create_phone_field(self, field, options):
        return PhoneField(
            max_length=40,
            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
            **options,
        )

    def create_number_field(self, field, options):
        options["error_messages"]["invalid"] = f"{field.label}は、数字で入力してください。"
        return forms.DecimalField(max_digits=15, decimal_places=4, **options)

    def create_url_field(self, field, options):
        options["error_messages"]["invalid"] = f"{field.label}は、https:// から始まるURLで入力してください。"
        return forms.URLField(max_length=500, assume_scheme="https", **options)

    def create_date_field(self, field, options):
        options["error_messages"]["invalid"] = f"{field.label}は、2025-04-01 のように入力してください。"
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **options)

    def create_dropdown_field(self, field, options):
        options = self._choice_options(field, options)
        if not field.required or not field.default_value:
            options["choices"] = [("", "選んでください"), *options["choices"]]
        return forms.ChoiceField(**options)

    def create_radio_field(self, field, options):
        return forms.ChoiceField(widget=forms.RadioSelect, **self._choice_options(field, options))

    def create_checkboxes_field(self, field, options):
        options = self._choice_options(field, options, "1つ以上選んでください")
        options["initial"] = self.get_formatted_field_initial(field)
        options["error_messages"]["invalid_choice"] = f"{field.label}は、選択肢の中から選んでください。"
        return forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, **options)

    def create_checkbox_field(self, field, options):
        options["error_messages"]["required"] = f"{field.label}にチェックを入れてください。"
        return forms.BooleanField(**options)

    def get_form_class(self):
        return type("ContactForm", (ContactBaseForm,), self.formfields)


def answer_text(value):
    """A submitted value as the office's email shows it."""
    if value is None or value == "" or value == []:
        return NOT_ANSWERED
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, (list, tuple)):
        return "、".join(str(item) for item in value)
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


# The page


def contact_form(page, request, preview=False):
    form = page.get_form(request.POST if request.method == "POST" and not preview else None, page=page)

    def accept(form):
        page.process_form_submission(form)
        # POST/redirect/GET: reloading the thank-you page never sends twice.
        return page.url + page.reverse_subpage("thanks_route")

    status_code, redirect = (200, None) if preview else submit(request, form, FORM_NAME, accept, what="送信")
    if redirect:
        return redirect
    response = page.render(
        request,
        template="home/contact_page.html",
        context_overrides={"form": form, "privacy_policy_url": privacy_policy_url(request)},
    )
    response.status_code = status_code
    return response


def thanks(page, request):
    """The same for everyone (no personal data), so the page cache may keep it."""
    return page.render(
        request,
        template="home/contact_page_thanks.html",
        context_overrides={"thanks_text": page.thanks or DEFAULT_THANKS},
    )


# What becomes of a submission


def office_addresses(page, center):
    """Where the office reads submissions: the page's own addresses, else the center's."""
    addresses = [address.strip() for address in page.to_address.split(",") if address.strip()]
    return addresses or ([center.email] if center.email else [])


def store_and_mail(page, form):
    """Store the submission for 事務局, and queue its email to the office; the FormSubmission.

    The same message sent again within PUBLIC_FORM_DUPLICATE_WINDOW (a double click, the back button)
    lands on the first one: the office gets it once."""
    data = form.submission_data()
    since = timezone.now() - datetime.timedelta(seconds=settings.PUBLIC_FORM_DUPLICATE_WINDOW)
    earlier = FormSubmission.objects.filter(page=page, submit_time__gte=since, form_data=data).first()
    if earlier is not None:
        return earlier
    submission = FormSubmission.objects.create(form_data=data, page=page)
    site = page.get_site()
    center = center_settings(site=site)
    addresses = office_addresses(page, center)
    if not addresses:
        logger.warning("Contact form submission %s has no office address to be mailed to", submission.pk)
        return submission
    send_templated_email(
        "emails/contact_submission",
        subject=f"【お問い合わせ】{page.title}(受付番号 {submission.pk})",
        to=addresses,
        context={
            "page": page,
            "answers": form.answers(),
            "submission": submission,
            "submitted_at": format_datetime(submission.submit_time),
            "submissions_url": absolute_url(reverse("wagtailforms:list_submissions", args=[page.pk])),
        },
        site=site,
        logger=logger,
        failure=("Could not queue the email for contact form submission %s", submission.pk),
    )
    return submission
