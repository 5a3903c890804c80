"""Staff side of event registrations (参加申込): the roster in the Wagtail admin, its actions and CSV.

Staff list, search and inspect registrations and may correct a person's contact details. Status changes
never happen in the edit form: they go through the row actions (キャンセルする, 参加確定にする), which call
the same services as the public pages, so the seat count and the waitlist stay right and the person is
emailed. Only users with the Registration model permissions (the 事務局 group, superusers) get in:
view or change to read, change to act, delete to remove a cancelled registration; nobody adds one here.

Its two templates (templates/projects/admin/) extend the admin's own.
"""

import csv
import io
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.admin import SimpleListFilter, display
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import (
    DeleteView,
    EditView,
    HistoryView,
    IndexView,
    InspectView,
    ModelFormView,
)

from projects.models import EventPage, Registration, RegistrationStatus

from . import emails, services

TOKYO = ZoneInfo("Asia/Tokyo")
ID_PATTERN = re.compile(r"[0-9]{1,19}")
EMPTY = "-"


def staff_time(value):
    """A moment as staff read it: Tokyo time to the minute, e.g. 2016-09-25 14:00."""
    return timezone.localtime(value, TOKYO).strftime("%Y-%m-%d %H:%M") if value else ""


def is_id(value):
    """Whether a parameter is a plausible primary key: ASCII digits within a bigint (not ² or 10**20)."""
    return bool(ID_PATTERN.fullmatch(value)) and int(value) < 2**63


def event_label(event):
    return f"{event.title}({timezone.localtime(event.starts_at, TOKYO):%Y-%m-%d})"


def log_title(registration):
    """The audit log's label: the number only, so that no name outlives the purge in the log."""
    return f"参加申込 #{registration.pk}"


# Permissions


class RegistrationPermissionHelper(PermissionHelper):
    """Model permissions decide everything; `add` grants nothing, registrations come from the public form."""

    def has(self, user, action):
        return user.has_perm(f"{self.opts.app_label}.{self.get_perm_codename(action)}")

    def user_can_list(self, user):
        return self.has(user, "view") or self.has(user, "change")

    def user_can_create(self, user):
        return False

    def user_can_inspect_obj(self, user, obj):
        return self.user_can_list(user)

    def user_can_edit_obj(self, user, obj):
        return self.has(user, "change") and obj.anonymized_at is None

    def user_can_delete_obj(self, user, obj):
        # An active registration holds or awaits a seat: cancel it first, so the waitlist moves up.
        return self.has(user, "delete") and obj.status == RegistrationStatus.CANCELLED

    def user_can_act_on(self, user, obj):
        return self.has(user, "change")


# The row actions


def _waitlisted_pks(event_id):
    return set(
        Registration.objects.filter(event_id=event_id, status=RegistrationStatus.WAITLISTED).values_list(
            "pk", flat=True
        )
    )


def _email_note(registration):
    registration.refresh_from_db(fields=["status_email_sent_at"])
    if registration.status_email_sent_at:
        return "お知らせメールを送りました。", True
    return "お知らせメールは送れませんでした。時間をおいて「お知らせを再送」してください。", False


def run_cancel(registration):
    waiting = _waitlisted_pks(registration.event_id)
    if not services.cancel(registration):
        return messages.WARNING, f"{registration.name} さんの申込は、すでにキャンセルされています。"
    note, sent = _email_note(registration)
    text = f"{registration.name} さんの申込をキャンセルしました。{note}"
    promoted = Registration.objects.filter(pk__in=waiting, status=RegistrationStatus.CONFIRMED)
    names = "、".join(f"{person.name} さん" for person in promoted)
    if names:
        text += f"キャンセル待ちの {names}が参加確定になりました。"
        unsent = [person for person in promoted if person.status_email_sent_at is None]
        if unsent:
            sent = False
            text += "お知らせメールを送れなかった人がいます。時間をおいて「お知らせを再送」してください。"
        else:
            text += "お知らせメールを送りました。"
    return (messages.SUCCESS if sent else messages.WARNING), text


def run_confirm(registration):
    if not services.confirm_from_waitlist(registration):
        return messages.WARNING, f"{registration.name} さんの申込は、キャンセル待ちではありません。"
    note, sent = _email_note(registration)
    return (messages.SUCCESS if sent else messages.WARNING), (
        f"{registration.name} さんを参加確定にしました。{note}"
    )


