"""The pro bono worker's form (プロボノワーカー登録): registering on the public page, and updating one's
profile by the personal link. Name, kana, email and phone are checked and normalized as on the event
registration form (projects.registration.forms.ContactForm)."""

import re

from django import forms
from django.db.models import Q
from django.utils import timezone

from home.dates import format_day
from projects.models import Area, EventPage, Skill
from projects.registration.forms import ContactForm

WEEKDAY_EVENINGS = "weekday_evenings"
WEEKENDS = "weekends"
AVAILABILITY_CHOICES = [(WEEKDAY_EVENINGS, "平日の夜"), (WEEKENDS, "土日・祝日")]

CHOICE_ERRORS = {
    "invalid_choice": "選択肢の中から選んでください。",
    "invalid_pk_value": "選択肢の中から選んでください。",
    "invalid_list": "選択肢の中から選んでください。",
}


def number_errors(limit):
    return {
        "required": "数字で入力してください。",
        "invalid": "半角または全角の数字で入力してください(例:5)。",
        "min_value": "0以上の数字で入力してください。",
        "max_value": f"{limit}以下の数字で入力してください。",
    }


ID_PATTERN = re.compile(r"[0-9]{1,18}")


def _plausible_id(value):
    """Whether a submitted choice can be a primary key at all: ASCII digits within a bigint. Anything
    else never reaches the database (SQLite raises on integers beyond 64 bits)."""
    return bool(ID_PATTERN.fullmatch(str(value)))


class TermChoicesField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if not all(_plausible_id(item) for item in value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super()._check_values(value)


class BriefingChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and not _plausible_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def label_from_instance(self, obj):
        return f"{obj.title}({format_day(obj.starts_at)})"


class WorkerForm(ContactForm):
    """Everything a worker tells the center. With `editing`, the form of the manage page: the address
    and the consent, given when registering, are not asked again."""

    skills = TermChoicesField(
        label="生かせるスキル",
        queryset=Skill.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="仕事などで身につけた、プロボノで生かせるスキルを選んでください(いくつでも)。",
        error_messages={**CHOICE_ERRORS, "required": "スキルを1つ以上選んでください。"},
    )
    # Numbers are text inputs: a number input refuses the full-width digits a Japanese IME types (１２).
    years_of_experience = forms.IntegerField(
        label="実務経験年数",
        min_value=0,
        max_value=70,
        help_text="選んだスキルを仕事で使ってきた年数(おおよそ)。",
        error_messages=number_errors(70),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    availability = forms.MultipleChoiceField(
        label="活動しやすい時間帯",
        choices=AVAILABILITY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=CHOICE_ERRORS,
    )
    hours_per_month = forms.IntegerField(
        label="1か月に活動できる時間",
        min_value=0,
        max_value=200,
        help_text="おおよその時間数(例:10)。",
        error_messages=number_errors(200),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    areas = TermChoicesField(
        label="活動できる地域",
        queryset=Area.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=CHOICE_ERRORS,
    )
    briefing = BriefingChoiceField(
        label="参加した説明会",
        queryset=EventPage.objects.none(),
        required=False,
        empty_label="参加していない・覚えていない",
        error_messages=CHOICE_ERRORS,
    )
    introduction = forms.CharField(
        label="自己紹介",
        max_length=1000,
        required=False,
        help_text="お仕事の内容や、プロボノで取り組んでみたいことなど(1000字以内)。",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    newsletter = forms.BooleanField(
        label="センターのメールマガジン(プロボノの募集や説明会のお知らせ)を受け取る", required=False
    )
    agree_privacy = forms.BooleanField(
        label="個人情報の取り扱いに同意します",
        error_messages={"required": "登録には、個人情報の取り扱いへの同意が必要です。"},
    )

    field_order = [
        "name",
        "name_kana",
        "email",
        "phone",
        "skills",
        "years_of_experience",
        "availability",
        "hours_per_month",
        "areas",
        "briefing",
        "introduction",
        "newsletter",
        "agree_privacy",
        "leave_blank",
    ]

    def __init__(self, *args, editing=False, current_briefing=None, **kwargs):
        """`current_briefing`: on the worker's own page, the id of the briefing they recorded, kept on offer
        even once visitors can no longer see the event, so that updating the profile never drops it."""
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = Skill.objects.order_by("sort_order", "name")
        self.fields["areas"].queryset = Area.objects.order_by("sort_order", "name")
        briefings = EventPage.objects.visible().filter(starts_at__lt=timezone.now())
        if current_briefing is not None:
            briefings = EventPage.objects.filter(Q(pk__in=briefings.values("pk")) | Q(pk=current_briefing))
        self.fields["briefing"].queryset = briefings.order_by("-starts_at")
        self.fields["email"].help_text = "登録を確定するためのリンクをお送りします。"
        self.fields["phone"].help_text = "日中に連絡がつく番号があれば入力してください(例:042-000-0000)。"
        if editing:
            del self.fields["email"]
            del self.fields["agree_privacy"]

    def clean_introduction(self):
        return self._normalized("introduction", single_line=False)  # line breaks are kept

    def profile(self):
        """The cleaned fields as a Worker stores them (the many-to-many ones as lists)."""
        data = self.cleaned_data
        availability = set(data["availability"])
        profile = {
            "name": data["name"],
            "name_kana": data["name_kana"],
            "phone": data["phone"],
            "skills": list(data["skills"]),
            "years_of_experience": data["years_of_experience"],
            "weekday_evenings": WEEKDAY_EVENINGS in availability,
            "weekends": WEEKENDS in availability,
            "hours_per_month": data["hours_per_month"],
            "areas": list(data["areas"]),
            "briefing": data["briefing"],
            "introduction": data["introduction"],
            "newsletter": data["newsletter"],
        }
        if "email" in self.fields:
            profile["email"] = data["email"]
        return profile


def initial_for(worker):
    """The manage form's starting values: what the worker told the center."""
    availability = [WEEKDAY_EVENINGS] if worker.weekday_evenings else []
    if worker.weekends:
        availability.append(WEEKENDS)
    return {
        "name": worker.name,
        "name_kana": worker.name_kana,
        "phone": worker.phone,
        "skills": list(worker.skills.all()),
        "years_of_experience": worker.years_of_experience,
        "availability": availability,
        "hours_per_month": worker.hours_per_month,
        "areas": list(worker.areas.all()),
        "briefing": worker.briefing_id,
        "introduction": worker.introduction,
        "newsletter": worker.newsletter,
    }
