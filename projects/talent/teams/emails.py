"""The email inviting a worker to a project's team, with their personal links to accept or decline.

It names the project, the organization, the role and 事務局's message, and nothing about any other
worker. Plain text with an HTML alternative; the sender and its contact details come from the center's
settings of the project's site, as in the registration emails. Sending never raises: a failure is logged
and leaves the invitation without `email_sent_at`, for staff to see on the matching page.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from home.origin import absolute_url, page_url
from home.seo import center_settings, site_name
from projects.models import TeamInvitation

from .tokens import make_token

logger = logging.getLogger(__name__)

SUBJECT = "【プロボノのご依頼】{title} のチームへのお誘い"


def answer_url(invitation, choice=None):
    """The worker's page for this invitation; `choice` ("accept" or "decline") preselects the button."""
    url = reverse("team_invitation", args=[make_token(invitation)])
    return f"{url}?answer={choice}" if choice else url


def _sender(project):
    site = project.get_site() or Site.objects.filter(is_default_site=True).first()
    center = center_settings(site=site)
    return {"site_name": site_name(center, site), "center": center}


def _send(invitation):
    project = invitation.project
    context = {
        "invitation": invitation,
        "worker_name": invitation.worker.name,
        "project": project,
        "organization": project.organization,
        **_sender(project),
        "project_url": page_url(project) if project.live else "",
        "accept_url": absolute_url(answer_url(invitation, "accept")),
        "decline_url": absolute_url(answer_url(invitation, "decline")),
    }
    message = EmailMultiAlternatives(
        subject=SUBJECT.format(title=project.title),
        body=render_to_string("emails/team_invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.worker.email],
    )
    message.attach_alternative(render_to_string("emails/team_invitation.html", context), "text/html")
    message.send()


def send_invitation(invitation):
    """Email the worker their invitation; True when the email went out."""
    try:
        _send(invitation)
    except Exception:
        logger.exception("Could not send the email of team invitation %s", invitation.pk)
        return False
    TeamInvitation.objects.filter(pk=invitation.pk).update(email_sent_at=timezone.now())
    return True
