"""The catalog's models, split by kind and re-exported here."""

from .annual import AnnualResultsIntroduction
from .events import EventIndexPage, EventKind, EventPage, EventRelatedProject, RegistrationState
from .organizations import OrganizationIndexPage, OrganizationPage
from .projects import ProjectIndexPage, ProjectPage, ProjectReportLink, ProjectStatus
from .registrations import Registration, RegistrationStatus
from .taxonomy import FACETS, FACETS_BY_KEY, Area, Category, Facet, Problem, Program, SupportMenu

__all__ = [
    "AnnualResultsIntroduction",
    "FACETS",
    "FACETS_BY_KEY",
    "Area",
    "Category",
    "EventIndexPage",
    "EventKind",
    "EventPage",
    "EventRelatedProject",
    "Facet",
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
    "SupportMenu",
]
