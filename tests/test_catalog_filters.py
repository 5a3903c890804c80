"""Browsing /projects/ by the five facets, status and fiscal year: semantics, counts, chips and bad input."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from projects.models import Area, Category, ProjectPage, SupportMenu
from tests.builders import make_project
from tests.html import get_catalog, parse, result_slugs

pytestmark = pytest.mark.django_db


def option(soup, parameter, value):
    return soup.find("input", attrs={"name": parameter, "value": value})


def option_count(soup, parameter, value):
    label = option(soup, parameter, value).find_parent("label")
    return int(label.find(class_="filter-option__count").get_text().removesuffix("件"))


def test_no_filter_lists_every_live_project(client, catalog):
    soup = get_catalog(client)
    assert result_slugs(soup) == sorted(catalog)
    assert "4件のプロジェクト" in soup.find(class_="result-count").get_text()


def test_values_of_one_facet_are_or(client, catalog):
    soup = get_catalog(client, {"category": ["children", "animals"]})
    assert result_slugs(soup) == ["cat-accounting", "facebook-page", "family-books"]


def test_different_facets_are_and(client, catalog):
    soup = get_catalog(client, {"category": ["children", "animals"], "support": "accounting"})
    assert result_slugs(soup) == ["cat-accounting", "family-books"]


def test_each_option_counts_what_it_would_leave_under_the_other_filters(client, catalog):
    soup = get_catalog(client, {"category": "children"})

    # Other facets are counted within the chosen category...
    assert option_count(soup, "support", "facebook") == 1
    assert option_count(soup, "support", "accounting") == 1
    assert option_count(soup, "area", "hachioji") == 1
    assert option_count(soup, "area", "takao") == 1
    # ...while the category's own options ignore the category choice, so OR-ing in another shows its gain.
    assert option_count(soup, "category", "children") == 2
    assert option_count(soup, "category", "animals") == 1
    assert option_count(soup, "category", "disability") == 2
    assert option_count(soup, "status", "completed") == 1
    assert option_count(soup, "status", "preparing") == 0


def test_options_that_would_leave_nothing_are_disabled_not_hidden(client, catalog):
    soup = get_catalog(client, {"category": "animals"})

    takao = option(soup, "area", "takao")
    assert takao is not None
    assert takao.has_attr("disabled")
    assert not option(soup, "area", "hachioji").has_attr("disabled")
    assert option(soup, "category", "animals").has_attr("checked")


def test_status_filter_and_its_counts(client, catalog):
    soup = get_catalog(client, {"status": ["completed", "recruiting"]})
    assert result_slugs(soup) == ["cat-accounting", "facebook-page", "takao-sns"]
    assert option_count(soup, "status", "in_progress") == 1
    assert option_count(soup, "support", "facebook") == 2


def test_fiscal_year_runs_from_april_to_march(client, catalog):
    fiscal_2016 = get_catalog(client, {"year": "2016"})
    fiscal_2017 = get_catalog(client, {"year": "2017"})

    # takao-sns started 2017-03-31 (2016年度); family-books started 2017-04-01 (2017年度).
    assert result_slugs(fiscal_2016) == ["cat-accounting", "facebook-page", "takao-sns"]
    assert result_slugs(fiscal_2017) == ["family-books"]
    assert "2016年度" in option(fiscal_2016, "year", "2016").find_parent("label").get_text()
    assert option_count(fiscal_2016, "year", "2017") == 1


def test_active_filters_show_as_removable_chips(client, catalog):
    # page=1 is the listing's own address without it (tests/test_catalog_urls.py).
    response = client.get(
        "/projects/", {"category": ["children", "animals"], "support": "accounting", "page": "1"}, follow=True
    )
    assert response.redirect_chain == [
        ("/projects/?category=children&category=animals&support=accounting", 301)
    ]
    soup = parse(response)

    chips = {chip.get_text(" ", strip=True): chip["href"] for chip in soup.select(".filter-chip")}
    assert set(chips) == {
        "カテゴリ: 子ども・子育て × (この条件を外す)",
        "カテゴリ: 動物との共生 × (この条件を外す)",
        "支援内容: 経理改善 × (この条件を外す)",
    }
    removed = get_catalog(client, dict(_query_pairs(chips["支援内容: 経理改善 × (この条件を外す)"])))
    assert result_slugs(removed) == ["cat-accounting", "facebook-page", "family-books"]
    assert soup.select_one(".filter-chips__clear")["href"] == "?"


def _query_pairs(href):
    from django.http import QueryDict

    return QueryDict(href.lstrip("?")).lists()


def test_sorting_orders(client, catalog):
    by_title = get_catalog(client, {"sort": "title"})
    titles = [link.get_text() for link in by_title.find(id="results").find_all("a")]
    assert titles == sorted(titles)

    newest = get_catalog(client, {"sort": "newest"})
    slugs = [link["href"].strip("/").split("/")[-1] for link in newest.find(id="results").find_all("a")]
    assert slugs == ["family-books", "takao-sns", "facebook-page", "cat-accounting"]


@pytest.mark.parametrize(
    "params",
    [
        {"category": "no-such-term"},
        {"category": ["no-such-term", "children"]},
        {"status": "finished"},
        {"year": ["abcd", "99999", "２０１６", "-1"]},
        {"sort": "'; DROP TABLE wagtailcore_page; --"},
        {"page": "abc"},
        {"page": "9999"},
        {"q": "経" * 5000},
        {"q": "%' OR 1=1 --<script>alert(1)</script>\\"},
        {"category": ["children"] * 200, "area": ["x" * 300] * 200},
        {"category": "\x00"},
        {"q": '"'},
        {"q": "\x00経理"},
    ],
)
def test_bad_parameters_never_fail(client, catalog, params):
    # A page number that names no page is sent to one that does (tests/test_catalog_urls.py), at most once.
    response = client.get("/projects/", params, follow=True)
    assert response.status_code == 200 and len(response.redirect_chain) <= 1
    soup = parse(response)
    assert soup.find(id="results") is not None
    assert "<script>alert(1)</script>" not in str(soup.find(id="catalog-q"))


def test_unknown_values_are_ignored(client, catalog):
    soup = get_catalog(client, {"category": ["no-such-term", "animals"], "status": "finished"})
    assert result_slugs(soup) == ["cat-accounting"]


def test_drafts_and_private_projects_never_show(client, catalog, tree):
    catalog["facebook-page"].unpublish()
    PageViewRestriction.objects.create(page=catalog["takao-sns"], restriction_type="login")

    soup = get_catalog(client, {"category": ["children", "disability"]})

    assert result_slugs(soup) == ["family-books"]
    assert option_count(soup, "support", "facebook") == 0


def test_pagination_keeps_filters(client, catalog, tree):
    organization = catalog["facebook-page"].organization
    children = Category.objects.get(slug="children")
    for number in range(13):
        make_project(
            tree.projects, organization, slug=f"extra-{number}", title=f"追加{number}", categories=[children]
        )

    first = get_catalog(client, {"category": "children"})
    second = get_catalog(client, {"category": "children", "page": "2"})

    assert len(result_slugs(first)) == 12
    assert len(result_slugs(second)) == 3
    next_link = first.select_one(".pagination a[rel=next]")["href"]
    assert "category=children" in next_link and "page=2" in next_link


def count_queries(client, url):
    client.get(url)  # warm: the menu and image renditions are cached after the first render
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_projects(tree, organization, count, terms):
    """Live projects added straight to the tree (no revisions), to make a large catalog quickly."""
    for number in range(count):
        tree.projects.add_child(
            instance=ProjectPage(
                slug=f"bulk-{number}",
                title=f"生成プロジェクト{number}",
                organization=organization,
                status="completed" if number % 2 else "in_progress",
                started_on=datetime.date(2016 + number % 10, 1 + number % 12, 1),
                **{name: [values[number % len(values)]] for name, values in terms.items()},
            )
        )


def test_query_count_does_not_grow_with_the_catalog(client, catalog, tree):
    terms = {
        "categories": list(Category.objects.all()),
        "support_menus": list(SupportMenu.objects.all()),
        "areas": list(Area.objects.all()),
    }
    organization = catalog["facebook-page"].organization
    urls = [
        "/projects/?category=children&category=disability&support=accounting&status=completed&year=2017",
        "/projects/?area=takao&sort=title&page=2",
        "/projects/?q=経理&category=children",
    ]

    add_projects(tree, organization, 30, terms)  # enough for a second page of area=takao
    small = [count_queries(client, url) for url in urls]
    for project in tree.projects.get_children():
        if project.slug.startswith("bulk-"):
            project.delete()
    add_projects(tree, organization, 996, terms)
    large = [count_queries(client, url) for url in urls]

    assert small == large, (small, large)
    assert max(large) <= 15, large


def test_counts_follow_every_change_to_the_catalog(client, catalog, tree):
    def facebook_count():
        return option_count(get_catalog(client, {"category": "children"}), "support", "facebook")

    assert facebook_count() == 1  # also fills the count cache

    children = Category.objects.get(slug="children")
    facebook = SupportMenu.objects.get(slug="facebook")
    organization = catalog["facebook-page"].organization
    added = make_project(
        tree.projects,
        organization,
        slug="new-one",
        title="新しい",
        categories=[children],
        support_menus=[facebook],
    )
    assert facebook_count() == 2

    added.unpublish()
    assert facebook_count() == 1

    PageViewRestriction.objects.create(page=catalog["facebook-page"], restriction_type="login")
    assert facebook_count() == 0

    PageViewRestriction.objects.all().delete()
    assert facebook_count() == 1
    facebook.delete()
    assert option(get_catalog(client, {"category": "children"}), "support", "facebook") is None


def test_a_year_without_projects_can_still_be_removed(client, catalog):
    soup = get_catalog(client, {"year": "1990", "q": "経理"})

    assert result_slugs(soup) == []
    chips = [chip.get_text(" ", strip=True) for chip in soup.select(".filter-chip")]
    assert "開始年度: 1990年度 × (この条件を外す)" in chips
    assert "キーワード: 経理 × (この条件を外す)" in chips
    assert option(soup, "year", "1990").has_attr("checked")
