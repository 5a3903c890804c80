"""Ways into the catalog besides its filters: term landing pages, related projects, organization filters."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from wagtail.models import PageViewRestriction

from projects.models import AnnualResultsIntroduction, Area, Category, ProjectPage
from tests.builders import make_organization
from tests.html import result_slugs

pytestmark = pytest.mark.django_db


def test_facet_index_lists_terms_with_project_counts(client, catalog):
    response = client.get("/projects/category/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>カテゴリ別に探す</h1>" in page
    assert 'href="/projects/category/children/"' in page
    items = {
        item.a.get_text(): item.find(class_="term-list__count").get_text()
        for item in BeautifulSoup(page, "html.parser").select(".term-list__item")
    }
    assert items == {"子ども・子育て": "2件", "動物との共生": "1件", "障害のある人と家族": "2件"}


def test_term_landing_page_lists_its_projects(client, catalog):
    Category.objects.filter(slug="disability").update(description="障害のある人とその家族を支える活動です。")

    response = client.get("/projects/category/disability/")

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text() == "障害のある人と家族"
    assert "障害のある人とその家族を支える活動です。" in soup.get_text()
    assert result_slugs(soup) == ["family-books", "takao-sns"]


@pytest.mark.parametrize(
    "url", ["/projects/colour/", "/projects/category/no-such-term/", "/projects/area/%00/"]
)
def test_unknown_facets_and_terms_are_404(client, catalog, url):
    assert client.get(url).status_code == 404


def test_project_pages_still_resolve_below_the_catalog(client, catalog):
    assert client.get("/projects/takao-sns/").status_code == 200


def test_a_project_may_not_take_a_facet_key_as_slug(catalog):
    project = ProjectPage.objects.get(slug="takao-sns")
    project.slug = "category"
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "絞り込み用のURL" in str(error.value)


def test_project_page_links_facet_terms_to_landing_pages(client, catalog):
    page = client.get("/projects/family-books/").content.decode()
    assert 'href="/projects/category/children/"' in page
    assert 'href="/projects/area/takao/"' in page


def test_related_projects_share_most_facets_and_skip_private_ones(client, catalog):
    # family-books shares category disability, support accounting and area takao with others.
    page = client.get("/projects/family-books/")
    related = [project.slug for project in page.context["related_projects"]]
    assert "family-books" not in related
    # takao-sns shares disability + takao (2 terms); cat-accounting shares accounting; facebook-page children.
    assert related[0] == "takao-sns"
    assert set(related) == {"takao-sns", "cat-accounting", "facebook-page"}

    PageViewRestriction.objects.create(page=catalog["takao-sns"], restriction_type="login")
    related = [project.slug for project in client.get("/projects/family-books/").context["related_projects"]]
    assert "takao-sns" not in related


def test_project_page_lists_the_organizations_other_projects(client, catalog):
    page = client.get("/projects/family-books/")
    others = {project.slug for project in page.context["other_projects"]}
    assert others == {"facebook-page", "cat-accounting", "takao-sns"}


def test_organizations_filter_by_area_and_project_category(client, catalog, tree):
    takao = Area.objects.get(slug="takao")
    make_organization(tree.organizations, title="高尾の森の会", slug="takao-forest", area=takao)

    by_area = client.get("/organizations/", {"area": "takao"})
    by_category = client.get("/organizations/", {"category": "animals"})
    ignored = client.get("/organizations/", {"area": "no-such-area", "category": "\x00"})

    assert [org.slug for org in by_area.context["organizations"]] == ["takao-forest"]
    assert [org.slug for org in by_category.context["organizations"]] == ["hachioji-cat-homes"]
    assert ignored.status_code == 200
    assert ignored.context["organizations"].paginator.count == 2


def test_annual_results_routes(client, catalog):
    index = client.get("/projects/results/")
    assert index.status_code == 200
    assert 'href="/projects/results/2016/"' in index.content.decode()
    assert 'href="/projects/results/"' in client.get("/projects/").content.decode()

    year = client.get("/projects/results/2016/")
    assert year.status_code == 200
    assert year.context["results"].fiscal_year == 2016
    assert "2016年度の支援実績" in year.content.decode()


UNKNOWN_YEAR_URLS = ["/projects/results/1999/", "/projects/results/abc/", "/projects/results/2016/x/"]


@pytest.mark.parametrize("url", UNKNOWN_YEAR_URLS)
def test_annual_results_for_unknown_years_are_404(client, catalog, url):
    assert client.get(url).status_code == 404


def test_editors_introduction_shows_on_its_year(client, catalog):
    AnnualResultsIntroduction.objects.create(fiscal_year=2016, body="<p>初めてのプロボノの年でした。</p>")

    assert "初めてのプロボノの年でした。" in client.get("/projects/results/2016/").content.decode()
    assert "初めてのプロボノの年でした。" not in client.get("/projects/results/2017/").content.decode()
