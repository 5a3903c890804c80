"""The office's panel on the admin dashboard: upcoming events with their registrations, projects by
status, pages waiting for approval, and the talent registry's counts (active workers, the commonest
skills, applications to triage, invitations awaiting an answer), and the emails the worker has yet to
send or could not send. Shown only to users who may see
registrations (事務局). Every count is one query, however many rows there are."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import reverse
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState

from home import outbox

from .models import (
    ApplicationStatus,
    EventPage,
    InvitationStatus,
    ProjectPage,
    ProjectStatus,
    Skill,
    SupportApplication,
    TeamInvitation,
    Worker,
    WorkerStatus,
)
from .models.registrations import RegistrationStatus

UPCOMING_EVENTS_SHOWN = 5
AWAITING_PAGES_SHOWN = 5
TOP_SKILLS_SHOWN = 5
PENDING_APPLICATION_STATUSES = (ApplicationStatus.NEW, ApplicationStatus.SCREENING)


def may_see_panel(user):
    return user.has_perm("projects.view_registration")


def upcoming_events():
    """Events that have not ended, soonest first, each with its confirmed and waitlisted counts."""
    events = (
        EventPage.objects.upcoming()
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            waitlisted=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
        )
        .order_by("starts_at", "pk")[:UPCOMING_EVENTS_SHOWN]
    )
    listing = reverse("projects_registration_modeladmin_index")
    return [
        {
            "event": event,
            "confirmed": event.confirmed,
            "waitlisted": event.waitlisted,
            "registrations_url": f"{listing}?event={event.pk}",
        }
        for event in events
    ]


def projects_by_status():
    """(label, all projects, published projects) per status, in the status scale's order."""
    counts = {
        row["status"]: row
        # order_by() drops the page ordering, which would otherwise split the groups.
        for row in ProjectPage.objects.order_by()
        .values("status")
        .annotate(total=Count("pk"), live=Count("pk", filter=Q(live=True)))
    }
    return [
        {
            "label": status.label,
            "total": counts.get(status.value, {}).get("total", 0),
            "live": counts.get(status.value, {}).get("live", 0),
        }
        for status in ProjectStatus
    ]


def pages_awaiting_approval():
    """(count, the oldest few) of pages in a moderation workflow, oldest submission first."""
    page_type = ContentType.objects.get_for_model(Page)
    states = WorkflowState.objects.active().filter(base_content_type=page_type).order_by("created_at")
    shown = list(states.select_related("requested_by")[:AWAITING_PAGES_SHOWN])
    pages = Page.objects.in_bulk([int(state.object_id) for state in shown])
    return states.count(), [
        {"page": pages[int(state.object_id)], "state": state}
        for state in shown
        if int(state.object_id) in pages
    ]


def talent_counts():
    """Active workers, the skills most of them offer, applications to triage, unanswered invitations."""
    active = Q(workers__status=WorkerStatus.ACTIVE)
    top_skills = (
        Skill.objects.annotate(active_workers=Count("workers", filter=active))
        .filter(active_workers__gt=0)
        .order_by("-active_workers", "sort_order", "name")[:TOP_SKILLS_SHOWN]
    )
    return {
        "active_workers": Worker.objects.filter(status=WorkerStatus.ACTIVE).count(),
        "top_skills": [{"name": skill.name, "count": skill.active_workers} for skill in top_skills],
        "pending_applications": SupportApplication.objects.filter(
            status__in=PENDING_APPLICATION_STATUSES
        ).count(),
        # A withdrawn worker's invitations are void: nobody will answer them.
        "awaiting_invitations": TeamInvitation.objects.filter(status=InvitationStatus.INVITED)
        .exclude(worker__status=WorkerStatus.WITHDRAWN)
        .count(),
    }


class OfficeDashboardPanel(Component):
    name = "office_dashboard"
    template_name = "projects/admin/office_dashboard_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        awaiting_count, awaiting = pages_awaiting_approval()
        return {
            "upcoming_events": upcoming_events(),
            "projects_by_status": projects_by_status(),
            "awaiting_count": awaiting_count,
            "awaiting": awaiting,
            "talent": talent_counts(),
            "mail": outbox.counts(),
            "may_see_mail": parent_context["request"].user.has_perm("home.view_outgoingemail"),
        }


def add_office_panel(request, panels):
    if may_see_panel(request.user):
        panels.append(OfficeDashboardPanel())
