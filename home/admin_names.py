"""Staff names in Japanese order (姓 名), wherever Django and Wagtail show a user.

Django's User.get_full_name() gives "first last" and get_short_name() the first name alone; Wagtail shows
the one in listings, histories and workflow screens (wagtail.admin.utils.get_user_display_name) and the
other in its notification emails' greeting and the sidebar's account menu. Japanese staff read and are
addressed by the family name first, and in writing by the full name (「編集 花子 様」), so both methods
answer the full name in that order, and the sidebar, which reads first_name itself, is given it too.
"""

from django.contrib.auth import get_user_model


def japanese_full_name(user):
    """「姓 名」, or whichever of the two the account has; empty when it has neither."""
    return " ".join(part for part in (user.last_name.strip(), user.first_name.strip()) if part)


def use_japanese_name_order():
    """Installed once at start-up (HomeConfig.ready)."""
    user_model = get_user_model()
    user_model.get_full_name = japanese_full_name
    user_model.get_short_name = japanese_full_name
    _name_the_sidebar_account_in_full()


def _name_the_sidebar_account_in_full():
    from wagtail.admin.ui.sidebar import MainMenuModule

    original = MainMenuModule.js_args
    if getattr(original, "japanese_name_order", False):
        return

    def js_args(self):
        menu_items, account_menu_items, account = original(self)
        name = japanese_full_name(self.user) if hasattr(self.user, "last_name") else ""
        return [menu_items, account_menu_items, {**account, "name": name or account["name"]}]

    js_args.japanese_name_order = True
    MainMenuModule.js_args = js_args
