"""年度別の支援実績 are computed from the projects: 年度 boundaries, counts, workers, organizations, only live
public pages, and a query count that does not grow with the catalog."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from home.dates import fiscal_year_bounds, fiscal_year_of
from projects.annual_results import annual_results, available_fiscal_years
from projects.models import Area, ProjectPage, SupportMenu
from tests.builders import make_organization, make_project

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def organization(tree):
    return make_organization(tree.organizations)


@pytest.fixture
def other_organization(tree):
    return make_organization(tree.organizations, title="高尾の森を守る会", slug="takao-forest")


def project(tree, organization, slug, **fields):
    fields.setdefault("title", slug)
    return make_project(tree.projects, organization, slug=slug, **fields)


def completed(tree, organization, slug, started_on, ended_on, **fields):
    return project(
        tree, organization, slug, status="completed", started_on=started_on, ended_on=ended_on, **fields
    )


def slugs(projects):
    return [page.slug for page in projects]


def render(template, **context):
    request = RequestFactory().get("/projects/results/")
    request.user = AnonymousUser()
    return render_to_string(template, context, request=request)


# 年度 boundaries


def test_fiscal_year_runs_april_to_march():
    assert fiscal_year_of(D(2017, 3, 31)) == 2016
    assert fiscal_year_of(D(2017, 4, 1)) == 2017
    assert fiscal_year_bounds(2016) == (D(2016, 4, 1), D(2017, 3, 31))


def test_project_started_on_march_31_belongs_to_the_previous_fiscal_year(tree, organization):
    march = project(tree, organization, "march-31", status="in_progress", started_on=D(2017, 3, 31))
    april = project(tree, organization, "april-1", status="in_progress", started_on=D(2017, 4, 1))

    assert (march.fiscal_year, april.fiscal_year) == (2016, 2017)
    assert slugs(annual_results(2016).in_progress_projects) == ["march-31"]
    assert slugs(annual_results(2017).in_progress_projects) == ["march-31", "april-1"]


def test_project_ended_on_march_31_is_completed_in_the_year_that_ends_then(tree, organization):
    completed(tree, organization, "ends-march-31", D(2016, 10, 1), D(2017, 3, 31))
    completed(tree, organization, "ends-april-1", D(2016, 10, 1), D(2017, 4, 1))

    results_2016, results_2017 = annual_results(2016), annual_results(2017)

    assert slugs(results_2016.completed_projects) == ["ends-march-31"]
    # Still running when 2016年度 closed: in progress that year, completed the next.
    assert slugs(results_2016.in_progress_projects) == ["ends-april-1"]
    assert slugs(results_2017.completed_projects) == ["ends-april-1"]
    assert results_2017.in_progress_projects == []


def test_completed_project_without_end_date_counts_in_the_year_it_started(tree, organization):
    completed(tree, organization, "no-end-date", D(2016, 5, 1), None)

    assert slugs(annual_results(2016).completed_projects) == ["no-end-date"]
    assert annual_results(2017).projects == []
    assert available_fiscal_years(today=D(2020, 1, 1)) == [2016]


def test_in_progress_project_counts_until_its_end_date(tree, organization):
    project(
        tree,
        organization,
        "long-running",
        status="in_progress",
        started_on=D(2016, 6, 1),
        ended_on=D(2018, 4, 1),
    )

    assert [bool(annual_results(year).in_progress_projects) for year in (2015, 2016, 2017, 2018, 2019)] == [
        False,
        True,
        True,
        True,
        False,
    ]


def test_projects_not_under_way_never_count(tree, organization):
    project(tree, organization, "planned", status="recruiting", started_on=D(2016, 9, 1), team_size=4)
    project(tree, organization, "preparing", status="preparing", started_on=D(2016, 9, 1))

    results = annual_results(2016)

    assert results.projects == []
    assert (results.organization_count, results.workers) == (0, 0)
    assert available_fiscal_years(today=D(2020, 1, 1)) == []


def test_available_years_newest_first_and_not_beyond_the_current_year(tree, organization):
    completed(tree, organization, "first-year", D(2016, 7, 20), D(2017, 3, 25))
    project(tree, organization, "ongoing", status="in_progress", started_on=D(2018, 5, 1))

    assert available_fiscal_years(today=D(2020, 4, 1)) == [2020, 2019, 2018, 2016]
    assert available_fiscal_years(today=D(2019, 3, 31)) == [2018, 2016]


def test_available_years_are_exactly_the_years_with_results(tree, organization):
    completed(tree, organization, "spans-two-years", D(2016, 10, 1), D(2017, 5, 1))
    completed(tree, organization, "no-start-date", None, D(2019, 3, 1))
    completed(tree, organization, "no-end-date", D(2020, 6, 1), None)
    project(
        tree,
        organization,
        "planned-end",
        status="in_progress",
        started_on=D(2021, 4, 1),
        ended_on=D(2022, 4, 1),
    )

    years = available_fiscal_years(today=D(2025, 1, 1))

    assert years == [2022, 2021, 2020, 2018, 2017, 2016]
    assert [year for year in range(2014, 2026) if annual_results(year).projects] == sorted(years)


# Counts


@pytest.fixture
def year_2016(tree, organization, other_organization):
    """Four projects of 2016年度 with two support menus and two areas, plus one of 2017年度."""
    accounting = SupportMenu.objects.create(name="経理改善", slug="accounting", sort_order=3)
    website = SupportMenu.objects.create(name="ウェブサイト", slug="website", sort_order=2)
    manual = SupportMenu.objects.create(name="マニュアル作成", slug="manual", sort_order=1)
    SupportMenu.objects.create(name="SNS", slug="sns", sort_order=0)
    city = Area.objects.create(name="八王子市", slug="hachioji", sort_order=0)
    takao = Area.objects.create(name="高尾・浅川", slug="takao-asakawa", sort_order=1)
    completed(
        tree,
        organization,
        "cat-accounting",
        D(2016, 12, 23),
        D(2017, 3, 17),
        team_size=3,
        support_menus=[accounting],
        areas=[city],
    )
    completed(
        tree,
        organization,
        "cat-website",
        D(2016, 6, 1),
        D(2016, 11, 30),
        team_size=None,
        support_menus=[website, accounting],
        areas=[city],
    )
    project(
        tree,
        other_organization,
        "forest-manual",
        status="in_progress",
        started_on=D(2017, 1, 10),
        team_size=5,
        support_menus=[manual],
        areas=[takao, city],
    )
    project(
        tree,
        other_organization,
        "forest-sns-2017",
        status="in_progress",
        started_on=D(2017, 6, 1),
        team_size=4,
        support_menus=[SupportMenu.objects.get(slug="sns")],
        areas=[takao],
    )
    return annual_results(2016)


def term_counts(rows):
    return [(row.name, row.count) for row in rows]


def test_counts_by_support_menu_most_used_first_then_sort_order(year_2016):
    # Ties keep the editors' sort order; SNS has no project in 2016年度 and is left out.
    assert term_counts(year_2016.by_support) == [("経理改善", 2), ("マニュアル作成", 1), ("ウェブサイト", 1)]


def test_counts_by_area(year_2016):
    assert term_counts(year_2016.by_area) == [("八王子市", 3), ("高尾・浅川", 1)]


def test_projects_split_into_completed_and_in_progress(year_2016):
    assert slugs(year_2016.completed_projects) == ["cat-website", "cat-accounting"]
    assert slugs(year_2016.in_progress_projects) == ["forest-manual"]
    assert (year_2016.completed_count, year_2016.in_progress_count, year_2016.project_count) == (2, 1, 3)


def test_workers_sum_team_sizes_with_missing_sizes_as_zero(year_2016):
    assert year_2016.workers == 3 + 0 + 5


def test_organizations_are_counted_once(year_2016):
    assert [organization.slug for organization in year_2016.organizations] == [
        "hachioji-cat-homes",
        "takao-forest",
    ]
    assert year_2016.organization_count == 2


# Only live, public pages


def test_drafts_and_private_projects_are_left_out(tree, organization, other_organization):
    completed(tree, organization, "public", D(2016, 6, 1), D(2016, 9, 1), team_size=3)
    draft = ProjectPage(
        title="下書き", slug="draft", organization=other_organization, status="completed", live=False
    )
    draft.started_on, draft.ended_on, draft.team_size = D(2016, 6, 1), D(2016, 9, 1), 7
    tree.projects.add_child(instance=draft)
    draft.save_revision()
    unpublished = completed(tree, other_organization, "unpublished", D(2018, 6, 1), D(2018, 9, 1))
    unpublished.unpublish()
    private = completed(tree, other_organization, "private", D(2016, 6, 1), D(2016, 9, 1), team_size=9)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )

    results = annual_results(2016)

    assert slugs(results.projects) == ["public"]
    assert (results.organization_count, results.workers) == (1, 3)
    assert available_fiscal_years(today=D(2020, 1, 1)) == [2016]
    page = render("projects/annual_results.html", page=tree.projects, results=results)
    assert "下書き" not in page and "/projects/private/" not in page and other_organization.title not in page


# Templates


def test_results_page_shows_figures_tables_and_project_links(tree, year_2016):
    page = render("projects/annual_results.html", page=tree.projects, results=year_2016)

    assert "<h1>2016年度の支援実績</h1>" in page
    assert "2016.04.01" in page and "2017.03.31" in page
    figures = page.split('class="results-figures"', 1)[1].split("</dl>", 1)[0]
    for figure in ("2</span>団体", "2</span>件", "1</span>件", "8</span>人"):
        assert figure in figures
    assert '<th scope="row">経理改善</th><td>2件</td>' in page
    assert '<th scope="row">八王子市</th><td>3件</td>' in page
    for slug in ("cat-accounting", "cat-website", "forest-manual"):
        assert f'href="/projects/{slug}/"' in page
    assert "/projects/forest-sns-2017/" not in page
    assert 'href="/organizations/takao-forest/"' in page
    assert 'href="/projects/results/"' in page


def test_results_page_for_a_year_without_projects(tree):
    page = render("projects/annual_results.html", page=tree.projects, results=annual_results(2030))

    assert "2030年度の支援実績" in page
    assert "empty-state" in page


def test_results_index_links_each_year(tree):
    page = render("projects/annual_results_index.html", page=tree.projects, years=[2017, 2016])

    assert page.index('href="/projects/results/2017/"') < page.index('href="/projects/results/2016/"')
    assert "2016年度の支援実績" in page


def test_results_index_without_years(tree):
    assert "まだ支援実績はありません" in render(
        "projects/annual_results_index.html", page=tree.projects, years=[]
    )


# Query count


def add_projects(tree, organizations, terms, start, count):
    """`count` projects of 2016年度 in every state that counts, spread over organizations and terms."""
    menus, areas = terms
    for number in range(start, start + count):
        status, ended_on = [
            ("completed", D(2017, 2, 1)),
            ("completed", D(2017, 6, 1)),
            ("in_progress", None),
        ][number % 3]
        project(
            tree,
            organizations[number % len(organizations)],
            f"project-{number:03d}",
            status=status,
            started_on=D(2016, 4, 1) + datetime.timedelta(days=number),
            ended_on=ended_on,
            team_size=number % 6 or None,
            support_menus=[menus[number % len(menus)]],
            areas=[areas[number % len(areas)], areas[(number + 1) % len(areas)]],
        )


def queries_for_one_year(tree):
    cache.clear()
    render("projects/annual_results.html", page=tree.projects, results=annual_results(2016))  # warm-up
    with CaptureQueriesContext(connection) as computing:
        results = annual_results(2016)
    with CaptureQueriesContext(connection) as rendering:
        render("projects/annual_results.html", page=tree.projects, results=results)
    with CaptureQueriesContext(connection) as listing_years:
        available_fiscal_years(today=D(2020, 1, 1))
    return results.project_count, len(computing), len(rendering), len(listing_years)


def test_query_count_does_not_grow_with_the_number_of_projects(tree, organization, other_organization):
    organizations = [organization, other_organization]
    terms = (
        [SupportMenu.objects.create(name=f"支援{n}", slug=f"support-{n}") for n in range(4)],
        [Area.objects.create(name=f"地域{n}", slug=f"area-{n}") for n in range(3)],
    )
    add_projects(tree, organizations, terms, 0, 5)
    few = queries_for_one_year(tree)
    add_projects(tree, organizations, terms, 5, 25)
    many = queries_for_one_year(tree)

    assert (few[0], many[0]) == (5, 30)
    assert few[1:] == many[1:]
    assert few[1] <= 5
