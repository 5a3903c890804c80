"""/api/organizations/: the visible organizations by name, optionally in one area or running projects of
one category (the organization listing's own filters, projects.organization_filtering), and one by slug."""

from ninja import Path, Query, Router

from projects.models import Area, Category, OrganizationIndexPage
from projects.organization_filtering import filtered_organizations
from projects.public_records import organization_records, published_organizations, site_index

from .errors import NOT_FOUND, ApiError, unknown_values_error
from .params import canonical, is_slug, page_envelope, page_slug, single
from .responses import cached_json
from .schemas import ERRORS, Organization, OrganizationFilters, OrganizationList

router = Router(tags=["団体"])


def _term(model, slug):
    if not slug:
        return None
    term = model.objects.filter(slug=slug).first() if is_slug(slug) else None
    if term is None:
        raise unknown_values_error([slug])
    return term


@router.get(
    "/",
    response={200: OrganizationList, **ERRORS},
    summary="団体の一覧",
    description="公開中の団体を団体名の順に返します。",
    operation_id="list_organizations",
    openapi_extra={"x-example": "/api/organizations/?area=hachioji"},
)
def list_organizations(request, filters: Query[OrganizationFilters]):
    single(request, "limit", "offset", "area", "category")
    query = canonical([("area", filters.area.strip()), ("category", filters.category.strip())])

    def build():
        area = _term(Area, query.get("area", ""))
        category = _term(Category, query.get("category", ""))
        index = site_index(OrganizationIndexPage)
        if index is None:
            return page_envelope(request.path, query, 0, filters.limit, filters.offset, [])
        organizations = filtered_organizations(index, area, category)
        count = organizations.count()
        window = organizations[filters.offset : filters.offset + filters.limit]
        return page_envelope(
            request.path, query, count, filters.limit, filters.offset, organization_records(window)
        )

    return cached_json(request.path, [query.urlencode(), filters.limit, filters.offset], build)


@router.get(
    "/{slug}/",
    response={200: Organization, **ERRORS},
    summary="団体1件",
    description="スラッグで指定した団体1件を返します。公開されていないものは404です。",
    operation_id="get_organization",
    openapi_extra={"x-example": "/api/organizations/hachioji-cat-homes/"},
)
def get_organization(request, slug: str = Path(..., description="団体のスラッグ。")):
    page_slug(slug)

    def build():
        records = organization_records(published_organizations().filter(slug=slug))
        if not records:
            raise ApiError(404, NOT_FOUND)
        return records[0]

    return cached_json(request.path, [], build)
