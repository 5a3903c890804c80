"""The demo logins: an administrator and one account per editorial group, so each role can be tried out.

They exist only in databases that load_demo built, never in production. Running again resets their
passwords and groups, so the logins load_demo prints always work.

The accounts that must use two-factor authentication (the administrator, 承認者 and 事務局) get an
authenticator with one published demo key, so the demo signs in through the same second step as
production: add DEMO_TOTP_KEY to an authenticator app, or run `manage.py demo_code` for the current code.
"""

import base64
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from home.staff_signin.devices import remove_second_factor
from home.staff_signin.policy import two_factor_required


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
# Public on purpose, like the passwords above (README and docs/operations.md print it): base32, as
# authenticator apps take it.
DEMO_TOTP_KEY = "HACHIOJIDEMOTOTPSECRETKEYABCDEFG"
DEMO_TOTP_NAME = "デモ用認証アプリ"


def demo_totp_hex_key():
    return base64.b32decode(DEMO_TOTP_KEY).hex()


def demo_code(steps_ahead=0):
    """The code an authenticator app with the demo key shows now (or that many 30-second steps later)."""
    return f"{totp(bytes.fromhex(demo_totp_hex_key()), drift=steps_ahead):06d}"


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
    ensure_demo_authenticator(user)
    return user, created


def ensure_demo_authenticator(user):
    """The demo key's authenticator for an account that must use one; none for the others."""
    remove_second_factor(user)
    if two_factor_required(user):
        TOTPDevice.objects.create(user=user, name=DEMO_TOTP_NAME, key=demo_totp_hex_key(), confirmed=True)


def ensure_demo_accounts():
    """All demo accounts; returns how many were created."""
    return sum(ensure_demo_account(account)[1] for account in DEMO_ACCOUNTS)


def demo_admin_exists():
    return get_user_model().objects.filter(username=DEMO_ADMIN.username).exists()
