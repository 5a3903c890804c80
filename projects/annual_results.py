"""年度別の支援実績: what the catalog's live, public projects add up to in one 年度 (April 1 to March 31).

Everything here is computed from the projects' status, dates, team sizes and facets; nothing is typed
by hand. A 年度 is named by the calendar year it starts in, so 2016年度 runs 2016-04-01 to 2017-03-31
(see `fiscal_year_of`).

Which projects count in a 年度
------------------------------
*Completed that year* (完了): status 完了, and ``ended_on`` falls within the year. A completed project
without an end date is taken to have ended in the 年度 it started (its ``fiscal_year``).

*In progress that year* (進行中): work was under way at some point in the year without being finished
in it, that is

- status 進行中, started on or before the year's last day, with no end date or an end date on or after
  the year's first day; or
- status 完了, started on or before the year's last day and ended after it (still running when the
  year closed; it counts as completed in a later 年度).

Projects that are 準備中 or 募集中 never count: their start date is only a plan and no pro bono team is
at work yet. A project counts in one of the two groups at most, so the totals never add it twice.

The organizations supported are the distinct organizations of those projects, except the organizer: the
center's own organization page (``is_organizer``, ticked by editors) runs projects of its own, such as
setting the programme up in 2016, and is shown as 主催 rather than counted as supported. The pro bono workers
involved are the sum of their team sizes (a missing team size counts as 0). Only live pages outside
private (restricted) sections are considered.
"""

from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q

from home import dates
from home.dates import fiscal_year_bounds, fiscal_year_of
from home.invalidation import cached
from projects.models import FACETS_BY_KEY, OrganizationPage, ProjectPage, ProjectStatus
from projects.models.taxonomy import TaxonomyTerm

# Signals reach only the process that made the change; with a per-process cache (no shared cache
# configured) other processes catch up within this many seconds.
TIMEOUT = 300

# Statuses of projects whose team has started work; 準備中 and 募集中 projects are not yet under way.
UNDER_WAY = (ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED)


@dataclass(frozen=True)
class TermCount:
    """One row of a breakdown table: a taxonomy term and how many of the year's projects have it."""

    term: TaxonomyTerm
    count: int

    @property
    def name(self):
        return self.term.name


@dataclass
class AnnualResults:
    """The figures of one 年度. Project lists are ordered by start date, then title."""

    fiscal_year: int
    completed_projects: list[ProjectPage] = field(default_factory=list)
    in_progress_projects: list[ProjectPage] = field(default_factory=list)
    # Distinct organizations supported by the year's projects, by name; the organizer is not one of them.
    organizations: list[OrganizationPage] = field(default_factory=list)
    # Organizations marked as the organizer (the center) that ran some of the year's projects, by name.
    organizers: list[OrganizationPage] = field(default_factory=list)
    # Term counts, most projects first. A project with two support menus counts under both.
    by_support: list[TermCount] = field(default_factory=list)
    by_area: list[TermCount] = field(default_factory=list)
    # Sum of the team sizes of all the year's projects.
    workers: int = 0

    @property
    def label(self):
        return f"{self.fiscal_year}年度"

    @property
    def start(self):
        return fiscal_year_bounds(self.fiscal_year)[0]

    @property
    def end(self):
        return fiscal_year_bounds(self.fiscal_year)[1]

    @property
    def projects(self):
        """Completed projects first, then those in progress."""
        return self.completed_projects + self.in_progress_projects

    @property
    def project_count(self):
        return len(self.completed_projects) + len(self.in_progress_projects)

    @property
    def completed_count(self):
        return len(self.completed_projects)

    @property
    def in_progress_count(self):
        return len(self.in_progress_projects)

    @property
    def organization_count(self):
        return len(self.organizations)

    @property
    def breakdowns(self):
        """(facet, term counts) for the tables, support menus first."""
        return [(FACETS_BY_KEY["support"], self.by_support), (FACETS_BY_KEY["area"], self.by_area)]


