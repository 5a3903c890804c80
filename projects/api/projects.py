"""/api/projects/: the catalog's projects, filtered by the same parameters and the same code as the catalog
page (projects.filtering), and one project by its slug."""

import unicodedata

from ninja import Path, Query, Router

from projects.filtering import catalog_query, load_terms, unknown_values
from projects.models import ProjectIndexPage
from projects.public_records import project_records, published_projects, site_index

from .errors import FACET_PARAMETERS, NOT_FOUND, ApiError, bad_parameter, unknown_values_error
from .params import canonical, distinct, page_envelope, page_slug, single
from .responses import cached_json
from .schemas import ERRORS, Project, ProjectFilters, ProjectList

router = Router(tags=["プロジェクト"])


def _filters_query(filters):
    """The filters as a normalised query string: what the catalog page would read, and the cache key."""
    return canonical(
        [
            *((name, distinct(getattr(filters, name))) for name in FACET_PARAMETERS),
            ("status", distinct(filters.status)),
            ("year", distinct(filters.year)),
            ("q", filters.q.strip()),
            ("sort", filters.sort if filters.sort != "updated" else ""),
        ]
    )


def _refuse_control_characters(text):
    # The catalog page quietly drops them (search.query.clean_query); an API client is told.
    if any(unicodedata.category(char) == "Cc" for char in text):
        raise bad_parameter("q")


@router.get(
    "/",
    response={200: ProjectList, **ERRORS},
    summary="プロジェクトの一覧",
    description="公開中のプロジェクトを、プロジェクト一覧ページと同じ条件で絞り込みます。"
    "同じ分類の値を複数指定するといずれかに当てはまるもの、異なる分類はすべてに当てはまるものを返します。",
    operation_id="list_projects",
    openapi_extra={"x-example": "/api/projects/?category=children&status=completed&limit=5"},
)
def list_projects(request, filters: Query[ProjectFilters]):
    single(request, "limit", "offset", "q", "sort")
    _refuse_control_characters(filters.q)
    query = _filters_query(filters)

    def build():
        terms = load_terms()
        unknown = unknown_values(query, terms)
        if unknown:
            raise unknown_values_error(unknown)
        index = site_index(ProjectIndexPage)
        if index is None:
            return page_envelope(request.path, query, 0, filters.limit, filters.offset, [])
        catalog = catalog_query(index, query, terms)
        count = catalog.narrowed().count()
        window = catalog.ordered()[filters.offset : filters.offset + filters.limit]
        return page_envelope(
            request.path, query, count, filters.limit, filters.offset, project_records(window)
        )

    return cached_json(request.path, [query.urlencode(), filters.limit, filters.offset], build)


@router.get(
    "/{slug}/",
    response={200: Project, **ERRORS},
    summary="プロジェクト1件",
    description="スラッグで指定したプロジェクト1件を返します。公開されていないものは404です。",
    operation_id="get_project",
    openapi_extra={"x-example": "/api/projects/cat-homes-accounting/"},
)
def get_project(request, slug: str = Path(..., description="プロジェクトのスラッグ。")):
    page_slug(slug)

    def build():
        records = project_records(published_projects().filter(slug=slug))
        if not records:
            raise ApiError(404, NOT_FOUND)
        return records[0]

    return cached_json(request.path, [], build)
