"""Phone and FAX numbers as people type them (full-width digits, any of the dashes a Japanese keyboard
makes, spaces) and as they are kept and dialled: ASCII digits and hyphens, an optional leading +.

The one rule behind the center's settings, the event registration form and the お問い合わせ form.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

PHONE_DASHES = re.compile(r"[-‐‑‒–—―−ーｰ－]")
PHONE_PATTERN = re.compile(r"^\+?[0-9-]+$")
MAX_LENGTH = 20
# Japanese numbers have 10 digits (11 for mobiles, 0120 and 0570 numbers); with a country code, 13.
MIN_DIGITS, MAX_DIGITS = 10, 13
INVALID_PHONE = "数字とハイフンで入力してください(例:042-000-0000)。"


def clean_phone_number(value):
    """`value` folded to digits and hyphens, "" for an empty one; ValidationError (in Japanese, to follow
    the field's name: 「電話番号は、…」) for anything that is not a phone number."""
    phone = unicodedata.normalize("NFKC", value or "")
    phone = PHONE_DASHES.sub("-", "".join(phone.split())).strip("-")
    if not phone:
        return ""
    digits = sum(char.isdigit() for char in phone)
    if not PHONE_PATTERN.match(phone) or not MIN_DIGITS <= digits <= MAX_DIGITS or len(phone) > MAX_LENGTH:
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return phone
