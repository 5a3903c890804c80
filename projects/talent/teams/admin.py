"""Team building (チーム編成) in the Wagtail admin, for 事務局 only: the projects forming a team, each
project's ranked workers with the reasons, invitations by email, and the team with its pending, declined
and cancelled invitations.

Everything here needs the `projects.add_teaminvitation` permission (the 事務局 group, superusers);
anyone else gets 403 and sees no worker. A "チーム編成" button on a project's edit page and in the page
listing leads to the project's matching page.
"""

import re
from collections import Counter

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button
from wagtail.log_actions import log

from home.mail import FAILED, QUEUED, RETRYING, SENT, outcome
from projects.models import InvitationStatus, ProjectPage, TeamInvitation, TeamRole, WorkerStatus

from . import services
from .matching import MATCHABLE_STATUSES, is_matchable, rank_workers

PERMISSION = "projects.add_teaminvitation"
ID_PATTERN = re.compile(r"[0-9]{1,19}")
MESSAGE_MAX_LENGTH = TeamInvitation._meta.get_field("message").max_length
# The order the invitations are listed in on a project's page, with their headings.
INVITATION_GROUPS = [
    (InvitationStatus.ACCEPTED, "チーム(参加)"),
    (InvitationStatus.INVITED, "回答待ち"),
    (InvitationStatus.DECLINED, "辞退"),
    (InvitationStatus.CANCELLED, "取り消し"),
]


def may_build_teams(user):
    return user.has_perm(PERMISSION)


def is_id(value):
    return bool(ID_PATTERN.fullmatch(value)) and int(value) < 2**63


def matching_url(project):
    return reverse("team_matching", args=[project.pk])


def forbidden(request):
    """A plain 403: Wagtail would turn PermissionDenied into a redirect to the dashboard, which hides
    from the user (and from tests) that they may not be here."""
    return TemplateResponse(request, "projects/talent/team_forbidden.html", status=403)


class TeamAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not may_build_teams(request.user):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class TeamIndexView(TeamAdminMixin, TemplateView):
    """The projects in 準備中 or 募集中, each with how far its team has come."""

    page_title = "チーム編成"
    template_name = "projects/talent/team_index.html"
    http_method_names = ["get", "head"]

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        projects = (
            ProjectPage.objects.filter(status__in=MATCHABLE_STATUSES)
            .select_related("organization")
            .annotate(
                accepted=Count(
                    "team_invitations", filter=Q(team_invitations__status=InvitationStatus.ACCEPTED)
                ),
                # A withdrawn worker's invitation is void: nobody is left to answer it.
                awaiting=Count(
                    "team_invitations",
                    filter=Q(team_invitations__status=InvitationStatus.INVITED)
                    & ~Q(team_invitations__worker__status=WorkerStatus.WITHDRAWN),
                ),
            )
            .order_by("-latest_revision_created_at", "pk")
        )
        return super().get_context_data(projects=projects, **kwargs)


