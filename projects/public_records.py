"""What the catalog publishes about each record: the one definition behind the open data API (projects/api/)
and the open data downloads.

Every function takes querysets that are already visible (`.visible()`, `in_catalog`, `upcoming()`,
`past()`), reads what it needs in a constant number of queries whatever the number of records, and returns
plain JSON-ready dicts: str, int, bool, None, lists and dicts only; dates as "YYYY-MM-DD", datetimes in ISO
8601 in Tokyo time; rich text as plain text (`home.text`); URLs absolute (`home.origin`).

Nothing personal ever appears here (registrants, workers, applicants, team members), nor an online event's
meeting URL (`online` says only whether there is one). A project's organization, and an event's projects,
are named only when their own pages are visible.
"""

from django.db.models import BooleanField, CharField, Count, ExpressionWrapper, Q, Value

from home.dates import in_tokyo
from home.origin import page_url
from home.routing import default_site
from home.text import rich_text_to_plain
from home.visibility import visible

from .annual_results import annual_results
from .catalog.text import body_to_plain
from .filtering import CatalogFilters, CatalogQuery, load_terms
from .models import (
    FACETS,
    EventIndexPage,
    EventKind,
    EventPage,
    EventRelatedProject,
    OrganizationIndexPage,
    OrganizationPage,
    ProjectIndexPage,
    ProjectPage,
    ProjectReportLink,
    ProjectStatus,
)

__all__ = [
    "published_events",
    "published_organizations",
    "published_projects",
    "site_index",
    "annual_results_record",
    "annual_results_summary",
    "event_records",
    "organization_records",
    "project_records",
    "term_counts",
    "term_records",
]


# Which records are published: the visible pages below the default site's visible index pages, the same
# for the API and the downloads. A project, organization or event whose index page is unpublished or
# private is not published, even where its own page is still live.


def site_index(index_model):
    """The default site's visible index page of `index_model` (ProjectIndexPage …), or None."""
    site = default_site()
    if site is None:
        return None
    return visible(index_model.objects.child_of(site.root_page)).order_by("path").first()


def published_projects(index=None):
    """The catalog's projects (`in_catalog`), below `index` or the site's project index."""
    index = index or site_index(ProjectIndexPage)
    return ProjectPage.objects.in_catalog(index) if index else ProjectPage.objects.none()


def published_organizations():
    index = site_index(OrganizationIndexPage)
    return OrganizationPage.objects.child_of(index).visible() if index else OrganizationPage.objects.none()


def published_events():
    index = site_index(EventIndexPage)
    return EventPage.objects.child_of(index).visible() if index else EventPage.objects.none()


def _date(value):
    return value.isoformat() if value else None


def _datetime(value):
    return in_tokyo(value).isoformat() if value else None


def _plain(value):
    return rich_text_to_plain(value, list_marks=False, paragraph_break="\n\n")


def _choice(choices, value):
    return {"value": value, "label": str(dict(choices.choices).get(value, value))}


def _page_link(page, name="title"):
    return {"slug": page.slug, name: page.title, "url": page_url(page)}


def _facet_terms(project_ids):
    """{project id: {facet key: [{"slug", "name"}]}} for the five facets, in display order, in one query."""
    querysets = []
    for facet in FACETS:
        through = getattr(ProjectPage, facet.field_name).through
        term = facet.model._meta.model_name
        querysets.append(
            through.objects.filter(projectpage_id__in=project_ids)
            .order_by()
            .annotate(facet=Value(facet.key, output_field=CharField()))
            .values_list(
                "facet",
                "projectpage_id",
                f"{term}__slug",
                f"{term}__name",
                f"{term}__sort_order",
                f"{term}_id",
            )
        )
    rows = querysets[0].union(*querysets[1:], all=True) if project_ids else []
    terms = {}
    for facet_key, project_id, slug, name, *_order in sorted(rows, key=lambda row: (row[4], row[3], row[5])):
        terms.setdefault(project_id, {}).setdefault(facet_key, []).append({"slug": slug, "name": name})
    return terms


def _progress(project):
    return [
        {
            "date": _date(entry["date"]),
            "title": entry["title"],
            "text": _plain(entry["body"]),
            "link": (
                {"title": entry["link_text"] or entry["link_url"], "url": entry["link_url"]}
                if entry["link_url"]
                else None
            ),
        }
        for entry in project.progress_entries()
    ]


def project_records(projects):
    """The records of `projects` (visible ProjectPages), in the queryset's order: the projects, which of
    their organizations are visible, the five facets' terms (one UNION) and the report links."""
    projects = list(projects.select_related("organization"))
    ids = [project.pk for project in projects]
    organization_ids = {project.organization_id for project in projects if project.organization_id}
    shown_organizations = set(
        OrganizationPage.objects.visible().filter(pk__in=organization_ids).values_list("pk", flat=True)
        if organization_ids
        else ()
    )
    facet_terms = _facet_terms(ids)
    links = {}
    if ids:
        for link in ProjectReportLink.objects.filter(page_id__in=ids).order_by("page_id", "sort_order", "pk"):
            links.setdefault(link.page_id, []).append({"title": link.title, "url": link.url})
    records = []
    for project in projects:
        organization = project.organization if project.organization_id in shown_organizations else None
        terms = facet_terms.get(project.pk, {})
        records.append(
            {
                "slug": project.slug,
                "title": project.title,
                "url": page_url(project),
                "organization": (
                    {"slug": organization.slug, "name": organization.title, "url": page_url(organization)}
                    if organization
                    else None
                ),
                "summary": project.summary,
                "body": body_to_plain(project.body),
                "status": _choice(ProjectStatus, project.status),
                "fiscal_year": project.fiscal_year,
                "started_on": _date(project.started_on),
                "ended_on": _date(project.ended_on),
                "team_size": project.team_size,
                "outcome": _plain(project.outcome),
                "facets": {facet.key: terms.get(facet.key, []) for facet in FACETS},
                "progress": _progress(project),
                "links": links.get(project.pk, []),
                "updated_at": _datetime(project.last_published_at),
            }
        )
    return records


