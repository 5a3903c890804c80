"""Links to the site's sections (projects, organizations, events, news) come from the section pages
themselves: a section an editor moves is linked at its new address, one visitors may not see is not linked."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from home.models import HomeFeaturedProject
from tests.builders import make_event, make_organization, make_project

pytestmark = pytest.mark.django_db


def soup_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.content, "html.parser")


def main_menu(soup):
    return [(link["href"], link.get_text(strip=True)) for link in soup.select(".main-nav__list a")]


def more_links(soup):
    return [link["href"] for link in soup.select(".section__more a")]


def move(page, slug):
    page.slug = slug
    page.save_revision().publish()


def test_a_moved_section_is_linked_at_its_new_address_everywhere(client, tree):
    project = make_project(tree.projects, make_organization(tree.organizations))
    HomeFeaturedProject.objects.create(page=tree.home, project=project)
    make_event(tree.events, starts_at=timezone.now() + datetime.timedelta(days=7))
    move(tree.projects, "katsudo")
    move(tree.events, "moyooshi")

    home = soup_of(client, "/")
    assert main_menu(home) == [
        ("/katsudo/", "プロジェクト"),
        ("/organizations/", "団体"),
        ("/moyooshi/", "イベント"),
        ("/news/", "お知らせ"),
    ]
    assert more_links(home)[:2] == ["/katsudo/", "/moyooshi/"]
    assert home.select_one(".browse-nav a")["href"].startswith("/katsudo/")
    not_found = soup_of(client, "/no-such-page/", status=404)
    assert not_found.find("a", string="プロジェクト一覧へ")["href"] == "/katsudo/"


def test_an_unpublished_section_is_linked_nowhere(client, tree):
    tree.projects.unpublish()

    home = soup_of(client, "/")
    assert [title for _url, title in main_menu(home)] == ["団体", "イベント", "お知らせ"]
    assert home.select(".browse-nav") == []
    assert soup_of(client, "/no-such-page/", status=404).find("a", string="プロジェクト一覧へ") is None
