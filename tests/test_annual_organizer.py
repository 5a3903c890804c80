"""The annual results count only the organizations supported: the center's own organization page, which
editors mark as the organizer (主催団体(センター)), is labelled 主催 and never counted, e.g. in 2016 when
the center ran the programme's first year as a project of its own."""

import datetime

import pytest
from bs4 import BeautifulSoup

from projects.annual_results import annual_results
from projects.models import OrganizationPage
from tests.builders import logged_in, make_organization, make_project, make_user

D = datetime.date


def results_page(client, year):
    response = client.get(f"/projects/results/{year}/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def figure(soup, label):
    (term,) = [dt for dt in soup.select(".results-figures dt") if dt.get_text(strip=True) == label]
    return term.find_next_sibling("dd").get_text(strip=True)


@pytest.mark.demo
@pytest.mark.django_db
def test_the_demo_2016_results_count_the_supported_organizations_and_label_the_center(client):
    center = OrganizationPage.objects.get(slug="hachioji-civic-center")
    assert center.is_organizer  # the demo marks it
    results = annual_results(2016)
    assert center.pk in {project.organization_id for project in results.projects}  # it ran a project

    assert center not in results.organizations
    assert results.organizers == [center]
    assert results.organization_count == len(results.organizations) == 2

    soup = results_page(client, 2016)
    assert figure(soup, "支援した団体") == "2団体"
    section = soup.find(id="results-organizations-heading").parent
    supported = [link.get_text() for link in section.select(".results-list a")]
    assert center.title not in supported and len(supported) == 2
    assert section.select_one(".results-organizer").get_text(strip=True).startswith(f"主催:{center.title}")
    labels = [meta.get_text() for meta in soup.select(".results-list__meta")]
    assert f"(主催: {center.title})" in labels


@pytest.mark.django_db
def test_a_year_with_only_the_organizers_project_counts_no_organization(client, tree):
    center = make_organization(tree.organizations, slug="center", title="支援センター", is_organizer=True)
    make_project(
        tree.projects,
        center,
        slug="setup",
        status="completed",
        started_on=D(2016, 7, 1),
        ended_on=D(2017, 3, 1),
        team_size=4,
    )

    results = annual_results(2016)
    assert (results.organization_count, results.organizers, results.project_count) == (0, [center], 1)

    soup = results_page(client, 2016)
    assert figure(soup, "支援した団体") == "0団体"
    assert "この年度に支援した団体はありません" in soup.get_text()
    assert soup.select_one(".results-organizer a")["href"] == "/organizations/center/"


@pytest.mark.django_db
def test_unmarked_the_center_counts_like_any_organization(tree):
    center = make_organization(tree.organizations, slug="center", title="支援センター")
    make_project(tree.projects, center, slug="setup", status="completed", started_on=D(2016, 7, 1))

    results = annual_results(2016)
    assert (results.organizations, results.organizers) == ([center], [])


@pytest.mark.django_db
def test_editors_set_the_organizer_on_the_organization_page(tree):
    organization = make_organization(tree.organizations)

    response = logged_in(make_user("henshu", "編集者")).get(f"/admin/pages/{organization.pk}/edit/")

    assert response.status_code == 200
    field = BeautifulSoup(response.content, "html.parser").find("input", attrs={"name": "is_organizer"})
    assert field is not None and field["type"] == "checkbox"
    assert "主催団体(センター)" in response.content.decode()
