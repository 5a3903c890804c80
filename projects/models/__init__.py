"""The catalog's models, split by kind and re-exported here."""

from .annual import AnnualResultsIntroduction
from .application_pages import SupportApplicationPage
from .events import EventIndexPage, EventKind, EventPage, EventRelatedProject, RegistrationState
from .opendata import OpenDataPage
from .organizations import OrganizationIndexPage, OrganizationPage
from .projects import ProjectIndexPage, ProjectPage, ProjectReportLink, ProjectStatus
from .registrations import Registration, RegistrationStatus
from .talent import (
    ApplicationStatus,
    InvitationStatus,
    LegalForm,
    Skill,
    SupportApplication,
    TeamInvitation,
    TeamRole,
    Worker,
    WorkerStatus,
)
from .taxonomy import FACETS, FACETS_BY_KEY, Area, Category, Facet, Problem, Program, SupportMenu
from .worker_pages import WorkerRegistrationPage

__all__ = [
    "AnnualResultsIntroduction",
    "ApplicationStatus",
    "Area",
    "Category",
    "EventIndexPage",
    "EventKind",
    "EventPage",
    "EventRelatedProject",
    "FACETS",
    "FACETS_BY_KEY",
    "Facet",
    "InvitationStatus",
    "LegalForm",
    "OpenDataPage",
    "OrganizationIndexPage",
    "OrganizationPage",
    "Problem",
    "Program",
    "ProjectIndexPage",
    "ProjectPage",
    "ProjectReportLink",
    "ProjectStatus",
    "Registration",
    "RegistrationState",
    "RegistrationStatus",
    "Skill",
    "SupportApplication",
    "SupportApplicationPage",
    "SupportMenu",
    "TeamInvitation",
    "TeamRole",
    "Worker",
    "WorkerRegistrationPage",
    "WorkerStatus",
]
