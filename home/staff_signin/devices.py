"""A person's second factor: one authenticator app (a django-otp TOTP device) and one set of recovery codes
(a static device whose tokens are used once each)."""

import base64
import datetime

from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

AUTHENTICATOR_NAME = "認証アプリ"
RECOVERY_NAME = "回復コード"
RECOVERY_CODE_COUNT = 10


class Throttled(Exception):
    """Too many wrong codes in a row: the device accepts none until `until`."""

    def __init__(self, until):
        super().__init__(until)
        self.until = until


def authenticator(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_authenticator(user):
    """The unconfirmed authenticator being set up: the same key until it is confirmed, so the QR code
    shown once stays valid across reloads."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def base32_key(device):
    """The key as authenticator apps ask for it when typed by hand, in groups of four."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _check(device, code):
    """The device that accepted `code` (locked for the check, so parallel guesses count), or None;
    Throttled while the device refuses codes after wrong ones."""
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, details = device.verify_is_allowed()
        if not allowed:
            raise Throttled(details.get("locked_until") or timezone.now() + datetime.timedelta(seconds=1))
        return verify_token(device.user, device.persistent_id, code)


def confirm_authenticator(device, code):
    """True when `code` is the authenticator's current one; it then replaces any earlier authenticator."""
    if not _check(device, code):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True
    return True


def verify_authenticator(user, code):
    device = authenticator(user)
    return _check(device, code) if device else None


def verify_recovery_code(user, code):
    """The recovery codes' device when `code` is one of them (it is then used up), else None."""
    device = StaticDevice.objects.devices_for_user(user, confirmed=True).first()
    return _check(device, code) if device else None


def new_recovery_codes(user):
    """Replaces the user's recovery codes with RECOVERY_CODE_COUNT new ones, returned once."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remove_second_factor(user):
    """Deletes the user's authenticator and recovery codes; returns whether there was any."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    return bool(removed)
