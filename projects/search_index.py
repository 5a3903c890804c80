"""Keep projects' search index entries true when something indexed with them changes.

A project is indexed with its organization's name and its facet terms' names (see
ProjectPage.search_fields), so renaming either must re-index the projects that show it. A project's
own terms are saved after the page row, so it is re-indexed once more when published.
"""

from django.db.models.signals import post_save
from wagtail.search.index import insert_or_update_object
from wagtail.signals import page_published

from .models import FACETS, OrganizationPage, ProjectPage


def reindex(projects):
    for project in projects:
        insert_or_update_object(project)


def on_project_published(sender, instance, **kwargs):
    reindex([instance])


def on_organization_published(sender, instance, **kwargs):
    reindex(ProjectPage.objects.filter(organization=instance))


def on_term_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        facet = next(facet for facet in FACETS if facet.model is sender)
        reindex(ProjectPage.objects.filter(**{facet.field_name: instance}))


def connect_signals():
    page_published.connect(on_project_published, sender=ProjectPage, dispatch_uid="search-project")
    page_published.connect(on_organization_published, sender=OrganizationPage, dispatch_uid="search-org")
    for facet in FACETS:
        post_save.connect(on_term_saved, sender=facet.model, dispatch_uid=f"search-term-{facet.key}")
