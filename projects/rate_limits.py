"""How often one address may post the public forms (event registration, pro bono worker registration,
support application): REGISTRATION_RATE_LIMIT for each, counted separately per form."""

from django.conf import settings
from django_ratelimit.core import is_ratelimited


def posted_too_often(request, form_name):
    """True when this POST goes over the limit; it counts towards it either way."""
    rate = settings.REGISTRATION_RATE_LIMIT
    if not rate:
        return False
    return is_ratelimited(request, group=form_name, key="ip", rate=rate, method="POST", increment=True)
