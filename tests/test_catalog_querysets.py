"""The catalog's named queries: which projects a catalog lists, what a card reads with them, which events
are upcoming or past, and the organization list's filters."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from projects.models import Area, Category, EventPage, OrganizationPage, ProjectIndexPage, ProjectPage
from projects.organization_filtering import browse_organizations, filtered_organizations
from tests.builders import TOKYO, add_page, make_event, make_organization, make_project, make_terms

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2016, 9, 25, 15, 0, tzinfo=TOKYO)


def restrict(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="x")


def slugs(pages):
    return [page.slug for page in pages]


def test_in_catalog_lists_the_visible_projects_below_that_catalog_only(tree):
    organization = make_organization(tree.organizations)
    shown = make_project(tree.projects, organization, slug="shown")
    make_project(tree.projects, organization, slug="draft").unpublish()
    restrict(make_project(tree.projects, organization, slug="private"))
    other_catalog = add_page(tree.home, ProjectIndexPage(title="別のカタログ", slug="other-catalog"))
    make_project(other_catalog, organization, slug="elsewhere")

    assert slugs(ProjectPage.objects.in_catalog(tree.projects)) == [shown.slug]
    assert set(slugs(ProjectPage.objects.visible())) == {"shown", "elsewhere"}


def test_project_cards_read_a_fixed_number_of_queries(tree):
    terms = make_terms()
    organization = make_organization(tree.organizations)
    for number in range(4):
        make_project(
            tree.projects,
            organization,
            slug=f"project-{number}",
            support_menus=[terms["support"]],
            areas=[terms["area"]],
        )

    with CaptureQueriesContext(connection) as queries:
        cards = list(ProjectPage.objects.in_catalog(tree.projects).for_cards())
        for project in cards:
            assert project.organization.title and project.image is None
            assert [term.slug for term in project.support_menus.all()] == ["accounting"]
            assert [term.slug for term in project.areas.all()] == ["hachioji"]

    # The view restrictions, the projects with their organizations and images, support menus, areas.
    assert len(queries) == 4


def test_an_event_is_upcoming_until_it_ends_and_past_after(tree):
    make_event(tree.events, slug="later", starts_at=NOW + datetime.timedelta(days=2))
    make_event(tree.events, slug="soon", starts_at=NOW + datetime.timedelta(days=1))
    make_event(tree.events, slug="under-way", starts_at=NOW - datetime.timedelta(hours=1))
    make_event(tree.events, slug="ends-now", starts_at=NOW - datetime.timedelta(hours=2))
    make_event(tree.events, slug="ended", starts_at=NOW - datetime.timedelta(hours=3))
    make_event(tree.events, slug="long-ago", starts_at=NOW - datetime.timedelta(days=30))

    assert slugs(EventPage.objects.upcoming(NOW)) == ["ends-now", "under-way", "soon", "later"]
    assert slugs(EventPage.objects.past(NOW)) == ["ended", "long-ago"]


def test_upcoming_and_past_events_a_visitor_may_see(tree):
    make_event(tree.events, slug="public", starts_at=NOW + datetime.timedelta(days=1))
    restrict(make_event(tree.events, slug="private", starts_at=NOW + datetime.timedelta(days=2)))
    make_event(tree.events, slug="draft", starts_at=NOW - datetime.timedelta(days=1)).unpublish()

    assert slugs(EventPage.objects.visible().upcoming(NOW)) == ["public"]
    assert slugs(EventPage.objects.visible().past(NOW)) == []


def test_organizations_filter_by_area_and_by_a_visible_projects_category(tree):
    hachioji = Area.objects.create(name="八王子市", slug="hachioji")
    animals = Category.objects.create(name="動物との共生", slug="animals")
    cats = make_organization(tree.organizations, slug="cats", title="C 猫の会", area=hachioji)
    dogs = make_organization(tree.organizations, slug="dogs", title="B 犬の会", area=hachioji)
    make_organization(tree.organizations, slug="elsewhere", title="A 別の会")
    make_project(tree.projects, cats, slug="cat-project", categories=[animals])
    restrict(make_project(tree.projects, dogs, slug="dog-project", categories=[animals]))

    index = tree.organizations
    assert slugs(filtered_organizations(index)) == ["elsewhere", "dogs", "cats"]
    assert slugs(filtered_organizations(index, area=hachioji)) == ["dogs", "cats"]
    assert slugs(filtered_organizations(index, category=animals)) == ["cats"]
    assert slugs(OrganizationPage.objects.visible().running(ProjectPage.objects.all())) == ["cats", "dogs"]


def test_organization_listing_ignores_unknown_slugs(tree):
    hachioji = Area.objects.create(name="八王子市", slug="hachioji")
    make_organization(tree.organizations, area=hachioji)
    request = RequestFactory().get("/organizations/?area=hachioji&category=unknown")

    listing = browse_organizations(tree.organizations, request)

    assert listing.selected_area == hachioji
    assert listing.selected_category is None
    assert listing.area_options == [hachioji]
    assert slugs(listing.organizations) == ["hachioji-cat-homes"]
    assert set(listing.as_context()) == {
        "organizations",
        "area_options",
        "category_options",
        "selected_area",
        "selected_category",
        "filter_notice",
    }
    assert listing.filter_notice.values == ("unknown",)  # the page says it was left out