def run_resend(registration):
    name, status = registration.name, registration.get_status_display()
    if emails.send_status_email(registration):
        return messages.SUCCESS, f"{name} さんに、{status}のお知らせを再送しました。"
    return messages.ERROR, (
        f"{name} さんへのお知らせメールを送れませんでした。時間をおいてもう一度お試しください。"
    )


def is_actionable(registration):
    return registration.anonymized_at is None and not registration.event.is_past


@dataclass(frozen=True)
class Action:
    name: str  # URL segment and log action suffix
    label: str
    question: str
    button_class: str
    log_label: str
    applies: object  # registration -> bool
    run: object  # registration -> (message level, message)

    def confirmation(self, registration):
        question = self.question
        event = registration.event
        if self.name == "confirm" and event.capacity is not None and event.seats_left() == 0:
            question += (
                f"定員({event.capacity}名)はすでに埋まっているため、定員を超えての参加確定になります。"
            )
        return question


ACTIONS = {
    action.name: action
    for action in [
        Action(
            name="cancel",
            label="キャンセルする",
            question=(
                "この申込をキャンセルします。ご本人にキャンセル完了のメールが届きます。"
                "参加確定だった場合は、空いた席がキャンセル待ちのいちばん早い方に回ります。"
            ),
            button_class="no",
            log_label="参加申込をキャンセル",
            applies=lambda registration: is_actionable(registration) and registration.is_active,
            run=run_cancel,
        ),
        Action(
            name="confirm",
            label="参加確定にする",
            question="キャンセル待ちのこの申込を参加確定にします。ご本人に参加確定のメールが届きます。",
            button_class="",
            log_label="キャンセル待ちから参加確定に",
            applies=lambda registration: (
                is_actionable(registration) and registration.status == RegistrationStatus.WAITLISTED
            ),
            run=run_confirm,
        ),
        Action(
            name="resend",
            label="お知らせを再送",
            question="この申込の、いまの状態のお知らせメールを、ご本人にもう一度送ります。",
            button_class="button-secondary",
            log_label="お知らせメールを再送",
            applies=is_actionable,
            run=run_resend,
        ),
    ]
}


@hooks.register("register_log_actions")
def register_registration_log_actions(actions):
    for action in ACTIONS.values():
        actions.register_action(f"projects.registration.{action.name}", action.log_label, action.log_label)


def safe_next(request, fallback):
    """The listing URL (with its filters) to go back to, if `next` names one of ours; else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if ok and target.startswith(fallback) else fallback


class RegistrationActionView(WagtailAdminTemplateMixin, TemplateView):
    """GET asks the staff member to confirm; POST does it, says how it went and goes back to the listing."""

    model_admin = None
    action = None
    header_icon = "group"
    http_method_names = ["get", "post"]

    def dispatch(self, request, instance_pk):
        if not is_id(str(instance_pk)):
            raise Http404
        self.registration = get_object_or_404(Registration.objects.select_related("event"), pk=instance_pk)
        helper = self.model_admin.permission_helper
        if not helper.user_can_act_on(request.user, self.registration):
            raise PermissionDenied
        self.index_url = self.model_admin.url_helper.index_url
        self.next_url = safe_next(request, self.index_url)
        if not self.action.applies(self.registration):
            messages.warning(request, f"この申込には「{self.action.label}」を使えません。")
            return redirect(self.next_url)
        return super().dispatch(request, instance_pk)

    def get_page_title(self):
        return self.action.label

    def get_page_subtitle(self):
        return self.registration.name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.index_url, "label": "参加申込"},
            {"url": "", "label": self.action.label},
        ]

    def get_template_names(self):
        return ["projects/admin/registration_action.html"]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            registration=self.registration,
            event_label=event_label(self.registration.event),
            action=self.action,
            question=self.action.confirmation(self.registration),
            action_url=self.request.path,
            next_url=self.next_url,
            **kwargs,
        )

    def post(self, request, instance_pk):
        level, text = self.action.run(self.registration)
        log(
            instance=self.registration,
            action=f"projects.registration.{self.action.name}",
            user=request.user,
            title=log_title(self.registration),
        )
        messages.add_message(request, level, text)
        return redirect(self.next_url)


# The roster as CSV


ROSTER_HEADER = ["氏名", "ふりがな", "メールアドレス", "電話番号", "状態", "申込日時", "繰り上げ日時", "備考"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STATUS_ORDER = Case(
    When(status=RegistrationStatus.CONFIRMED, then=Value(0)),
    When(status=RegistrationStatus.WAITLISTED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def csv_cell(value):
    """A cell spreadsheets show as text: one starting like a formula gets a leading apostrophe."""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    # Line breaks inside a cell as Excel writes them (LF); rows themselves end with CRLF.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def roster_rows(event):
    registrations = event.registrations.annotate(status_rank=STATUS_ORDER).order_by(
        "status_rank", "created_at", "pk"
    )
    for registration in registrations:
        yield [
            registration.name,
            registration.name_kana,
            registration.email,
            registration.phone,
            registration.get_status_display(),
            staff_time(registration.created_at),
            staff_time(registration.promoted_at),
            registration.note,
        ]


def roster_filename(event):
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", event.slug).strip("-")
    return f"roster-{slug or f'event-{event.pk}'}.csv"


def roster_csv(event):
    """The event's roster for Excel: UTF-8 with a BOM, CRLF, active registrations first."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ROSTER_HEADER)
    for row in roster_rows(event):
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def roster_url(event_pk):
    return reverse("projects_registration_modeladmin_roster", args=[event_pk])


