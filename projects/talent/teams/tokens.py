"""Signed links for one team invitation: the worker's page to accept or decline it, without a login.

The link carries the invitation's id, its project and its worker (home/signed_links.py) with a salt of its
own purpose, so it cannot be forged, pointed at another invitation or used as any other link of the site.
It expires after INVITATION_LINK_MAX_AGE; the invitation itself stays, for staff to invite again.
"""

import datetime

from home.signed_links import InvalidLink, read_token
from home.signed_links import make_token as sign

ANSWER = "projects.talent.team_invitation.answer"
INVITATION_LINK_MAX_AGE = datetime.timedelta(days=60)


def make_token(invitation, purpose=ANSWER):
    return sign([invitation.pk, invitation.project_id, invitation.worker_id], purpose)


def invitation_for_token(token, purpose=ANSWER):
    """The invitation a token names; raises ExpiredLink for a genuine link past its age, InvalidLink when
    the token is not valid (tampered, or the invitation is gone)."""
    from projects.models import TeamInvitation

    invitation_id, project_id, worker_id = read_token(
        token, purpose, count=3, max_age=INVITATION_LINK_MAX_AGE
    )
    invitation = (
        TeamInvitation.objects.filter(pk=invitation_id, project_id=project_id, worker_id=worker_id)
        .select_related("project", "project__organization", "worker")
        .first()
    )
    if invitation is None:
        raise InvalidLink
    return invitation
