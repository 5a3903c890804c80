"""Who gets an online or hybrid event's meeting URL (EventPage.online_url): only people whose seat is
confirmed, in their emails, their calendar file and on their status page. The event page, the public
calendar feeds, the JSON-LD and search say only that the event is online, so the URL never reaches
anyone who has not registered, nor people on the waitlist or who cancelled."""

from projects.models import RegistrationStatus


def meeting_url(registration):
    """The event's meeting URL when `registration` holds a confirmed seat; "" otherwise."""
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        return ""
    return registration.event.online_url.strip()
