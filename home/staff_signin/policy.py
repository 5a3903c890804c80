"""Who must use a second factor, and what a password-signed-in session still has to do."""

from django.conf import settings
from django_otp import user_has_device

VERIFY = "verify"
ENROL = "enrol"


def two_factor_required(user):
    """Superusers and members of STAFF_TWO_FACTOR_GROUPS may not use the admin on a password alone."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=settings.STAFF_TWO_FACTOR_GROUPS).exists()


def pending_step(user):
    """VERIFY when this session still owes a code, ENROL when a required user has no authenticator yet,
    None when the session may use the admin."""
    if not user.is_authenticated or user.is_verified():
        return None
    if user_has_device(user):
        return VERIFY
    if two_factor_required(user):
        return ENROL
    return None
