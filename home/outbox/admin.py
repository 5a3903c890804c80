"""送信メール in the Wagtail admin: what the outbox holds and what became of it, for 事務局, and a button to
try the failed ones again once the mail server is back. Nothing is sent from here: the worker sends."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from home.models import OutgoingEmail, OutgoingEmailStatus

from .delivery import requeue_failed

RETRY_PERMISSION = "home.change_outgoingemail"


class OutgoingEmailIndexView(IndexView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm(RETRY_PERMISSION):
            buttons.append(
                HeaderButton(
                    "送信に失敗したメールを再送", url=reverse("home_outbox:retry"), icon_name="resubmit"
                )
            )
        return buttons


class RetryFailedView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "home/admin/outbox_retry.html"
    page_title = "送信に失敗したメールの再送"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(RETRY_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        failed = OutgoingEmail.objects.filter(status=OutgoingEmailStatus.FAILED).count()
        return super().get_context_data(failed=failed, index_url=reverse("home_outbox:index"), **kwargs)

    def post(self, request):
        requeued = requeue_failed()
        if requeued:
            messages.success(
                request, f"{requeued}件のメールを送信待ちに戻しました。ワーカーが順に送信します。"
            )
        else:
            messages.info(request, "送信に失敗したメールはありません。")
        return redirect("home_outbox:index")


class OutgoingEmailViewSet(ModelViewSet):
    model = OutgoingEmail
    add_to_reference_index = False
    url_prefix = "outbox"
    url_namespace = "home_outbox"
    icon = "mail"
    menu_label = "送信メール"
    add_to_settings_menu = True
    index_view_class = OutgoingEmailIndexView
    list_display = [
        "subject",
        Column("status", label="状態", accessor="get_status_display"),
        "attempts",
        "last_error",
        DateColumn("created_at", label="作成日時"),
        DateColumn("sent_at", label="送信日時"),
    ]
    list_filter = ["status"]
    search_fields = ["subject"]
    search_backend_name = None
    ordering = ["-created_at", "-pk"]
    form_fields = []
    copy_view_enabled = False

    def get_index_view_kwargs(self, **kwargs):
        # The list links nowhere: there is no page to add, edit, copy or delete an email.
        return {
            **super().get_index_view_kwargs(**kwargs),
            "add_url_name": None,
            "edit_url_name": None,
            "copy_url_name": None,
            "delete_url_name": None,
            "inspect_url_name": None,
        }

    def get_urlpatterns(self):
        # A list and a retry: an email is never written or edited by hand here.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("retry/", RetryFailedView.as_view(), name="retry"),
        ]

    def get_permissions_to_register(self):
        return (
            super()
            .get_permissions_to_register()
            .filter(codename__in=["view_outgoingemail", "change_outgoingemail"])
        )


outgoing_email_viewset = OutgoingEmailViewSet("home_outbox")