# The listing, inspect and edit views


class EventFilter(SimpleListFilter):
    title = "イベント"
    parameter_name = "event"

    def lookups(self, request, model_admin):
        events = EventPage.objects.filter(registrations__isnull=False).distinct().order_by("-starts_at")
        return [(str(event.pk), event_label(event)) for event in events]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(event_id=int(value)) if is_id(value) else queryset.none()


class RegistrationIndexView(IndexView):
    def filtered_event(self):
        value = self.params.get(EventFilter.parameter_name, "")
        return EventPage.objects.filter(pk=int(value)).first() if is_id(value) else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.filtered_event()
        if event is not None:
            counts = dict.fromkeys(RegistrationStatus.values, 0)
            for status in event.registrations.values_list("status", flat=True):
                counts[status] += 1
            capacity = f"(定員 {event.capacity}名)" if event.capacity is not None else "(定員なし)"
            context["roster_url"] = roster_url(event.pk)
            context["event_summary"] = (
                f"{event_label(event)}: 参加確定 {counts['confirmed']}名{capacity}・"
                f"キャンセル待ち {counts['waitlisted']}名・キャンセル {counts['cancelled']}名"
            )
        return context

    def get_template_names(self):
        return ["projects/admin/registration_index.html"]


class RegistrationInspectView(InspectView):
    def get_field_display_value(self, field_name, field=None):
        value = getattr(self.instance, field_name)
        if field_name == "event":
            return event_label(value)
        if hasattr(value, "tzinfo"):
            return staff_time(value) or self.model_admin.get_empty_value_display(field_name)
        return super().get_field_display_value(field_name, field)


class RegistrationHistoryView(HistoryView):
    def check_action_permitted(self, user):
        return self.permission_helper.user_can_inspect_obj(user, self.instance)


class RegistrationEditView(EditView):
    def form_valid(self, form):
        response = ModelFormView.form_valid(self, form)
        log(
            instance=self.instance,
            action="wagtail.edit",
            content_changed=form.has_changed(),
            user=self.request.user,
            title=log_title(self.instance),
        )
        return response


class RegistrationDeleteView(DeleteView):
    def post(self, request, *args, **kwargs):
        title = log_title(self.instance)
        with transaction.atomic():
            log(instance=self.instance, action="wagtail.delete", user=request.user, title=title)
            self.instance.delete()
        messages.success(request, f"{title}を削除しました。")
        return redirect(self.index_url)


CONTACT_FIELDS = ["name", "name_kana", "email", "phone", "note"]


class RegistrationContactForm(WagtailAdminModelForm):
    """Contact details only; the status, event and timestamps are not fields of this form."""

    def clean_email(self):
        email = self.cleaned_data["email"]
        registration = self.instance
        others = (
            Registration.objects.filter(event_id=registration.event_id, email__iexact=email)
            .exclude(status=RegistrationStatus.CANCELLED)
            .exclude(pk=registration.pk)
        )
        if registration.is_active and others.exists():
            raise ValidationError("このメールアドレスでは、同じイベントにほかの申込があります。")
        return email

    def save(self, commit=True):
        registration = super().save(commit=False)
        if commit:
            # Write the contact fields only, never a status read before an action changed it meanwhile.
            fields = [name for name in CONTACT_FIELDS if name in self.fields]
            registration.save(update_fields=[*fields, "updated_at"])
        return registration


