"""Where catalog pages live: under the default site's home page, in one index page per kind, keyed by slug."""

from django.core.exceptions import ValidationError
from wagtail.models import Site

from home.models import HomePage
from projects.models import (
    EventIndexPage,
    EventPage,
    OrganizationIndexPage,
    OrganizationPage,
    ProjectIndexPage,
    ProjectPage,
)

from .errors import CatalogError

# Index model -> (detail page model, slug and title of the index when the importer creates it).
INDEXES = {
    OrganizationIndexPage: (OrganizationPage, "organizations", "団体一覧"),
    ProjectIndexPage: (ProjectPage, "projects", "プロジェクト一覧"),
    EventIndexPage: (EventPage, "events", "イベント"),
}


def catalog_home():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page.specific if site else None
    if not isinstance(home, HomePage):
        raise CatalogError(
            ["既定のサイトのルートページがホームページではありません。先に migrate を実行してください。"]
        )
    return home


def find_index(home, index_model):
    return index_model.objects.child_of(home).order_by("path").first()


def get_or_create_index(home, index_model):
    """(index, created): the home page's index of this kind, made and published when there is none yet."""
    index = find_index(home, index_model)
    if index is not None:
        return index, False
    _page_model, slug, title = INDEXES[index_model]
    index = index_model(title=title, slug=slug)
    try:
        home.add_child(instance=index)
    except ValidationError as error:
        # Most likely another page under the home page already uses the slug.
        raise CatalogError(
            [f"一覧ページ「{title}」(/{slug}/)を作成できません: {message}" for message in error.messages]
        ) from error
    index.save_revision().publish()
    return index, True


def pages_by_slug(index):
    """The detail pages under an index (none when it does not exist yet), by slug."""
    if index is None:
        return {}
    page_model = INDEXES[type(index)][0]
    return {page.slug: page for page in page_model.objects.child_of(index)}


def existing_page_slugs(index_model):
    """Slugs of the pages already under the home page's index of this kind, without writing anything."""
    return set(pages_by_slug(find_index(catalog_home(), index_model)))
