"""Team invitations change state here only: 事務局 invites and cancels, the worker accepts or declines.

Each change runs in a transaction that first locks the invitation's row (SELECT … FOR UPDATE on
PostgreSQL; SQLite takes its write lock when the transaction begins, see cms/settings/base.py), so two
clicks on one link at the same moment answer it once. Emails go out only after the transaction commits.

A change to the team changes the public project page (its team by role): saving an invitation drops that
page from the page cache and purges it from a CDN in front (projects/invalidation.py).
"""

import enum
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from projects.models import InvitationStatus, TeamInvitation, TeamRole, Worker, WorkerStatus

from . import emails
from .matching import is_matchable

logger = logging.getLogger(__name__)


class InvitationRefused(Exception):
    """Staff's invitation cannot be made; `message` says why, in Japanese."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def invite(project, choices, message, invited_by, now=None):
    """Invite workers to a project's team and email each of them.

    `choices` is a list of (worker id, role). Workers that are not active, or already invited, are
    refused as a whole: nothing is created and InvitationRefused says which. Returns the invitations.
    """
    now = now or timezone.now()
    if not is_matchable(project):
        raise InvitationRefused("このプロジェクトは準備中・募集中ではないため、招待できません。")
    if not choices:
        raise InvitationRefused("招待するワーカーを選んでください。")
    roles = dict(choices)
    if any(role not in TeamRole.values for role in roles.values()):
        raise InvitationRefused("役割はリーダーかメンバーから選んでください。")
    try:
        with transaction.atomic():
            workers = list(
                Worker.objects.select_for_update().filter(pk__in=list(roles), status=WorkerStatus.ACTIVE)
            )
            if len(workers) != len(roles):
                raise InvitationRefused(
                    "選んだワーカーの中に、登録中でなくなった人がいます。一覧を読み込み直して選び直してください。"
                )
            # A cancelled invitation is renewed (staff cancel one whose email failed, then invite again);
            # any other earlier invitation refuses the whole choice.
            earlier = {
                invitation.worker_id: invitation
                for invitation in TeamInvitation.objects.select_for_update().filter(
                    project=project, worker__in=workers
                )
            }
            if any(invitation.status != InvitationStatus.CANCELLED for invitation in earlier.values()):
                raise IntegrityError("already invited")
            invitations = []
            for worker in sorted(workers, key=lambda worker: worker.pk):
                invitation = earlier.get(worker.pk) or TeamInvitation(project=project, worker=worker)
                invitation.role = roles[worker.pk]
                invitation.message = message
                invitation.invited_by = invited_by
                invitation.status = InvitationStatus.INVITED
                invitation.invited_at = now
                invitation.answered_at = None
                invitation.email_sent_at = None
                invitation.save()
                invitations.append(invitation)
    except IntegrityError as error:
        raise InvitationRefused(
            "選んだワーカーの中に、すでにこのプロジェクトに招待されている人がいます。"
            "一覧を読み込み直して選び直してください。"
        ) from error
    invitations = list(
        TeamInvitation.objects.filter(pk__in=[invitation.pk for invitation in invitations]).select_related(
            "project", "worker"
        )
    )
    for invitation in invitations:
        # Kept on the invitation for the caller to say what became of it (home.mail.outcome).
        invitation.queued_email = emails.send_invitation(invitation)
    return invitations


class Answer(enum.Enum):
    ACCEPTED = "accepted"  # accepted now
    DECLINED = "declined"  # declined now
    ALREADY_ANSWERED = "already_answered"  # answered before: the page shows the current answer
    CANCELLED = "cancelled"  # 事務局 withdrew the invitation
    VOID = "void"  # the worker has withdrawn from the registry


def current_state(invitation):
    """What the worker's page says about an invitation before they answer."""
    if invitation.worker.status == WorkerStatus.WITHDRAWN:
        return Answer.VOID
    if invitation.status == InvitationStatus.CANCELLED:
        return Answer.CANCELLED
    if invitation.status != InvitationStatus.INVITED:
        return Answer.ALREADY_ANSWERED
    return None


def answer(invitation, accept, now=None):
    """The worker accepts or declines; only an invitation still awaiting an answer changes, once.

    Returns an Answer and the invitation as it now stands.
    """
    now = now or timezone.now()
    with transaction.atomic():
        current = (
            TeamInvitation.objects.select_for_update(of=("self",))
            .select_related("worker", "project")
            .get(pk=invitation.pk)
        )
        state = current_state(current)
        if state is not None:
            return state, current
        current.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
        current.answered_at = now
        current.save(update_fields=["status", "answered_at"])
    return (Answer.ACCEPTED if accept else Answer.DECLINED), current


def cancel(invitation):
    """事務局 withdraws an invitation awaiting an answer, or takes an accepted worker off the team.

    Returns False when it was already declined or cancelled.
    """
    with transaction.atomic():
        current = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
        if current.status not in (InvitationStatus.INVITED, InvitationStatus.ACCEPTED):
            return False
        current.status = InvitationStatus.CANCELLED
        current.save(update_fields=["status"])
    invitation.refresh_from_db()
    return True
