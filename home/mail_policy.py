"""The email policy of the public forms (event registration, pro bono worker registration, support
application), written once: anyone may type any address into a public form, so what the form mails there
must be of no use to an attacker.

- Verified first: text a visitor chose is never mailed to an address nobody has confirmed, except a name,
  bounded by `quoted()`. Full content goes only to the center, or after the address is confirmed.
- Rate limited: one mail per address, purpose and window (PUBLIC_FORM_MAIL_WINDOW seconds), claimed in
  the shared cache under a keyed hash of the address, so neither keys nor logs hold personal data. When
  the cache does not answer, the feature's own rows decide (`fallback`), once per submission.
- Idempotent: the same submission within PUBLIC_FORM_DUPLICATE_WINDOW lands on the same row;
  `submission_key()` is the keyed hash features store to recognize it.
"""

import contextlib
import json
import re
import unicodedata

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from home.text import BIDI_CONTROLS

# How much of a visitor's name an email to an unconfirmed address quotes.
QUOTE_LIMIT = 40
_CONTROL_OR_FORMAT = {"Cc", "Cf"}
_SPACES = re.compile(r"\s+")


def quoted(text, limit=QUOTE_LIMIT):
    """A visitor's short text as an email may quote it: one line, without control, format or bidi
    characters, at most `limit` characters (cut with …)."""
    text = "".join(
        " " if char.isspace() else char
        for char in str(text or "")
        if char not in BIDI_CONTROLS
        and (char.isspace() or unicodedata.category(char) not in _CONTROL_OR_FORMAT)
    )
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _digest(*parts):
    message = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return salted_hmac("home.mail_policy", message, algorithm="sha256").hexdigest()


def address_key(purpose, address):
    """The cache key of one address for one purpose: a keyed hash, never the address itself."""
    return f"public-form-mail:{purpose}:{_digest(purpose, address.strip().casefold())}"


def submission_key(form_name, data):
    """A keyed hash of a submission's content: equal for the same form sent again with the same data
    (`data` of strings, numbers and sorted lists)."""
    return _digest(form_name, data)


def may_mail(purpose, address, *, fallback):
    """Claim the one `purpose` email `address` may get within the window; True when the caller may send.

    `fallback()` answers instead while the cache is down (django-redis then returns None, or a backend
    raises): it reads the feature's own rows, and is asked once per submission.
    """
    window = settings.PUBLIC_FORM_MAIL_WINDOW
    if not window:
        return True
    try:
        claimed = cache.add(address_key(purpose, address), 1, timeout=window)
    except Exception:  # any failure of the cache means it cannot count
        claimed = None
    return bool(fallback()) if claimed is None else bool(claimed)


def release(purpose, address):
    """Give a claim back after the email failed, so that submitting the form again sends it."""
    with contextlib.suppress(Exception):
        cache.delete(address_key(purpose, address))


def send_once(purpose, address, send, *, fallback):
    """Queue with `send()` (which returns the queued email, home/mail.py, or None when it could not be made)
    unless `address` already had a `purpose` email within the window. The queued email, when there is one.

    An email once queued counts: the outbox retries it, so the claim is kept."""
    if not may_mail(purpose, address, fallback=fallback):
        return False
    sent = send()
    if not sent:
        release(purpose, address)
    return sent
