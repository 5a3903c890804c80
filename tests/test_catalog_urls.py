"""Each listing page has one address (home/pagination.py): a request with empty parameters, or a page number
that names no page, is redirected to it, keeping the other parameters in their order; a page beyond the last
goes to the last one, temporarily, since the last page moves as content is added. Never a 500, never a 404.

The catalog, the organization list, the past events, the news, a taxonomy term's projects and the search
page follow the one rule."""

import datetime
from urllib.parse import quote, urlsplit

import pytest
from bs4 import BeautifulSoup

from projects.models import Area, ProjectPage
from tests.builders import make_article, make_event, make_organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_catalog(catalog, tree):
    """The small catalog and 21 more projects: 25 in all, three pages of 12 (the last holds one)."""
    organization = catalog["facebook-page"].organization
    takao = Area.objects.get(slug="takao")
    for number in range(21):
        project = ProjectPage(
            slug=f"more-{number}",
            title=f"追加プロジェクト{number}",
            organization=organization,
            status="completed",
            started_on=datetime.date(2018, 1, 1),
            areas=[takao],
        )
        tree.projects.add_child(instance=project)
    return catalog


def redirect_of(client, url):
    response = client.get(url)
    assert response.status_code in (301, 302), (url, response.status_code)
    return response.status_code, response["Location"]


def assert_lands(client, url, status, location):
    """`url` redirects with `status` to `location`, which answers 200 without redirecting again."""
    assert redirect_of(client, url) == (status, location)
    assert client.get(location).status_code == 200, location


# Empty parameters


@pytest.mark.parametrize(
    "query, location",
    [
        ("?area=&type=&q=", "/projects/"),
        ("?area=&support=accounting&q=&sort=title", "/projects/?support=accounting&sort=title"),
        # The order the request gave is kept, even interleaved.
        (
            "?area=takao&q=&category=children&area=hachioji",
            "/projects/?area=takao&category=children&area=hachioji",
        ),
        ("?q=+&area=%20%20", "/projects/"),  # only spaces
        ("?q=%E3%80%80", "/projects/"),  # an ideographic space
        ("?q=%0A&area=%09", "/projects/"),  # line breaks and tabs
        ("?=x&=", "/projects/"),  # parameters without a name
        ("?&&&", "/projects/"),
        ("?q=%E7%B5%8C%E7%90%86&area=", "/projects/?q=%E7%B5%8C%E7%90%86"),  # 経理, kept as sent
        ("?page=", "/projects/"),
    ],
)
def test_empty_parameters_are_dropped_permanently(client, catalog, query, location):
    assert_lands(client, f"/projects/{query}", 301, location)


def test_a_request_on_the_address_is_not_redirected(client, big_catalog):
    for url in (
        "/projects/",
        "/projects/?support=accounting&sort=title",
        "/projects/?page=2",
        "/projects/?page=3",
        "/projects/?q=%E7%B5%8C%E7%90%86",
        "/projects/?q=経理",  # unescaped UTF-8 in the request line reads as its escaped form
        "/projects/?category=no-such-term",  # an unknown value is shown with a notice, not dropped
        "/projects/?q=%00",  # a control character is not empty; the search cleans it
    ):
        assert client.get(url).status_code == 200, url


# Page numbers


@pytest.mark.parametrize(
    "page, status, location",
    [
        ("1", 301, "/projects/"),
        ("0", 301, "/projects/"),
        ("-1", 301, "/projects/"),
        ("abc", 301, "/projects/"),
        ("2.0", 301, "/projects/"),
        ("%EF%BC%92", 301, "/projects/"),  # a full-width ２ is no page number
        ("%C2%B2", 301, "/projects/"),  # nor is a superscript ²
        ("+2", 301, "/projects/?page=2"),  # a space around it goes (+ is a space)
        ("02", 301, "/projects/?page=2"),
        ("4", 302, "/projects/?page=3"),
        ("999", 302, "/projects/?page=3"),
        ("9" * 5000, 302, "/projects/?page=3"),
        ("%00", 301, "/projects/"),
        ("<script>", 301, "/projects/"),
    ],
)
def test_a_page_number_that_names_no_page_leads_to_one(client, big_catalog, page, status, location):
    assert_lands(client, f"/projects/?page={page}", status, location)


def test_beyond_the_last_page_of_a_filtered_view_keeps_the_filters(client, big_catalog):
    assert_lands(
        client,
        "/projects/?q=&support=accounting&page=999&sort=title",
        302,
        "/projects/?support=accounting&sort=title",
    )
    assert_lands(
        client, "/projects/?area=takao&page=999&sort=title", 302, "/projects/?area=takao&page=2&sort=title"
    )


def test_a_repeated_page_keeps_the_one_shown(client, big_catalog):
    assert_lands(client, "/projects/?page=2&page=3", 301, "/projects/?page=3")
    # Where the first one stood.
    assert_lands(client, "/projects/?page=3&sort=title&page=2", 301, "/projects/?page=2&sort=title")


def test_an_empty_catalog_has_one_page(client, tree):
    assert_lands(client, "/projects/?page=2", 302, "/projects/")
    assert client.get("/projects/").status_code == 200


