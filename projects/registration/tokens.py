"""Signed, single-purpose links for one registration: its status page and its cancellation.

A link carries the registration's id and event (home/signed_links.py), with a salt per purpose, so a
status link cannot cancel and no link can be forged or pointed at another registration. They never expire.
"""

from home.signed_links import InvalidLink, read_token
from home.signed_links import make_token as sign

STATUS = "projects.registration.status"
CANCEL = "projects.registration.cancel"


def make_token(registration, purpose):
    return sign([registration.pk, registration.event_id], purpose)


def registration_for_token(token, purpose, event):
    """The registration a token names for this event; raises InvalidLink when the token is not valid here."""
    from projects.models import Registration

    registration_id, event_id = read_token(token, purpose, count=2)
    registration = None
    if event_id == event.pk:
        registration = Registration.objects.filter(pk=registration_id, event=event).first()
    if registration is None:
        raise InvalidLink
    return registration
