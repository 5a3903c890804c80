"""The open data API's answers: kept until the content changes, conditional requests (304), the rate limit,
CORS, and query counts that do not grow with the catalog."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from projects.models import Area, Category, ProjectPage, SupportMenu
from tests.builders import make_project

pytestmark = pytest.mark.django_db

URLS = [
    "/api/projects/?category=children&sort=title",
    "/api/projects/facebook-page/",
    "/api/organizations/",
    "/api/organizations/hachioji-cat-homes/",
    "/api/events/",
    "/api/taxonomy/",
    "/api/taxonomy/area/",
    "/api/annual-results/",
    "/api/annual-results/2016/",
]


@pytest.mark.parametrize("url", URLS)
def test_a_second_identical_request_runs_no_sql(client, catalog, url):
    first = client.get(url)
    assert first.status_code == 200

    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)

    assert second.status_code == 200 and second.content == first.content
    assert [query["sql"] for query in queries] == []
    assert second["Cache-Control"] == "public, max-age=60"
    assert second["Last-Modified"] == first["Last-Modified"]


def test_a_publish_changes_the_answer_at_once(client, catalog, tree):
    before = json.loads(client.get("/api/projects/").content)
    organization = catalog["facebook-page"].organization

    added = make_project(tree.projects, organization, slug="brand-new", title="新しいプロジェクト")
    after = json.loads(client.get("/api/projects/").content)
    assert after["count"] == before["count"] + 1
    assert "brand-new" in [item["slug"] for item in after["items"]]

    added.title = "題名を変えました"
    added.save_revision().publish()
    assert json.loads(client.get("/api/projects/brand-new/").content)["title"] == "題名を変えました"

    added.unpublish()
    assert client.get("/api/projects/brand-new/").status_code == 404
    Category.objects.filter(slug="animals").update(name="動物")  # not through save(): no signal
    Category.objects.get(slug="animals").save()
    assert "動物との共生" not in client.get("/api/taxonomy/").content.decode()


@pytest.mark.parametrize("url", ["/api/projects/", "/api/projects/facebook-page/", "/api/taxonomy/"])
def test_if_none_match_gives_304(client, catalog, url):
    response = client.get(url)
    etag = response["ETag"]

    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    assert client.get(url, headers={"if-none-match": '"something-else"'}).status_code == 200


def test_if_modified_since_the_last_modified_gives_304(client, catalog):
    response = client.get("/api/projects/")
    last_modified = response["Last-Modified"]

    assert client.get("/api/projects/", headers={"if-modified-since": last_modified}).status_code == 304
    earlier = http_date(datetime.datetime(2016, 1, 1, tzinfo=datetime.UTC).timestamp())
    assert client.get("/api/projects/", headers={"if-modified-since": earlier}).status_code == 200


# An hour's window: django-ratelimit staggers window boundaries per address, and a minute's window once
# ended between the first and the fourth request of a slow run.
@override_settings(API_RATE_LIMIT="3/h")
def test_over_the_rate_limit_is_429_in_japanese_with_retry_after(client, catalog):
    for url in ("/api/projects/", "/api/taxonomy/", "/api/projects/?limit=abc"):
        assert client.get(url).status_code in (200, 400)

    refused = client.get("/api/projects/")

    assert refused.status_code == 429
    assert "しばらく時間をおいて" in json.loads(refused.content)["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert refused["Cache-Control"] == "no-store"
    # Counted per address: another address still gets answers.
    assert client.get("/api/projects/", REMOTE_ADDR="192.0.2.9").status_code == 200


def test_cors_on_an_answer_and_a_preflight(client, catalog):
    response = client.get("/api/projects/", headers={"origin": "https://example.org"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]

    preflight = client.options(
        "/api/projects/",
        headers={"origin": "https://example.org", "access-control-request-method": "GET"},
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in preflight


def add_projects(tree, organization, numbers, terms):
    """Live projects added straight to the tree (no revisions), to make a large catalog quickly, as
    tests/test_catalog_filters.py does."""
    for number in numbers:
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


def count_queries(client, url):
    cache.clear()  # built again, not read from the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_catalog(client, catalog, tree):
    terms = {
        "categories": list(Category.objects.all()),
        "support_menus": list(SupportMenu.objects.all()),
        "areas": list(Area.objects.all()),
    }
    organization = catalog["facebook-page"].organization
    urls = [
        "/api/projects/",
        "/api/projects/?category=children&category=disability&support=accounting&status=completed",
        "/api/projects/?limit=100&sort=title",
        "/api/projects/?q=生成&area=takao",
        "/api/projects/bulk-7/",
        "/api/organizations/",
        "/api/taxonomy/",
    ]

    add_projects(tree, organization, range(16), terms)
    assert ProjectPage.objects.count() == 20
    small = [count_queries(client, url) for url in urls]
    add_projects(tree, organization, range(16, 996), terms)
    assert ProjectPage.objects.count() == 1000
    large = [count_queries(client, url) for url in urls]

    assert small == large, (small, large)
    # The list: the site and its catalog, the terms, the count, the page and what its records read
    # (organizations, facets, report links), with the view restrictions read for each visible() query.
    assert large[0] <= 12 and large[4] <= 10, large
