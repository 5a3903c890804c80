"""The email inviting a worker to a project's team, with their personal links to accept or decline.

It names the project, the organization, the role and 事務局's message, and nothing about any other
worker. Plain text with an HTML alternative; the sender and its contact details come from the center's
settings of the project's site, as in the registration emails. Sending never raises: a failure is logged
and leaves the invitation without `email_sent_at`, for staff to see on the matching page.
"""

import logging

from django.urls import reverse

from home.mail import Stamp, send_templated_email
from home.origin import absolute_url, page_url
from projects.models import TeamInvitation

from .tokens import make_token

logger = logging.getLogger(__name__)

SUBJECT = "【プロボノのご依頼】{title} のチームへのお誘い"


def answer_url(invitation, choice=None):
    """The worker's page for this invitation; `choice` ("accept" or "decline") preselects the button."""
    url = reverse("team_invitation", args=[make_token(invitation)])
    return f"{url}?answer={choice}" if choice else url


def send_invitation(invitation):
    """Queue the worker's invitation email; the outbox row (home/mail.py)."""
    project = invitation.project
    context = {
        "invitation": invitation,
        "worker_name": invitation.worker.name,
        "project": project,
        "organization": project.organization,
        "project_url": page_url(project) if project.live else "",
        "accept_url": absolute_url(answer_url(invitation, "accept")),
        "decline_url": absolute_url(answer_url(invitation, "decline")),
    }
    return send_templated_email(
        "emails/team_invitation",
        subject=SUBJECT.format(title=project.title),
        to=[invitation.worker.email],
        context=context,
        site=project.get_site(),
        logger=logger,
        failure=("Could not send the email of team invitation %s", invitation.pk),
        mark_sent=Stamp(TeamInvitation, "email_sent_at", {"pk": invitation.pk}),
    )
