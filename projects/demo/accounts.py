"""The demo logins: an administrator and one account per editorial group, so each role can be tried out.

They exist only in databases that load_demo built, never in production. Running again resets their
passwords and groups, so the logins load_demo prints always work.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    last_name: str
    first_name: str
    group: str = ""
    superuser: bool = False

    @property
    def email(self):
        return f"{self.username}@example.jp"


DEMO_ADMIN = DemoAccount("admin", "hachioji-demo", "管理者", "デモ", "管理者", superuser=True)
DEMO_EDITOR = DemoAccount("editor", "hachioji-editor", "編集者", "編集", "花子", group="編集者")
DEMO_MODERATOR = DemoAccount("moderator", "hachioji-moderator", "承認者", "承認", "太郎", group="承認者")
DEMO_OFFICE = DemoAccount("office", "hachioji-office", "事務局", "事務", "局子", group="事務局")
DEMO_ACCOUNTS = (DEMO_ADMIN, DEMO_EDITOR, DEMO_MODERATOR, DEMO_OFFICE)


def ensure_demo_account(account):
    """The account with its demo password, flags and single group; returns (user, created)."""
    user, created = get_user_model().objects.get_or_create(
        username=account.username,
        defaults={"email": account.email, "first_name": account.first_name, "last_name": account.last_name},
    )
    user.is_staff = account.superuser
    user.is_superuser = account.superuser
    user.is_active = True
    user.set_password(account.password)
    user.save()
    user.groups.set([Group.objects.get(name=account.group)] if account.group else [])
    return user, created


def ensure_demo_accounts():
    """All demo accounts; returns how many were created."""
    return sum(ensure_demo_account(account)[1] for account in DEMO_ACCOUNTS)


def demo_admin_exists():
    return get_user_model().objects.filter(username=DEMO_ADMIN.username).exists()
