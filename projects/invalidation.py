"""What a change to the catalog's, the events' and the talent registry's records invalidates, declared in
the shell's registry (`home.invalidation`) that the page cache and the CDN purge both read."""

from django.db.models import Min, Q
from wagtail.models import Page

from home import invalidation

from .cache_keys import seats_key, team_key
from .models import (
    FACETS,
    AnnualResultsIntroduction,
    EventPage,
    EventRelatedProject,
    InvitationStatus,
    ProjectIndexPage,
    ProjectPage,
    ProjectReportLink,
    Registration,
    Skill,
    SupportApplication,
    TeamInvitation,
    Worker,
    WorkerRegistrationPage,
)

# When an event's page changes by itself: registration opens or closes, the event starts or ends.
EVENT_MOMENTS = ("registration_opens_at", "registration_closes_at", "starts_at", "ends_at")


def _seats_key_of(registration):
    return seats_key(registration.event_id)


def _team_key_of(invitation):
    return team_key(invitation.project_id)


def _event_page(registration):
    # Seats are shown on the event's own page only (listings show dates, not seats).
    return Page.objects.live().filter(pk=registration.event_id)


def _project_page(invitation):
    """The project's page while the invitation counts in its team by role: accepted, or taken off the team
    after accepting (cancelled once answered). An open or declined invitation shows nowhere."""
    accepted = invitation.status == InvitationStatus.ACCEPTED
    taken_off = invitation.status == InvitationStatus.CANCELLED and invitation.answered_at is not None
    if not (accepted or taken_off):
        return Page.objects.none()
    return Page.objects.live().filter(pk=invitation.project_id)


def _worker_registration_pages(skill):
    # The sign-up form lists the skills.
    return WorkerRegistrationPage.objects.live()


def pages_showing_project(page):
    """Pages elsewhere in the tree that show a project: the catalog and its organization's page."""
    if not isinstance(page, ProjectPage):
        return []
    related = list(ProjectIndexPage.objects.live())
    if page.organization_id:
        related += list(Page.objects.live().filter(pk=page.organization_id))
    return related


def next_event_moment(now):
    found = EventPage.objects.live().aggregate(
        **{field: Min(field, filter=Q(**{f"{field}__gt": now})) for field in EVENT_MOMENTS}
    )
    return min((moment for moment in found.values() if moment is not None), default=None)


def declare():
    # Terms show on every project page and in every catalog option; the introductions on the results pages.
    invalidation.everywhere(*(facet.model for facet in FACETS), AnnualResultsIntroduction)
    invalidation.shown_on(Registration, _event_page, key=_seats_key_of)
    invalidation.shown_on(TeamInvitation, _project_page, key=_team_key_of)
    invalidation.shown_on(Skill, _worker_registration_pages)
    invalidation.page_part(EventRelatedProject, ProjectReportLink)
    # Personal data, never shown: a team counts its invitations, not its workers.
    invalidation.private(Worker, SupportApplication)
    invalidation.related_pages(pages_showing_project)
    invalidation.next_moment(next_event_moment)