class RegistrationButtonHelper(ButtonHelper):
    def back_url(self):
        if isinstance(self.view, IndexView):
            return self.request.get_full_path()
        return safe_next(self.request, self.url_helper.index_url)

    def with_next(self, url):
        return f"{url}?{urlencode({'next': self.back_url()})}"

    def inspect_button(self, pk, classnames_add=None, classnames_exclude=None):
        button = super().inspect_button(pk, classnames_add, classnames_exclude)
        button.update(url=self.with_next(button["url"]), label="詳細")
        return button

    def get_primary_button(self, obj):
        if self.permission_helper.user_can_inspect_obj(self.request.user, obj):
            return self.inspect_button(obj.pk)
        return None

    def action_button(self, action, obj, classnames_add):
        url = self.url_helper.get_action_url(action.name, obj.pk)
        classnames = [action.button_class] if action.button_class else []
        return {
            "url": self.with_next(url),
            "label": action.label,
            "classname": self.finalise_classname(classnames + list(classnames_add or [])),
            "title": f"{obj.name} さんの申込を「{action.label}」",
        }

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if self.permission_helper.user_can_act_on(self.request.user, obj):
            buttons += [
                self.action_button(action, obj, classnames_add)
                for action in ACTIONS.values()
                if action.applies(obj)
            ]
        if isinstance(self.view, InspectView):
            buttons.append(
                {
                    "url": roster_url(obj.event_id),
                    "label": "名簿をダウンロード(CSV)",
                    "classname": self.finalise_classname(["button-secondary"]),
                    "title": f"{obj.event.title} の名簿(CSV)",
                }
            )
        return buttons


class RegistrationAdmin(ModelAdmin):
    model = Registration
    menu_label = "参加申込"
    menu_icon = "group"
    menu_order = 220
    add_to_admin_menu = True
    permission_helper_class = RegistrationPermissionHelper
    button_helper_class = RegistrationButtonHelper
    index_view_class = RegistrationIndexView
    inspect_view_class = RegistrationInspectView
    edit_view_class = RegistrationEditView
    delete_view_class = RegistrationDeleteView
    history_view_class = RegistrationHistoryView
    list_display = ["name", "name_kana", "email", "event_title", "status", "created_at", "status_email_sent"]
    list_filter = [EventFilter, "status"]
    list_select_related = ["event"]
    search_fields = ["name", "name_kana", "email"]
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields = [
        "event",
        "name",
        "name_kana",
        "email",
        "phone",
        "note",
        "status",
        "created_at",
        "promoted_at",
        "cancelled_at",
        "status_email_sent_at",
        "reminder_sent_at",
        "updated_at",
        "anonymized_at",
    ]
    edit_handler = ObjectList(
        [
            HelpPanel(
                content=(
                    "<p>ここでは連絡先だけを直せます。参加確定・キャンセル待ち・キャンセルの切り替えは、"
                    "一覧の「キャンセルする」「参加確定にする」から行ってください(席の数とお知らせメールが"
                    "正しく処理されます)。</p>"
                )
            ),
            *[FieldPanel(name) for name in CONTACT_FIELDS],
        ],
        base_form_class=RegistrationContactForm,
    )

    @display(description="イベント", ordering="event__starts_at")
    def event_title(self, obj):
        return event_label(obj.event)

    @display(description="お知らせ送信", boolean=True)
    def status_email_sent(self, obj):
        return obj.status_email_sent_at is not None

    def get_admin_urls_for_registration(self):
        urls = super().get_admin_urls_for_registration()
        for action in ACTIONS.values():
            view = RegistrationActionView.as_view(model_admin=self, action=action)
            urls += (
                path(
                    f"{self.url_helper.base_url_path}/{action.name}/<int:instance_pk>/",
                    view,
                    name=self.url_helper.get_action_url_name(action.name),
                ),
            )
        urls += (
            path(
                f"{self.url_helper.base_url_path}/roster/<int:event_pk>/",
                require_GET(self.roster_view),
                name=self.url_helper.get_action_url_name("roster"),
            ),
        )
        return urls

    def roster_view(self, request, event_pk):
        if not self.permission_helper.user_can_list(request.user):
            raise PermissionDenied
        if not is_id(str(event_pk)):
            raise Http404
        event = get_object_or_404(EventPage, pk=event_pk)
        response = HttpResponse(roster_csv(event), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{roster_filename(event)}"'
        response["Cache-Control"] = "no-store"
        return response
