"""Staff side of event registrations (参加申込): the roster in the Wagtail admin. Its row actions are in
row_actions.py, its CSV export in csv_export.py.

Staff list, search and inspect registrations and may correct a person's contact details. Status changes
never happen in the edit form: they go through the row actions (キャンセルする, 参加確定にする), which call
the same services as the public pages, so the seat count and the waitlist stay right and the person is
emailed. Only users with the Registration model permissions (the 事務局 group, superusers) get in:
view or change to read, change to act, delete to remove a cancelled registration; nobody adds one here.

Its two templates (templates/projects/admin/) extend the admin's own.
"""

from django.contrib import messages
from django.contrib.admin import SimpleListFilter, display
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
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

from home.dates import format_iso_minutes
from projects.models import EventPage, Registration, RegistrationStatus

from .csv_export import roster_csv, roster_filename
from .row_actions import ACTIONS, RegistrationActionView, event_label, is_id, log_title, safe_next

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
            return format_iso_minutes(value) or self.model_admin.get_empty_value_display(field_name)
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

    # Words rather than Django's boolean icon, whose text for screen readers is "True" or "False".
    @display(description="お知らせ送信")
    def status_email_sent(self, obj):
        return "送信済み" if obj.status_email_sent_at is not None else "未送信"

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
