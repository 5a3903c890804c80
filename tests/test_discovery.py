"""What search engines read: sitemap.xml lists the live public pages, robots.txt points to it."""

from xml.etree import ElementTree

import pytest
from wagtail.models import PageViewRestriction

from tests.builders import make_article, make_event, make_organization

pytestmark = pytest.mark.django_db


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    namespace = {"sitemap": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ElementTree.fromstring(response.content)
    return [loc.text for loc in root.findall("sitemap:url/sitemap:loc", namespace)]


def test_the_sitemap_lists_live_public_pages_only(client, tree):
    organization = make_organization(tree.organizations)
    event = make_event(tree.events)
    draft = make_article(tree.news, slug="draft")
    draft.unpublish()
    private = make_article(tree.news, slug="members-only")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")

    locations = sitemap_locations(client)

    assert f"http://testserver{organization.url}" in locations
    assert f"http://testserver{event.url}" in locations
    assert not any(location.endswith(("/news/draft/", "/news/members-only/")) for location in locations)


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
