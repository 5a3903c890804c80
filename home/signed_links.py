"""Signed links: a few ids signed with the site's secret and a salt per purpose, readable only for that
purpose and, when given a max_age, only for that long.

Django's signed text contains ":", which Wagtail's page URLs do not allow, so a token travels
base64-encoded. Reading a token either returns its ids or raises InvalidLink (tampered, truncated, of
another purpose, or of the wrong shape); a genuine token past its age raises ExpiredLink, a kind of
InvalidLink, for the pages that tell the two apart.
"""

import base64
import binascii

from django.core import signing


class InvalidLink(Exception):
    """The token was not made by this site for this purpose, or names something that is gone."""


class ExpiredLink(InvalidLink):
    """The token is genuine but older than its purpose allows."""


def make_token(ids, salt):
    """A URL-safe token carrying `ids` (a list of integers) for the purpose named by `salt`."""
    signed = signing.dumps(list(ids), salt=salt)
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def read_token(token, salt, count, max_age=None):
    """The `count` integer ids a token carries; raises ExpiredLink or InvalidLink."""
    try:
        signed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        ids = signing.loads(signed, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ExpiredLink from error
    except (binascii.Error, UnicodeDecodeError, signing.BadSignature, TypeError, ValueError) as error:
        raise InvalidLink from error
    if not isinstance(ids, list) or len(ids) != count:
        raise InvalidLink
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in ids):
        raise InvalidLink
    return ids
