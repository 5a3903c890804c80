# PLACEHOLDER (theirs wins at merge)
"""What the catalog publishes about each record, as plain JSON-ready dicts (/work/notes/records-spec.md).

A minimal stand-in for the API helper's module, with the same functions and keys, so that the open data
downloads (projects/opendata/) can be built against it. Callers pass querysets that are already visible.
"""

from django.utils import timezone

from home.dates import TOKYO
from home.origin import page_url
from home.text import rich_text_to_plain
from projects.annual_results import annual_results
from projects.models import FACETS, ProjectPage, ProjectStatus


def _iso(value):
    if value is None:
        return None
    if hasattr(value, "hour"):
        return timezone.localtime(value, TOKYO).isoformat()
    return value.isoformat()


def _term(term):
    return {"slug": term.slug, "name": term.name}


def project_records(projects):
    projects = projects.select_related("organization").prefetch_related(
        "report_links", *(facet.field_name for facet in FACETS)
    )
    records = []
    for project in projects:
        organization = project.organization
        visible_organization = organization is not None and organization.live
        records.append(
            {
                "slug": project.slug,
                "title": project.title,
                "url": page_url(project),
                "organization": {
                    "slug": organization.slug,
                    "name": organization.title,
                    "url": page_url(organization),
                }
                if visible_organization
                else None,
                "summary": project.summary,
                "body": rich_text_to_plain(
                    "".join(str(block.render()) for block in project.body if block.block_type != "image")
                ),
                "status": {"value": project.status, "label": ProjectStatus(project.status).label},
                "fiscal_year": project.fiscal_year,
                "started_on": _iso(project.started_on),
                "ended_on": _iso(project.ended_on),
                "team_size": project.team_size,
                "outcome": rich_text_to_plain(project.outcome),
                "facets": {
                    facet.key: [_term(term) for term in getattr(project, facet.field_name).all()]
                    for facet in FACETS
                },
                "progress": [
                    {
                        "date": _iso(entry["date"]),
                        "title": entry["title"],
                        "text": rich_text_to_plain(entry["body"]),
                        "link": {"title": entry["link_text"] or entry["link_url"], "url": entry["link_url"]}
                        if entry["link_url"]
                        else None,
                    }
                    for entry in project.progress_entries()
                ],
                "links": [{"title": link.title, "url": link.url} for link in project.report_links.all()],
                "updated_at": _iso(project.last_published_at),
            }
        )
    return records


def organization_records(organizations):
    organizations = organizations.select_related("area")
    counts = {}
    for organization_id in ProjectPage.objects.visible().values_list("organization_id", flat=True):
        counts[organization_id] = counts.get(organization_id, 0) + 1
    return [
        {
            "slug": organization.slug,
            "name": organization.title,
            "url": page_url(organization),
            "legal_form": organization.legal_form,
            # The organization's public page shows the representative (entered only with their consent).
            "representative": organization.representative,
            "postal_code": organization.postal_code,
            "address": organization.address,
            "website": organization.website,
            "area": _term(organization.area) if organization.area else None,
            "founded_year": organization.founded_year,
            "description": rich_text_to_plain(organization.description),
            "project_count": counts.get(organization.pk, 0),
            "updated_at": _iso(organization.last_published_at),
        }
        for organization in organizations
    ]


def event_records(events):
    events = events.prefetch_related("related_projects")
    visible_projects = ProjectPage.objects.visible().in_bulk(
        [link.project_id for event in events for link in event.related_projects.all()]
    )
    records = []
    for event in events:
        records.append(
            {
                "slug": event.slug,
                "title": event.title,
                "url": page_url(event),
                "kind": {"value": event.kind, "label": event.get_kind_display()},
                "starts_at": _iso(event.starts_at),
                "ends_at": _iso(event.ends_at),
                "venue": event.venue,
                "address": event.address,
                "online": bool(event.online_url),
                "capacity": event.capacity,
                "registration": {
                    "enabled": event.registration_enabled,
                    "opens_at": _iso(event.registration_opens_at),
                    "closes_at": _iso(event.registration_closes_at),
                },
                "description": rich_text_to_plain(event.description),
                "projects": [
                    {"slug": project.slug, "title": project.title, "url": page_url(project)}
                    for project in (
                        visible_projects.get(link.project_id) for link in event.related_projects.all()
                    )
                    if project is not None
                ],
                "updated_at": _iso(event.last_published_at),
            }
        )
    return records


def term_records(counts=None):
    return {
        facet.key: [
            {"slug": term.slug, "name": term.name, "count": (counts or {}).get((facet.key, term.slug), 0)}
            for term in facet.model.objects.all()
        ]
        for facet in FACETS
    }


def annual_results_record(fiscal_year):
    results = annual_results(fiscal_year)
    return {
        "fiscal_year": results.fiscal_year,
        "label": results.label,
        "start": _iso(results.start),
        "end": _iso(results.end),
        "project_count": results.project_count,
        "completed_count": results.completed_count,
        "in_progress_count": results.in_progress_count,
        "organization_count": results.organization_count,
        "breakdowns": {
            facet.key: [{"slug": row.term.slug, "name": row.name, "count": row.count} for row in rows]
            for facet, rows in results.breakdowns
        },
        "projects": [
            {
                "slug": project.slug,
                "title": project.title,
                "url": page_url(project),
                "status": {"value": project.status, "label": ProjectStatus(project.status).label},
            }
            for project in results.projects
        ],
    }
