"""The demo administrator. It exists only in databases that load_demo built, never in production."""

from django.contrib.auth import get_user_model

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "hachioji-demo"
DEMO_ADMIN_EMAIL = "admin@example.jp"


def ensure_demo_admin():
    """The demo superuser, with the demo password reset so that the login load_demo prints always works."""
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_ADMIN_USERNAME,
        defaults={"email": DEMO_ADMIN_EMAIL, "first_name": "デモ", "last_name": "管理者"},
    )
    user.is_staff = True
    user.is_superuser = True
    user.is_active = True
    user.set_password(DEMO_ADMIN_PASSWORD)
    user.save()
    return user, created


def demo_admin_exists():
    return get_user_model().objects.filter(username=DEMO_ADMIN_USERNAME).exists()
