"""Keep projects' search index entries true when something indexed with them changes.

A project is indexed with its organization's name and its facet terms' names (see
ProjectPage.search_fields), so renaming, unpublishing or deleting either must re-index the projects that
show it. A project's own terms are saved after the page row, so it is re-indexed once more when published.
Deletions clear links in SQL without signals, so the affected projects are noted before and re-indexed after.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.search.backends import get_search_backends
from wagtail.signals import page_published, page_unpublished

from .models import FACETS, OrganizationPage, ProjectPage

_PENDING_ATTRIBUTE = "_projects_to_reindex"


def reindex(projects):
    """Re-index projects in one batch per search backend."""
    projects = list(
        projects.select_related("organization").prefetch_related(*(facet.field_name for facet in FACETS))
    )
    if projects:
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(ProjectPage, projects)


def on_project_published(sender, instance, **kwargs):
    reindex(ProjectPage.objects.filter(pk=instance.pk))


def on_organization_changed(sender, instance, **kwargs):
    reindex(ProjectPage.objects.filter(organization=instance))


def _term_filter(sender, instance):
    facet = next(facet for facet in FACETS if facet.model is sender)
    return {facet.field_name: instance}


def on_term_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        reindex(ProjectPage.objects.filter(**_term_filter(sender, instance)))


def note_projects_before_delete(sender, instance, **kwargs):
    if sender is OrganizationPage:
        projects = ProjectPage.objects.filter(organization=instance)
    else:
        projects = ProjectPage.objects.filter(**_term_filter(sender, instance))
    setattr(instance, _PENDING_ATTRIBUTE, list(projects.values_list("pk", flat=True)))


def reindex_noted_projects(sender, instance, **kwargs):
    reindex(ProjectPage.objects.filter(pk__in=getattr(instance, _PENDING_ATTRIBUTE, [])))


def connect_signals():
    page_published.connect(on_project_published, sender=ProjectPage, dispatch_uid="search-project")
    for signal in (page_published, page_unpublished):
        signal.connect(
            on_organization_changed, sender=OrganizationPage, dispatch_uid=f"search-org-{id(signal)}"
        )
    for model in (OrganizationPage, *(facet.model for facet in FACETS)):
        pre_delete.connect(
            note_projects_before_delete, sender=model, dispatch_uid=f"search-note-{model.__name__}"
        )
        post_delete.connect(
            reindex_noted_projects, sender=model, dispatch_uid=f"search-reindex-{model.__name__}"
        )
    for facet in FACETS:
        post_save.connect(on_term_saved, sender=facet.model, dispatch_uid=f"search-term-{facet.key}")
