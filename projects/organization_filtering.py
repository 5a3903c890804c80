"""The organization list's filters: read the area and the project category from the query string once,
check them against the known terms and list the visible organizations that match.

An unknown slug is ignored rather than emptying the list, so a stale or hand-edited link still shows a
sensible page.
"""

from dataclasses import dataclass, fields

from home.pagination import paginate

from .models import Area, Category, OrganizationPage, ProjectPage


@dataclass(frozen=True)
class OrganizationListing:
    """Everything the organization index template shows."""

    organizations: object  # a paginator Page of OrganizationPages
    area_options: list
    category_options: list
    selected_area: Area | None = None
    selected_category: Category | None = None

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
    area = _chosen(areas, request.GET.get("area"))
    category = _chosen(categories, request.GET.get("category"))
    return OrganizationListing(
        organizations=paginate(request, filtered_organizations(index, area, category)),
        area_options=areas,
        category_options=categories,
        selected_area=area,
        selected_category=category,
    )