def organization_records(organizations):
    """The records of `organizations` (visible OrganizationPages), in the queryset's order; two queries.

    `representative` is there because the public organization page shows it (editors fill it in only with
    the organization's consent); "" when not given.
    """
    organizations = list(organizations.select_related("area"))
    ids = [organization.pk for organization in organizations]
    counts = dict(
        ProjectPage.objects.visible()
        .filter(organization_id__in=ids)
        .order_by()
        .values("organization_id")
        .annotate(count=Count("pk"))
        .values_list("organization_id", "count")
        if ids
        else ()
    )
    return [
        {
            "slug": organization.slug,
            "name": organization.title,
            "url": page_url(organization),
            "legal_form": organization.legal_form,
            "representative": organization.representative,
            "postal_code": organization.postal_code,
            "address": organization.address,
            "website": organization.website,
            "area": {"slug": organization.area.slug, "name": organization.area.name}
            if organization.area
            else None,
            "founded_year": organization.founded_year,
            "description": _plain(organization.description),
            "project_count": counts.get(organization.pk, 0),
            "updated_at": _datetime(organization.last_published_at),
        }
        for organization in organizations
    ]


def event_records(events):
    """The records of `events` (visible EventPages), in the queryset's order; three queries.

    `online` says whether the event has an online meeting; the meeting URL itself is for confirmed
    registrants only (projects/registration/meeting.py) and never appears here.
    """
    events = list(
        events.defer("online_url").annotate(
            has_online_url=ExpressionWrapper(~Q(online_url=""), output_field=BooleanField())
        )
    )
    ids = [event.pk for event in events]
    picked = {}
    if ids:
        for page_id, project_id in (
            EventRelatedProject.objects.filter(page_id__in=ids)
            .order_by("page_id", "sort_order", "pk")
            .values_list("page_id", "project_id")
        ):
            picked.setdefault(page_id, []).append(project_id)
    wanted = {project_id for project_ids in picked.values() for project_id in project_ids}
    visible_projects = ProjectPage.objects.visible().defer_streamfields().in_bulk(wanted) if wanted else {}
    return [
        {
            "slug": event.slug,
            "title": event.title,
            "url": page_url(event),
            "kind": _choice(EventKind, event.kind),
            "starts_at": _datetime(event.starts_at),
            "ends_at": _datetime(event.ends_at),
            "venue": event.venue,
            "address": event.address,
            "online": bool(event.has_online_url),
            "capacity": event.capacity,
            "registration": {
                "enabled": event.registration_enabled,
                "opens_at": _datetime(event.registration_opens_at),
                "closes_at": _datetime(event.registration_closes_at),
            },
            "description": _plain(event.description),
            "projects": [
                _page_link(visible_projects[pk]) for pk in picked.get(event.pk, []) if pk in visible_projects
            ],
            "updated_at": _datetime(event.last_published_at),
        }
        for event in events
    ]


def term_counts(projects):
    """{facet key: {term id: count}}: how many of `projects` (visible ProjectPages) carry each term, in one
    query (the catalog's own option counts, without filters)."""
    counts = CatalogQuery(projects, CatalogFilters()).option_counts()
    return {facet.key: counts[facet.key] for facet in FACETS}


def term_records(counts=None):
    """{facet key: [{"slug", "name", "count"}]} for every term of the five facets, in display order.

    `counts` is `term_counts(projects)` (or the projects queryset itself, counted here); without it every
    count is 0, so the key is always there.
    """
    if counts is not None and not isinstance(counts, dict):
        counts = term_counts(counts)
    counts = counts or {}
    return {
        facet_key: [
            {"slug": term.slug, "name": term.name, "count": counts.get(facet_key, {}).get(term.id, 0)}
            for term in terms.values()
        ]
        for facet_key, terms in load_terms().items()
    }


def annual_results_summary(results):
    """The figures of one 年度 (an AnnualResults) without its lists."""
    return {
        "fiscal_year": results.fiscal_year,
        "label": results.label,
        "start": _date(results.start),
        "end": _date(results.end),
        "project_count": results.project_count,
        "completed_count": results.completed_count,
        "in_progress_count": results.in_progress_count,
        "organization_count": results.organization_count,
    }


def annual_results_record(fiscal_year):
    """The results of one 年度 (`projects.annual_results.annual_results`): its figures, the term breakdowns
    and the projects, completed first. Callers check the year against `available_fiscal_years()`."""
    results = annual_results(fiscal_year)
    return {
        **annual_results_summary(results),
        "breakdowns": {
            facet.key: [
                {"slug": row.term.slug, "name": row.term.name, "count": row.count} for row in term_rows
            ]
            for facet, term_rows in results.breakdowns
        },
        "projects": [
            {**_page_link(project), "status": _choice(ProjectStatus, project.status)}
            for project in results.projects
        ],
    }
