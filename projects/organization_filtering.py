"""The organization list's filters: read the area and the project category from the query string once,
check them against the known terms and list the visible organizations that match.

An unknown slug is left out rather than emptying the list, so a stale or hand-edited link still shows a
sensible page, with a notice that says so (templates/components/filter_notice.html).
"""

from dataclasses import dataclass, fields

from home.pagination import paginate

from .filtering import FilterNotice, filter_notice
from .models import Area, Category, OrganizationPage, ProjectPage


@dataclass(frozen=True)
class OrganizationListing:
    """Everything the organization index template shows."""

    organizations: object  # a paginator Page of OrganizationPages
    area_options: list
    category_options: list
    selected_area: Area | None = None
    selected_category: Category | None = None
    filter_notice: FilterNotice | None = None

    def as_context(self):
        return {field.name: getattr(self, field.name) for field in fields(self)}


def _chosen(terms, slug):
    return next((term for term in terms if term.slug == slug), None)


def filtered_organizations(index, area=None, category=None):
    """The visible organizations below `index`, by name: those in `area` (an Area or None) running a
    visible project of `category` (a Category or None)."""
    organizations = OrganizationPage.objects.child_of(index).visible().for_cards().order_by("title")
    if area is not None:
        organizations = organizations.filter(area=area)
    if category is not None:
        organizations = organizations.running(ProjectPage.objects.visible().filter(categories=category))
    return organizations


def browse_organizations(index, request):
    """The OrganizationListing for the OrganizationIndexPage `index` and the request's query string."""
    areas, categories = list(Area.objects.all()), list(Category.objects.all())
    area_slug, category_slug = (request.GET.get(name, "").strip() for name in ("area", "category"))
    area = _chosen(areas, area_slug)
    category = _chosen(categories, category_slug)
    unknown = [slug for slug, term in ((area_slug, area), (category_slug, category)) if slug and term is None]
    return OrganizationListing(
        organizations=paginate(request, filtered_organizations(index, area, category)),
        area_options=areas,
        category_options=categories,
        selected_area=area,
        selected_category=category,
        filter_notice=filter_notice(unknown),
    )
