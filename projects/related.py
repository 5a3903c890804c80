"""Projects suggested on a project page: those sharing most facet terms, and the organization's others."""

from collections import Counter

from django.db.models import F

from .models import FACETS, ProjectPage


def related_projects(project, limit=3):
    """Live public projects sharing the most facet terms with `project`, most shared first.

    Shared terms are counted on the narrow link tables in one query and ranked here: grouping whole
    project rows across five joins cost tens of milliseconds at 1,000 projects (benchmarks/load.py).
    """
    links = []
    for facet in FACETS:
        term_ids = [term.pk for term in getattr(project, facet.field_name).all()]
        if not term_ids:
            continue
        through = getattr(ProjectPage, facet.field_name).through
        term_column = next(
            field.name
            for field in through._meta.get_fields()
            if getattr(field, "related_model", None) is facet.model
        )
        links.append(
            through.objects.filter(**{f"{term_column}__in": term_ids})
            .exclude(projectpage_id=project.pk)
            .values_list("projectpage_id", flat=True)
        )
    if not links:
        return []
    shared = Counter(links[0].union(*links[1:], all=True))
    candidates = (
        ProjectPage.objects.visible().filter(pk__in=list(shared)).values_list("pk", "last_progress_on")
    )
    # Most shared terms, then the latest progress (projects without any last), then the newest.
    ranked = sorted(
        candidates, key=lambda row: (-shared[row[0]], row[1] is None, _descending(row[1]), -row[0])
    )
    chosen = [pk for pk, _progress in ranked[:limit]]
    found = ProjectPage.objects.visible().for_cards().in_bulk(chosen)
    return [found[pk] for pk in chosen if pk in found]


def _descending(day):
    return -day.toordinal() if day is not None else 0


def other_projects_of_organization(project, limit=6):
    if project.organization_id is None:
        return []
    return list(
        ProjectPage.objects.visible()
        .for_cards()
        .filter(organization_id=project.organization_id)
        .exclude(pk=project.pk)
        .order_by(F("started_on").desc(nulls_last=True), "-pk")[:limit]
    )
