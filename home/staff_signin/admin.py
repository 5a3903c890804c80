"""Staff sign-in in the Wagtail admin: each person's two-factor settings (from their account page), and for
administrators the two-factor state of every account (with a reset) and the current login lockouts."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.views.generic import TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from . import devices
from .policy import two_factor_required
from .views import _show_new_codes

RESET_ACTION = "staff_signin.reset_two_factor"


class OverviewView(WagtailAdminTemplateMixin, TemplateView):
    """The signed-in person's two-factor state: set up, replace, new recovery codes, turn off if allowed."""

    page_title = "二段階認証"
    header_icon = "lock"
    template_name = "staff_signin/overview.html"
    http_method_names = ["get", "head"]

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            authenticator=devices.authenticator(user),
            codes_left=devices.recovery_codes_left(user),
            required=two_factor_required(user),
            **kwargs,
        )


def regenerate_codes(request):
    """POST: new recovery codes for the signed-in person (the old ones stop working)."""
    if request.method != "POST":
        return redirect("staff_signin_overview")
    if devices.authenticator(request.user) is None:
        messages.error(request, "回復コードは、認証アプリを設定してから作れます。")
        return redirect("staff_signin_overview")
    return _show_new_codes(request, devices.new_recovery_codes(request.user))


def disable(request):
    """POST: turns two-factor authentication off, for those who are not required to use it."""
    if request.method != "POST":
        return redirect("staff_signin_overview")
    if two_factor_required(request.user):
        messages.error(request, "あなたのアカウントでは二段階認証が必須のため、無効にできません。")
    elif devices.remove_second_factor(request.user):
        messages.success(request, "二段階認証を無効にしました。")
    return redirect("staff_signin_overview")


def forbidden(request):
    return TemplateResponse(request, "staff_signin/forbidden.html", status=403)


class AdministratorsOnly(WagtailAdminTemplateMixin):
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]


class AccountsView(AdministratorsOnly, TemplateView):
    """Every active account with whether it must use, and has, a second factor."""

    page_title = "二段階認証の状況"
    template_name = "staff_signin/accounts.html"
    http_method_names = ["get", "head"]

    def get_context_data(self, **kwargs):
        users = (
            get_user_model()
            .objects.filter(is_active=True)
            .annotate(
                in_required_group=Exists(
                    get_user_model().groups.through.objects.filter(
                        user_id=OuterRef("pk"), group__name__in=settings.STAFF_TWO_FACTOR_GROUPS
                    )
                ),
                has_authenticator=Exists(TOTPDevice.objects.filter(user_id=OuterRef("pk"), confirmed=True)),
                codes_left=Count(
                    "staticdevice__token_set", filter=Q(staticdevice__confirmed=True), distinct=True
                ),
            )
            .order_by("username")
        )
        return super().get_context_data(users=users, **kwargs)


class ResetView(AdministratorsOnly, TemplateView):
    """GET asks, POST deletes the account's authenticator and recovery codes; the person sets them up
    again at their next sign-in (or may sign in without, if not required)."""

    page_title = "二段階認証のリセット"
    template_name = "staff_signin/reset.html"
    http_method_names = ["get", "head", "post"]

    def get_context_data(self, **kwargs):
        account = get_object_or_404(get_user_model(), pk=self.kwargs["user_id"])
        return super().get_context_data(account=account, **kwargs)

    def post(self, request, user_id):
        account = get_object_or_404(get_user_model(), pk=user_id)
        if devices.remove_second_factor(account):
            log(instance=account, action=RESET_ACTION, user=request.user)
            messages.success(
                request,
                f"{account.get_username()} の二段階認証をリセットしました。"
                "次回のサインインで設定し直します。",
            )
        else:
            messages.info(request, f"{account.get_username()} は二段階認証を設定していません。")
        return redirect("staff_signin_accounts")


class LockoutsView(AdministratorsOnly, TemplateView):
    """Usernames and addresses with failed logins still counted, the locked ones first; POST clears some."""

    page_title = "サインインのロック"
    template_name = "staff_signin/lockouts.html"
    http_method_names = ["get", "head", "post"]

    def get_context_data(self, **kwargs):
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        attempts = AccessAttempt.objects.filter(attempt_time__gte=since).order_by(
            "-failures_since_start", "-attempt_time"
        )
        rows = [
            {"attempt": attempt, "locked": attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT}
            for attempt in attempts
        ]
        return super().get_context_data(
            rows=rows,
            failure_limit=settings.AXES_FAILURE_LIMIT,
            minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            **kwargs,
        )

    def post(self, request):
        chosen = AccessAttempt.objects.all()
        attempt_id = request.POST.get("attempt", "")
        if attempt_id != "all":
            if not attempt_id.isascii() or not attempt_id.isdigit() or len(attempt_id) > 18:
                messages.error(request, "解除する行を選んでください。")
                return redirect("staff_signin_lockouts")
            chosen = chosen.filter(pk=int(attempt_id))
        cleared = chosen.delete()[0]
        messages.success(
            request,
            f"ロックを解除しました({cleared}件)。" if cleared else "解除するロックはありませんでした。",
        )
        return redirect("staff_signin_lockouts")


def admin_urls():
    return [
        path("two-factor/", OverviewView.as_view(), name="staff_signin_overview"),
        path("two-factor/recovery-codes/", regenerate_codes, name="staff_signin_regenerate_codes"),
        path("two-factor/disable/", disable, name="staff_signin_disable"),
        path("two-factor/accounts/", AccountsView.as_view(), name="staff_signin_accounts"),
        path("two-factor/accounts/<int:user_id>/reset/", ResetView.as_view(), name="staff_signin_reset"),
        path("sign-in-lockouts/", LockoutsView.as_view(), name="staff_signin_lockouts"),
    ]
