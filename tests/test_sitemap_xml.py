"""sitemap.xml lists every address search engines should index: the live public pages, the routes and ways
to browse the human sitemap lists, each 年度's results and each term with projects, on the public origin;
never a draft, a private page, a page marked noindex, nor a term without projects to show. Its query count
does not grow with the catalog."""

import datetime
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from projects.models import Area, Category, Program, SupportMenu
from tests.builders import make_article, make_event, make_organization, make_project
from tests.html import parse

pytestmark = pytest.mark.django_db

BASE_URL = "https://hachioji-katsudo.example.jp"
NAMESPACE = {"sitemap": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def public_base_url(settings):
    settings.PUBLIC_BASE_URL = BASE_URL


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    return [loc.text for loc in root.findall("sitemap:url/sitemap:loc", NAMESPACE)]


def paths(locations):
    assert all(location.startswith(f"{BASE_URL}/") for location in locations)
    return [unquote(location[len(BASE_URL) :]) for location in locations]


@pytest.fixture
def catalog_pages(catalog, tree):
    """The shared catalog, a program, an unused term, and a draft and a private project with their own
    terms."""
    program = Program.objects.create(name="伴走支援", slug="banso")
    catalog["facebook-page"].programs.add(program)
    catalog["facebook-page"].save_revision().publish()
    Area.objects.create(name="使われていない地域", slug="unused-area")
    organization = catalog["facebook-page"].organization
    draft_term = Category.objects.create(name="下書きだけの分類", slug="draft-only")
    private_term = SupportMenu.objects.create(name="非公開だけの支援", slug="private-only")
    draft = make_project(
        tree.projects,
        organization,
        slug="draft-project",
        categories=[draft_term],
        started_on=datetime.date(2010, 5, 1),
    )
    draft.unpublish()
    private = make_project(
        tree.projects,
        organization,
        slug="private-project",
        support_menus=[private_term],
        started_on=datetime.date(2011, 5, 1),
    )
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    return catalog


def test_the_sitemap_lists_routes_years_and_terms_with_projects(client, catalog_pages, tree):
    make_event(tree.events)

    listed = paths(sitemap_locations(client))

    for path in [
        "/",
        "/projects/",
        "/projects/results/",
        "/projects/results/2017/",
        "/projects/results/2016/",
        "/projects/problem/",
        "/projects/category/",
        "/projects/support/",
        "/projects/area/",
        "/projects/program/",
        "/projects/category/children/",
        "/projects/category/animals/",
        "/projects/category/disability/",
        "/projects/support/facebook/",
        "/projects/support/accounting/",
        "/projects/area/hachioji/",
        "/projects/area/takao/",
        "/projects/program/banso/",
        "/projects/facebook-page/",
        "/events/",
        "/events/past/",
        "/events/briefing-2016-09-25/",
        "/news/",
        "/organizations/",
    ]:
        assert path in listed, path
    assert len(listed) == len(set(listed))
    # Terms without a visible project, and the years only a draft or private project had, are left out.
    for path in [
        "/projects/area/unused-area/",
        "/projects/category/draft-only/",
        "/projects/support/private-only/",
        "/projects/draft-project/",
        "/projects/private-project/",
        "/projects/results/2010/",
        "/projects/results/2011/",
    ]:
        assert path not in listed, path


def test_every_listed_address_answers_and_may_be_indexed(client, catalog_pages, tree):
    make_event(tree.events)
    make_article(tree.news)

    for location in sitemap_locations(client):
        path = urlsplit(location).path
        response = client.get(path)
        assert response.status_code == 200, path
        assert "noindex" not in response.get("X-Robots-Tag", ""), path
        head = parse(response).head
        assert head.find("meta", attrs={"name": "robots"}) is None, path
        assert unquote(head.find("link", rel="canonical")["href"]) == unquote(location), path


def test_drafts_private_sections_and_their_routes_are_never_listed(client, catalog_pages, tree):
    draft = make_article(tree.news, slug="draft")
    draft.unpublish()
    PageViewRestriction.objects.create(page=tree.events, restriction_type="login")
    tree.organizations.unpublish()

    listed = paths(sitemap_locations(client))

    assert "/news/draft/" not in listed
    # A view restriction covers the section's pages and routes; an unpublished section page goes itself.
    assert not any(path.startswith("/events/") for path in listed)
    assert "/organizations/" not in listed
    assert "/projects/results/" in listed


def test_a_private_catalog_takes_its_years_and_terms_with_it(client, catalog_pages, tree):
    PageViewRestriction.objects.create(page=tree.projects, restriction_type="password", password="x")

    assert not any(path.startswith("/projects/") for path in paths(sitemap_locations(client)))


def test_unicode_term_slugs_are_percent_encoded(client, catalog_pages):
    term = Area.objects.create(name="八王子駅周辺", slug="八王子駅")
    project = catalog_pages["takao-sns"]
    project.areas.add(term)
    project.save_revision().publish()

    locations = sitemap_locations(client)

    assert f"{BASE_URL}/projects/area/%E5%85%AB%E7%8E%8B%E5%AD%90%E9%A7%85/" in locations
    assert all(location.isascii() for location in locations)


def count_sitemap_queries(client):
    client.get("/sitemap.xml")  # warm the per-process caches (sites, settings)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/sitemap.xml").status_code == 200
    return len(queries)


def add_catalog(tree, count):
    organization = make_organization(tree.organizations, slug=f"org-{count}")
    for number in range(count):
        area = Area.objects.create(name=f"地域{count}-{number}", slug=f"area-{count}-{number}")
        program = Program.objects.create(name=f"プログラム{count}-{number}", slug=f"program-{count}-{number}")
        make_project(
            tree.projects,
            organization,
            slug=f"project-{count}-{number}",
            status="completed",
            started_on=datetime.date(2016 + number % 5, 6, 1),
            ended_on=datetime.date(2017 + number % 5, 6, 1),
            areas=[area],
            programs=[program],
        )
        make_event(tree.events, slug=f"event-{count}-{number}")


def test_query_count_does_not_grow_with_the_catalog(client, tree):
    add_catalog(tree, 2)
    small = count_sitemap_queries(client)
    small_size = len(sitemap_locations(client))

    add_catalog(tree, 12)
    large = count_sitemap_queries(client)

    assert len(sitemap_locations(client)) > small_size + 30
    assert large == small
    assert small <= 25
