"""The staff sign-in screens in the Wagtail admin: the account page's link to one's two-factor settings,
and the administrators' two screens under 設定."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin


@hooks.register("register_admin_urls")
def register_urls():
    return admin.admin_urls()


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("staff_signin_overview"),
        "label": "二段階認証",
        "help_text": "認証アプリと回復コードの設定を確認・変更します。",
    }


class AdministratorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def two_factor_accounts_item():
    return AdministratorMenuItem(
        "二段階認証の状況",
        reverse("staff_signin_accounts"),
        name="two-factor-accounts",
        icon_name="lock",
        order=910,
    )


@hooks.register("register_settings_menu_item")
def lockouts_item():
    return AdministratorMenuItem(
        "サインインのロック",
        reverse("staff_signin_lockouts"),
        name="sign-in-lockouts",
        icon_name="lock",
        order=920,
    )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(admin.RESET_ACTION, "二段階認証のリセット", "二段階認証をリセットしました")
