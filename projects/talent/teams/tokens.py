"""Signed links for one team invitation: the worker's page to accept or decline it, without a login.

The link carries the invitation's id, its project and its worker, signed with the site's secret and a salt
of its own purpose, so it cannot be forged, pointed at another invitation or used as any other link of the
site. It expires after INVITATION_LINK_MAX_AGE; the invitation itself stays, for staff to invite again.
Django's signed text contains ":", so it travels base64-encoded, like the registration links.
"""

import base64
import binascii
import datetime

from django.core import signing

ANSWER = "projects.talent.team_invitation.answer"
INVITATION_LINK_MAX_AGE = datetime.timedelta(days=60)


class LinkExpired(Exception):
    """The link was genuine but is older than INVITATION_LINK_MAX_AGE."""


def make_token(invitation, purpose=ANSWER):
    signed = signing.dumps([invitation.pk, invitation.project_id, invitation.worker_id], salt=purpose)
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def invitation_for_token(token, purpose=ANSWER):
    """The invitation a token names, or None when the token is not valid (tampered, or the invitation is
    gone). Raises LinkExpired for a genuine link past its age."""
    from projects.models import TeamInvitation

    try:
        signed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        invitation_id, project_id, worker_id = signing.loads(
            signed, salt=purpose, max_age=INVITATION_LINK_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except (binascii.Error, UnicodeDecodeError, signing.BadSignature, TypeError, ValueError):
        return None
    if not all(isinstance(value, int) for value in (invitation_id, project_id, worker_id)):
        return None
    return (
        TeamInvitation.objects.filter(pk=invitation_id, project_id=project_id, worker_id=worker_id)
        .select_related("project", "project__organization", "worker")
        .first()
    )
