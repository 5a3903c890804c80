"""Exporting the catalog: the live catalog pages and every taxonomy term, in the import format."""

import json

from projects.models import (
    FACETS,
    EventIndexPage,
    EventPage,
    OrganizationIndexPage,
    OrganizationPage,
    ProjectIndexPage,
    ProjectPage,
)

from . import schema, tree
from .images import ImageExport

__all__ = ["dump_catalog", "export_catalog"]

_OMIT = object()


def export_catalog(*, image_dir=None):
    """The catalog as a dict. With `image_dir` (the images folder beside the JSON file) images are copied
    there and named in the records; without it, image keys are left out."""
    home = tree.catalog_home()
    images = ImageExport(image_dir) if image_dir else None
    return {
        "version": schema.FORMAT_VERSION,
        "taxonomies": {facet.key: [_term(term) for term in _terms(facet)] for facet in FACETS},
        "organizations": [
            _organization(page, images)
            for page in all_live_pages_including_private(
                home, OrganizationIndexPage, OrganizationPage
            ).select_related("area", "logo")
        ],
        "projects": [
            _project(page, images)
            for page in all_live_pages_including_private(home, ProjectIndexPage, ProjectPage)
            .select_related("organization", "image")
            .prefetch_related("report_links", *(facet.field_name for facet in FACETS))
        ],
        "events": [
            _event(page)
            for page in all_live_pages_including_private(home, EventIndexPage, EventPage).prefetch_related(
                "related_projects__project"
            )
        ],
    }


def dump_catalog(data):
    """The JSON text of a catalog: UTF-8 characters as they are, indented by two, ending in a newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _terms(facet):
    return facet.model.objects.order_by("sort_order", "name", "pk")


def all_live_pages_including_private(home, index_model, page_model):
    index = tree.find_index(home, index_model)
    if index is None:
        return page_model.objects.none()
    return page_model.objects.child_of(index).live().order_by("path")


def _record(record_schema, get, special=None):
    """A record's keys in schema order: plain values through their value type, the rest from `special`."""
    special = special or {}
    record = {}
    for key in record_schema.keys:
        value = key.value.dump(get(key.attr)) if key.attr else special.get(key.name, _OMIT)
        if value is _OMIT or (key.omit_when_empty and value in (None, "", [], {})):
            continue
        record[key.name] = value
    return record


def _term(term):
    return _record(schema.TERM, lambda attr: getattr(term, attr))


def _organization(page, images):
    special = {"area": page.area.slug if page.area else None, **_image("logo", page.logo, images)}
    return _record(schema.ORGANIZATION, lambda attr: getattr(page, attr), special)


def _project(page, images):
    special = {
        "organization": page.organization.slug if page.organization else None,
        **{facet.key: [term.slug for term in getattr(page, facet.field_name).all()] for facet in FACETS},
        "progress": [
            _progress_entry(child.value, images) for child in page.progress if child.block_type == "entry"
        ],
        "links": [{"title": link.title, "url": link.url} for link in page.report_links.all()],
        **_image("image", page.image, images),
    }
    return _record(schema.PROJECT, lambda attr: getattr(page, attr), special)


def _progress_entry(value, images):
    link = _record(schema.PROGRESS_LINK, value.get) if value.get("link_url") else None
    special = {"link": link, **_image("image", value.get("image"), images)}
    return _record(schema.PROGRESS_ENTRY, value.get, special)


def _event(page):
    special = {"projects": [item.project.slug for item in page.related_projects.all() if item.project.live]}
    return _record(schema.EVENT, lambda attr: getattr(page, attr), special)


def _image(name, image, images):
    """{name: path} when there is an image and an image folder to copy it to, else nothing."""
    if image is None or images is None:
        return {}
    return {name: images.path_for(image)}