class TeamMatchingView(TeamAdminMixin, TemplateView):
    """One project's ranked workers with the invitation form, and its invitations so far."""

    template_name = "projects/talent/team_matching.html"
    http_method_names = ["get", "head", "post"]

    def dispatch(self, request, project_id):
        if not may_build_teams(request.user):
            return forbidden(request)
        if not is_id(str(project_id)):
            raise Http404  # beyond what the database's ids can hold (SQLite would overflow)
        self.project = get_object_or_404(ProjectPage.objects.select_related("organization"), pk=project_id)
        return super().dispatch(request, project_id)

    def get_page_title(self):
        return "チーム編成"

    def get_page_subtitle(self):
        return self.project.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("team_index"), "label": "チーム編成"},
            {"url": "", "label": self.project.title},
        ]

    def get_context_data(self, error="", chosen=(), roles=None, message="", **kwargs):
        invitations = list(
            self.project.team_invitations.select_related("worker", "invited_by").order_by("invited_at", "pk")
        )
        groups = [
            {
                "status": status,
                "heading": heading,
                "invitations": [invitation for invitation in invitations if invitation.status == status],
            }
            for status, heading in INVITATION_GROUPS
        ]
        matchable = is_matchable(self.project)
        roles = roles or {}
        rows = [
            {
                "match": match,
                "pk": str(match.worker.pk),
                "checked": str(match.worker.pk) in chosen,
                "role": roles.get(str(match.worker.pk), TeamRole.MEMBER),
            }
            for match in (rank_workers(self.project) if matchable else [])
        ]
        return super().get_context_data(
            project=self.project,
            matchable=matchable,
            rows=rows,
            groups=groups,
            roles=TeamRole.choices,
            error=error,
            message=message,
            message_max_length=MESSAGE_MAX_LENGTH,
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.project.pk]),
            **kwargs,
        )

    def post(self, request, project_id):
        chosen = [value for value in request.POST.getlist("worker") if is_id(value)]
        roles = {pk: request.POST.get(f"role-{pk}", TeamRole.MEMBER) for pk in chosen}
        message = request.POST.get("message", "").strip()
        error = ""
        if len(chosen) != len(request.POST.getlist("worker")):
            error = "選んだワーカーが正しくありません。一覧を読み込み直して選び直してください。"
        elif len(message) > MESSAGE_MAX_LENGTH:
            error = f"メッセージは{MESSAGE_MAX_LENGTH}字以内で書いてください(いま{len(message)}字です)。"
        else:
            try:
                invitations = services.invite(
                    self.project, [(int(pk), role) for pk, role in roles.items()], message, request.user
                )
            except services.InvitationRefused as refusal:
                error = refusal.message
        if error:
            context = self.get_context_data(error=error, chosen=chosen, roles=roles, message=message)
            return self.render_to_response(context, status=400)
        for invitation in invitations:
            log(instance=invitation, action=INVITE_ACTION, user=request.user, title=log_title(invitation))
        outcomes = Counter(outcome(invitation.queued_email) for invitation in invitations)
        if outcomes[SENT]:
            messages.success(request, f"{outcomes[SENT]}名に招待のメールを送りました。")
        if outcomes[QUEUED]:
            messages.success(
                request, f"{outcomes[QUEUED]}名への招待メールを送信待ちに入れました。まもなく届きます。"
            )
        if outcomes[RETRYING]:
            messages.warning(
                request,
                f"{outcomes[RETRYING]}名にはまだメールを送れていません。自動で再送します。",
            )
        if outcomes[FAILED]:
            messages.warning(
                request,
                f"{outcomes[FAILED]}名にはメールを用意できませんでした。時間をおいてから、"
                "その方の招待を取り消して招待し直してください。",
            )
        return redirect(matching_url(self.project))


def log_title(invitation):
    """The audit log's label: numbers only, so that no worker's name outlives a withdrawal in the log."""
    return f"チームへの招待 #{invitation.pk}(プロジェクト #{invitation.project_id})"


class CancelInvitationView(TeamAdminMixin, TemplateView):
    """POST withdraws an invitation (or takes an accepted worker off the team); GET is not allowed."""

    http_method_names = ["post"]

    def post(self, request, invitation_id):
        if not is_id(str(invitation_id)):
            raise Http404
        invitation = get_object_or_404(TeamInvitation.objects.select_related("project"), pk=invitation_id)
        if services.cancel(invitation):
            log(
                instance=invitation,
                action=CANCEL_ACTION,
                user=request.user,
                title=log_title(invitation),
            )
            messages.success(request, "招待を取り消しました。")
        else:
            messages.warning(request, "この招待は、すでに辞退または取り消しになっています。")
        return redirect(matching_url(invitation.project))


INVITE_ACTION = "projects.team_invitation.invite"
CANCEL_ACTION = "projects.team_invitation.cancel"


@hooks.register("register_log_actions")
def register_team_log_actions(actions):
    actions.register_action(INVITE_ACTION, "チームに招待", "チームに招待しました")
    actions.register_action(CANCEL_ACTION, "チームへの招待を取り消し", "チームへの招待を取り消しました")


@hooks.register("register_admin_urls")
def register_team_urls():
    return [
        path("team/", TeamIndexView.as_view(), name="team_index"),
        path("team/<int:project_id>/", TeamMatchingView.as_view(), name="team_matching"),
        path(
            "team/invitations/<int:invitation_id>/cancel/",
            CancelInvitationView.as_view(),
            name="team_invitation_cancel",
        ),
    ]


class TeamMenuItem(MenuItem):
    def is_shown(self, request):
        return may_build_teams(request.user)


@hooks.register("register_admin_menu_item")
def register_team_menu_item():
    return TeamMenuItem("チーム編成", reverse("team_index"), name="team", icon_name="group", order=240)


def _team_button(page, user, priority):
    # specific_class comes from the cached content type: no query per row of a page listing.
    if may_build_teams(user) and issubclass(page.specific_class or type(page), ProjectPage):
        yield Button("チーム編成", matching_url(page), icon_name="group", priority=priority)


@hooks.register("register_page_header_buttons")
def team_header_button(page, user, view_name, next_url=None):
    yield from _team_button(page, user, priority=40)


@hooks.register("register_page_listing_more_buttons")
def team_listing_button(page, user, next_url=None):
    yield from _team_button(page, user, priority=45)