def test_many_parameters_never_fail(client, catalog):
    query = "&".join(["area="] * 200 + ["category=children"] * 200 + ["page=abc"] * 100)
    status, location = redirect_of(client, f"/projects/?{query}")

    assert status == 301
    assert location == "/projects/?" + "&".join(["category=children"] * 200)
    assert client.get(location).status_code == 200


def test_a_redirect_stays_on_the_site(client, catalog):
    status, location = redirect_of(client, "/projects/?q=&next=//evil.example/")

    assert (status, location) == (301, "/projects/?next=%2F%2Fevil.example%2F")
    assert not urlsplit(location).netloc


# The other listings follow the same rule


def test_the_organization_list(client, tree):
    for number in range(13):
        make_organization(tree.organizations, slug=f"org-{number}", title=f"団体{number:02}")

    assert_lands(client, "/organizations/?area=&category=", 301, "/organizations/")
    assert_lands(client, "/organizations/?page=99", 302, "/organizations/?page=2")
    assert_lands(client, "/organizations/?page=1", 301, "/organizations/")
    assert client.get("/organizations/?page=2").status_code == 200


def test_the_past_events(client, tree):
    make_event(tree.events, slug="old", starts_at=datetime.datetime(2020, 1, 1, 10, tzinfo=datetime.UTC))

    assert_lands(client, "/events/past/?page=abc", 301, "/events/past/")
    assert_lands(client, "/events/past/?page=5", 302, "/events/past/")


def test_the_news(client, tree):
    make_article(tree.news, slug="report")

    assert_lands(client, "/news/?tag=&page=5", 302, "/news/")
    assert_lands(client, "/news/?page=-1", 301, "/news/")


def test_a_taxonomy_term_page(client, catalog):
    assert_lands(client, "/projects/support/accounting/?page=0", 301, "/projects/support/accounting/")
    assert_lands(client, "/projects/support/accounting/?page=7", 302, "/projects/support/accounting/")


def test_the_search_page(client, catalog):
    assert_lands(client, "/search/?q=&type=", 301, "/search/")
    assert_lands(client, "/search/?q=%E7%B5%8C%E7%90%86&type=&page=99", 302, "/search/?q=%E7%B5%8C%E7%90%86")
    assert client.get("/search/?q=%E7%B5%8C%E7%90%86").status_code == 200


# Values that name no condition: left out, and the page says so


NOTICE_END = "は見つかりませんでした。その条件を外して表示しています。"


def notice_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    notice = BeautifulSoup(response.content, "html.parser").select_one(".filter-notice")
    return response, notice


def test_an_unknown_filter_value_is_named_in_a_polite_notice(client, catalog):
    response, notice = notice_of(client, "/projects/?area=nonexistent-slug")

    assert notice["role"] == "status"
    assert notice.get_text() == f"指定された条件「nonexistent-slug」{NOTICE_END}"
    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.find(id="results").find_all("a")) == 4  # shown without the condition
    # Inside the part the catalog's live update replaces.
    assert notice.find_parent(attrs={"data-catalog-part": "results"}) is not None


def test_known_values_give_no_notice(client, catalog):
    for url in ("/projects/", "/projects/?area=takao&status=completed&year=2016", "/projects/?q=xyz"):
        assert notice_of(client, url)[1] is None, url


def test_unknown_statuses_and_years_are_named_too(client, catalog):
    _response, notice = notice_of(client, "/projects/?status=finished&area=takao&year=abcd&category=animals")

    assert notice.get_text() == f"指定された条件「finished」「abcd」{NOTICE_END}"


def test_the_named_values_are_escaped_and_cut_short(client, catalog):
    hostile = quote("<script>alert(1)</script>")
    response, notice = notice_of(client, f"/projects/?category={hostile}&area={'x' * 5000}")

    assert "<script>alert(1)" not in response.content.decode()
    assert notice.get_text() == f"指定された条件「<script>alert(1)</script>」「{'x' * 29}…」{NOTICE_END}"


def test_control_and_invisible_characters_are_not_echoed(client, catalog):
    _response, notice = notice_of(client, "/projects/?area=bad%00%E2%80%AEslug%0Bx&category=%00")

    assert notice.get_text() == f"指定された条件「badslug x」{NOTICE_END}"


def test_only_unshowable_values_give_a_notice_without_names(client, catalog):
    _response, notice = notice_of(client, "/projects/?area=%00%01")

    assert notice.get_text() == f"指定された条件{NOTICE_END}"


def test_many_unknown_values_are_named_up_to_five(client, catalog):
    query = "&".join(f"area=no-{number}" for number in range(7)) + "&area=no-1"
    _response, notice = notice_of(client, f"/projects/?{query}")

    names = "".join(f"「no-{number}」" for number in range(5))
    assert notice.get_text() == f"指定された条件{names}ほか2件{NOTICE_END}"


def test_the_organization_list_says_so_too(client, tree):
    make_organization(tree.organizations)
    Area.objects.create(name="高尾・浅川", slug="takao")

    _response, notice = notice_of(client, "/organizations/?area=nowhere&category=%E3%81%AA%E3%81%97")
    assert notice["role"] == "status"
    assert notice.get_text() == f"指定された条件「nowhere」「なし」{NOTICE_END}"
    assert notice_of(client, "/organizations/?area=takao")[1] is None
