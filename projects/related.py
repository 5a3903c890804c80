"""Projects suggested on a project page: those sharing most facet terms, and the organization's others."""

from django.db.models import Count, F, Q

from .models import FACETS, ProjectPage


def visible_projects():
    return ProjectPage.objects.live().public().select_related("organization", "image")


def related_projects(project, limit=3):
    """Live public projects sharing the most facet terms with `project`, most shared first."""
    shared = Q()
    score = None
    for facet in FACETS:
        term_ids = [term.pk for term in getattr(project, facet.field_name).all()]
        if not term_ids:
            continue
        shared |= Q(**{f"{facet.field_name}__in": term_ids})
        count = Count(facet.field_name, filter=Q(**{f"{facet.field_name}__in": term_ids}), distinct=True)
        score = count if score is None else score + count
    if score is None:
        return []
    candidates = visible_projects().exclude(pk=project.pk).filter(shared).distinct()
    return list(
        ProjectPage.objects.filter(pk__in=candidates.values("pk"))
        .annotate(score=score)
        .select_related("organization", "image")
        .order_by(F("score").desc(), F("last_progress_on").desc(nulls_last=True), "-pk")[:limit]
    )


def other_projects_of_organization(project, limit=6):
    if project.organization_id is None:
        return []
    return list(
        visible_projects()
        .filter(organization_id=project.organization_id)
        .exclude(pk=project.pk)
        .order_by(F("started_on").desc(nulls_last=True), "-pk")[:limit]
    )
