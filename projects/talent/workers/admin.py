"""The pro bono worker register in the Wagtail admin, for 事務局 only: a list with filters and search,
a detail page, and the newsletter CSV.

Workers come from the public form and manage their own profile by link, so the admin adds and edits
nothing. Its one action is 退会処理, for a worker who asks the center by phone or in person: the
admin's delete, which here erases the personal data and keeps the row, exactly as withdrawing by link
does (it needs `delete_worker`). Reading needs `projects.view_worker` (the 事務局 group and superusers);
editors see neither the menu item nor any page, and get 403 on the addresses.
"""

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path, reverse
from django.views.decorators.http import require_GET
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import DeleteView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from home.dates import format_iso_minutes, today
from projects.models import Worker, WorkerRegistrationPage, WorkerStatus
from projects.registration.csv_export import csv_cell

from . import emails, services

VIEW_PERMISSION = "projects.view_worker"

NEWSLETTER_HEADER = ["氏名", "ふりがな", "メールアドレス", "スキル", "活動できる地域", "登録日時"]


class ReadOnlyWorkerPolicy(ModelPermissionPolicy):
    """View (or change, which implies reading) lets staff list and inspect; delete lets them withdraw a
    worker; nobody adds or edits one here."""

    def user_has_permission(self, user, action):
        if action in ("view", "inspect"):
            return user.has_perm(VIEW_PERMISSION) or user.has_perm("projects.change_worker")
        if action == "delete":
            return user.has_perm("projects.delete_worker")
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and instance.status == WorkerStatus.WITHDRAWN:
            return False
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)


register_permission_policy(Worker, ReadOnlyWorkerPolicy(Worker))


def can_read_workers(user):
    return ReadOnlyWorkerPolicy(Worker).user_has_permission(user, "view")


def newsletter_rows():
    workers = (
        Worker.objects.filter(status=WorkerStatus.ACTIVE, newsletter=True)
        .prefetch_related("skills", "areas")
        .order_by("created_at", "pk")
    )
    for worker in workers:
        yield [
            worker.name,
            worker.name_kana,
            worker.email,
            "、".join(skill.name for skill in worker.skills.all()),
            "、".join(area.name for area in worker.areas.all()),
            format_iso_minutes(worker.created_at),
        ]


def newsletter_csv():
    """Active workers who asked for the newsletter, for Excel: UTF-8 with a BOM, CRLF, oldest first."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(NEWSLETTER_HEADER)
    for row in newsletter_rows():
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


@require_GET
def newsletter_csv_view(request):
    if not can_read_workers(request.user):
        raise PermissionDenied
    response = HttpResponse(newsletter_csv(), content_type="text/csv; charset=utf-8")
    filename = f"newsletter-{today():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def skill_names(worker):
    return "、".join(skill.name for skill in worker.skills.all())


class WorkerIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("skills")

    @property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                "メールマガジン配信先(CSV)",
                url=reverse("projects_worker:newsletter_csv"),
                icon_name="download",
            ),
        ]


class WorkerWithdrawView(DeleteView):
    """退会処理: the admin's delete erases the worker's personal data and keeps the row."""

    page_title = "退会処理"
    success_message = "退会処理をしました。個人情報を消去し、退会として記録しました。"

    @property
    def confirmation_message(self):
        return (
            f"{self.object} さんの個人情報(氏名、ふりがな、メールアドレス、電話番号、スキル、"
            "地域、自己紹介など)をすべて消去し、退会として記録します。元に戻せません。"
            "本人から退会の申し出があったときに使ってください。"
        )

    # The row stays, so nothing that refers to it is affected: no usage to list.
    def get_usage_url(self):
        return None

    def get_usage(self):
        return None

    def delete_action(self):
        worker_id = self.object.pk
        email = services.withdraw(self.object)
        page = WorkerRegistrationPage.objects.live().first()
        if email and page is not None:
            emails.send_withdrawn_email(page.specific, worker_id, email)


class WorkerViewSet(ModelViewSet):
    add_to_reference_index = False  # an event's usage listing must not show editors its attendees
    model = Worker
    url_prefix = "projects/workers"
    url_namespace = "projects_worker"
    icon = "group"
    menu_label = "プロボノワーカー"
    menu_order = 270
    add_to_admin_menu = True
    index_view_class = WorkerIndexView
    delete_view_class = WorkerWithdrawView
    list_display = [
        "__str__",
        "name_kana",
        Column("status", label="状態", accessor="get_status_display"),
        Column("skill_names", label="スキル", accessor=skill_names),
        "hours_per_month",
        DateColumn("created_at", label="登録日時"),
    ]
    list_filter = ["status", "skills", "areas", "weekday_evenings", "weekends", "newsletter"]
    search_fields = ["name", "name_kana", "email"]
    # Personal data stays out of the full-text index: a plain database match finds part-words too.
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "name_kana",
        "email",
        "phone",
        "status",
        "skills",
        "years_of_experience",
        "weekday_evenings",
        "weekends",
        "hours_per_month",
        "areas",
        "briefing",
        "introduction",
        "newsletter",
        "created_at",
        "confirmed_at",
        "withdrawn_at",
    ]
    form_fields = []  # nothing is edited here; the worker's own link is the way to change a profile
    ordering = ["-created_at", "-pk"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("newsletter.csv", newsletter_csv_view, name="newsletter_csv"),
        ]


worker_viewset = WorkerViewSet("projects_worker")


@hooks.register("register_admin_viewset")
def register_worker_viewset():
    return worker_viewset
