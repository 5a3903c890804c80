"""Applies a validated catalog to the database: terms first, then organizations, projects and events.

Every page written is published through a revision. A record whose values already match the database is
left alone, so re-importing the same file adds no revisions.
"""

from django.core.exceptions import ValidationError

from projects.models import (
    FACETS,
    EventIndexPage,
    EventRelatedProject,
    OrganizationIndexPage,
    ProjectIndexPage,
    ProjectReportLink,
)

from . import schema, tree
from .errors import CatalogError
from .records import KEEP
from .report import CREATED, UNCHANGED, UPDATED

# The keys of a progress entry, as the block stores them, that decide whether an entry changed.
_ENTRY_KEYS = [*schema.PROGRESS_ENTRY.plain_keys, *schema.PROGRESS_LINK.plain_keys]


def write_catalog(catalog, images, report):
    """Write `catalog` (from validate_catalog), recording each record's outcome in `report`."""
    _CatalogWriter(tree.catalog_home(), images, report).write(catalog)


class _CatalogWriter:
    def __init__(self, home, images, report):
        self.home = home
        self.images = images
        self.report = report

    def write(self, catalog):
        _write_terms(catalog.terms, self.report)
        self.terms = {facet.key: {term.slug: term for term in facet.model.objects.all()} for facet in FACETS}
        self.organizations = self._write_pages(
            "organizations", OrganizationIndexPage, catalog.organizations, self._apply_organization
        )
        self.projects = self._write_pages("projects", ProjectIndexPage, catalog.projects, self._apply_project)
        self._write_pages("events", EventIndexPage, catalog.events, self._apply_event)

    def _write_pages(self, section, index_model, records, apply):
        """Create or update one page per record under the index; returns every page there, by slug."""
        if not records:
            return tree.pages_by_slug(tree.find_index(self.home, index_model))
        index, created = tree.get_or_create_index(self.home, index_model)
        if created:
            self.report.new_index_pages.append(index.title)
        pages = tree.pages_by_slug(index)
        page_model = tree.INDEXES[index_model][0]
        for record in records:
            page = pages.get(record.slug)
            is_new = page is None
            if is_new:
                page = page_model()
            changed = apply(page, record)
            self.report.add(
                section, record.slug, _publish(page, index, record, is_new=is_new, changed=changed)
            )
            pages[record.slug] = page
        return pages

    # Each apply function sets what differs and says whether anything did. The tuples make sure every
    # assignment runs before any() looks at the results.

    def _apply_organization(self, page, record):
        return any(
            (
                _assign_plain(page, schema.ORGANIZATION, record.values),
                _assign_foreign_key(page, "area", self.terms["area"].get(record.area)),
                self._assign_image(page, "logo", record.logo),
            )
        )

    def _apply_project(self, page, record):
        return any(
            (
                _assign_plain(page, schema.PROJECT, record.values),
                _assign_foreign_key(page, "organization", self.organizations[record.organization]),
                self._assign_facets(page, record.facets),
                self._assign_progress(page, record.progress),
                _assign_report_links(page, record.links),
                self._assign_image(page, "image", record.image),
            )
        )

    def _apply_event(self, page, record):
        return any(
            (
                _assign_plain(page, schema.EVENT, record.values),
                _assign_related_projects(page, [self.projects[slug] for slug in record.projects]),
            )
        )

    def _assign_facets(self, page, facets):
        changed = False
        for facet in FACETS:
            wanted = [self.terms[facet.key][slug] for slug in facets[facet.key]]
            terms = getattr(page, facet.field_name)
            if {term.pk for term in terms.all()} != {term.pk for term in wanted}:
                terms.set(wanted)
                changed = True
        return changed

    def _assign_progress(self, page, entries):
        current = [child.value for child in page.progress if child.block_type == "entry"]
        # An entry without an "image" key keeps the image of the current entry with the same date and title.
        kept_images = {(value["date"], value["title"]): value["image"] for value in current}
        wanted = []
        for entry in entries:
            value = dict(entry.values)
            if entry.image is KEEP:
                value["image"] = kept_images.get((value["date"], value["title"]))
            else:
                value["image"] = self._image(entry.image)
            wanted.append(value)
        if [_entry_signature(value) for value in current] == [_entry_signature(value) for value in wanted]:
            return False
        page.progress = [{"type": "entry", "value": _entry_block_value(value)} for value in wanted]
        return True

    def _assign_image(self, page, attr, source):
        if source is KEEP:
            return False
        return _assign_foreign_key(page, attr, self._image(source))

    def _image(self, source):
        return self.images.image_for(source) if source else None


def _write_terms(records, report):
    """update_or_create by slug, leaving terms that already match alone."""
    for record in records:
        model = record.facet.model
        wanted = {**record.values, "sort_order": record.sort_order}
        term = model.objects.filter(slug=record.slug).first()
        if term is None:
            model.objects.create(**wanted)
            outcome = CREATED
        elif all(getattr(term, attr) == value for attr, value in wanted.items()):
            outcome = UNCHANGED
        else:
            for attr, value in wanted.items():
                setattr(term, attr, value)
            term.save()
            outcome = UPDATED
        report.add("taxonomies", f"{record.facet.key}/{record.slug}", outcome)


def _publish(page, parent, record, *, is_new, changed):
    try:
        if is_new:
            parent.add_child(instance=page)
        elif page.live and not changed:
            return UNCHANGED
        page.save_revision().publish()
    except ValidationError as error:
        # validate_catalog should have caught this; say which record it was rather than fail obscurely.
        raise CatalogError(_messages(record.where, error)) from error
    return CREATED if is_new else UPDATED


def _messages(where, error):
    if hasattr(error, "error_dict"):
        return [
            f"{where}.{field}: {message}"
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [f"{where}: {message}" for message in error.messages]


def _assign_plain(obj, record_schema, values):
    """Set each plain value that differs from the model's, comparing both as the catalog writes them."""
    changed = False
    for key in record_schema.plain_keys:
        if key.attr not in values:
            continue
        if key.value.dump(getattr(obj, key.attr)) != key.value.dump(values[key.attr]):
            setattr(obj, key.attr, values[key.attr])
            changed = True
    return changed


def _assign_foreign_key(obj, attr, target):
    if getattr(obj, f"{attr}_id") == (target.pk if target else None):
        return False
    setattr(obj, attr, target)
    return True


def _assign_report_links(page, links):
    current = [(link.title, link.url) for link in page.report_links.all()]
    wanted = [(link["title"], link["url"]) for link in links]
    if current == wanted:
        return False
    page.report_links = [
        ProjectReportLink(title=title, url=url, sort_order=position)
        for position, (title, url) in enumerate(wanted)
    ]
    return True


def _assign_related_projects(page, projects):
    if [item.project_id for item in page.related_projects.all()] == [project.pk for project in projects]:
        return False
    page.related_projects = [
        EventRelatedProject(project=project, sort_order=position) for position, project in enumerate(projects)
    ]
    return True


def _entry_signature(value):
    image = value.get("image")
    return (*(key.value.dump(value.get(key.attr)) for key in _ENTRY_KEYS), image.pk if image else None)


def _entry_block_value(value):
    return {
        "date": value["date"].isoformat(),
        "title": value["title"],
        "body": value["body"],
        "image": value["image"].pk if value["image"] else None,
        "link_url": value["link_url"],
        "link_text": value["link_text"],
    }