def completed_q(fiscal_year):
    start, end = fiscal_year_bounds(fiscal_year)
    return Q(status=ProjectStatus.COMPLETED) & (
        Q(ended_on__range=(start, end)) | Q(ended_on__isnull=True, fiscal_year=fiscal_year)
    )


def in_progress_q(fiscal_year):
    start, end = fiscal_year_bounds(fiscal_year)
    still_running = Q(status=ProjectStatus.IN_PROGRESS) & (Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    finished_later = Q(status=ProjectStatus.COMPLETED, ended_on__gt=end)
    return Q(started_on__lte=end) & (still_running | finished_later)


def _active_years(status, started_on, ended_on, start_year, current_year):
    """The 年度 in which one project counts, matching completed_q and in_progress_q."""
    if status == ProjectStatus.COMPLETED:
        ended_year = fiscal_year_of(ended_on) if ended_on else start_year
        if ended_year is None:
            return set()
        in_progress_from = start_year if started_on else ended_year
        return set(range(in_progress_from, ended_year)) | {ended_year}
    if started_on is None:
        return set()
    last_year = fiscal_year_of(ended_on) if ended_on else current_year
    return set(range(start_year, min(last_year, current_year) + 1))


def available_fiscal_years(today=None):
    """The 年度 in which any live, public project was completed or in progress, newest first.

    Years after the current 年度 (as of `today`, default the site's local date) are left out: a
    project still in progress has no results in years that have not begun. For today, the list is kept
    in the cache until the content version changes: it reads every under-way project.
    """
    if today is None:
        current_year = fiscal_year_of(dates.today())
        return cached(
            f"projects:fiscal-years:{current_year}", lambda: _available_fiscal_years(current_year), TIMEOUT
        )
    return _available_fiscal_years(fiscal_year_of(today))


def _available_fiscal_years(current_year):
    rows = (
        ProjectPage.objects.visible()
        .filter(status__in=UNDER_WAY)
        .values_list("status", "started_on", "ended_on", "fiscal_year")
    )
    years = set()
    for status, started_on, ended_on, start_year in rows:
        years |= _active_years(status, started_on, ended_on, start_year, current_year)
    return sorted((year for year in years if year <= current_year), reverse=True)


def _term_counts(facet_key, project_ids):
    """(term, count) for the terms of one facet used by the given projects, most used first."""
    facet = FACETS_BY_KEY[facet_key]
    relation = ProjectPage._meta.get_field(facet.field_name).related_query_name()
    # Filtering before annotating makes the count use the same join, so only these projects count.
    terms = (
        facet.model.objects.filter(**{f"{relation}__in": project_ids})
        .annotate(project_count=Count(relation))
        .order_by("-project_count", "sort_order", "name", "pk")
    )
    return [TermCount(term, term.project_count) for term in terms]


def annual_results(fiscal_year):
    """The results of the 年度 starting on April 1 of `fiscal_year`, in a constant number of queries."""
    # visible() reads the view restrictions once, here; the queries below reuse it as a subquery.
    year_projects = ProjectPage.objects.visible().filter(
        completed_q(fiscal_year) | in_progress_q(fiscal_year)
    )
    projects = list(
        year_projects.select_related("organization")
        .defer_streamfields()
        .annotate(completed_in_year=ExpressionWrapper(completed_q(fiscal_year), output_field=BooleanField()))
        .order_by(F("started_on").asc(nulls_last=True), "title", "pk")
    )
    organizations = {project.organization_id: project.organization for project in projects}
    organizations.pop(None, None)
    by_name = sorted(organizations.values(), key=lambda organization: (organization.title, organization.pk))
    project_ids = year_projects.values("pk")
    return AnnualResults(
        fiscal_year=fiscal_year,
        completed_projects=[project for project in projects if project.completed_in_year],
        in_progress_projects=[project for project in projects if not project.completed_in_year],
        organizations=[organization for organization in by_name if not organization.is_organizer],
        organizers=[organization for organization in by_name if organization.is_organizer],
        by_support=_term_counts("support", project_ids),
        by_area=_term_counts("area", project_ids),
        workers=sum(project.team_size or 0 for project in projects),
    )
