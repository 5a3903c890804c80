"""Signed, single-purpose links for one registration: its status page and its cancellation.

A link carries the registration's id and event, signed with the site's secret and a salt per purpose,
so a status link cannot cancel and no link can be forged or pointed at another registration. Django's
signed text contains ":", which Wagtail's page URLs do not allow, so it travels base64-encoded.
"""

import base64
import binascii

from django.core import signing

STATUS = "projects.registration.status"
CANCEL = "projects.registration.cancel"


def make_token(registration, purpose):
    signed = signing.dumps([registration.pk, registration.event_id], salt=purpose)
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def registration_for_token(token, purpose, event):
    """The registration a token names for this event, or None when the token is not valid here."""
    from projects.models import Registration

    try:
        signed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        registration_id, event_id = signing.loads(signed, salt=purpose)
    except (binascii.Error, UnicodeDecodeError, signing.BadSignature, TypeError, ValueError):
        return None
    if event_id != event.pk or not isinstance(registration_id, int):
        return None
    return Registration.objects.filter(pk=registration_id, event=event).first()
