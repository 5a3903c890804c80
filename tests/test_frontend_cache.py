"""A CDN in front (WAGTAILFRONTENDCACHE) is purged of every address that shows a change, and told how long
it may keep a page.

The CDN is a real HTTP server on loopback that records the PURGE requests Wagtail's HTTPBackend sends it.
"""

import pytest
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page, Site

from home.models import CenterSettings
from projects.models import Category
from tests import builders
from tests.builders import make_article, make_event, make_organization, make_project, make_standard_page
from tests.cdn import paths

pytestmark = pytest.mark.django_db

PERSON = {**builders.PERSON, "phone": ""}


@pytest.fixture
def site(tree):
    """The catalog tree with an organization, two projects, an upcoming event and an article."""
    organization = make_organization(tree.organizations)
    other_organization = make_organization(tree.organizations, title="高尾の森の会", slug="takao-forest")
    return {
        "tree": tree,
        "organization": organization,
        "project": make_project(tree.projects, organization),
        "other_project": make_project(
            tree.projects, other_organization, title="高尾のSNS発信", slug="takao-sns"
        ),
        "event": make_event(
            tree.events,
            starts_at=timezone.now() + timezone.timedelta(days=14),
            registration_enabled=True,
            capacity=10,
            slug="briefing-upcoming",
        ),
        "article": make_article(tree.news),
    }


def test_publishing_a_project_purges_it_the_catalog_its_organization_and_home(
    site, cdn, django_capture_on_commit_callbacks
):
    project = site["project"]
    project.title = "経理業務の効率化(2年目)"
    with django_capture_on_commit_callbacks(execute=True):
        project.save_revision().publish()
    purged = paths(cdn)
    assert {
        "/projects/cat-homes-accounting/",
        "/projects/",
        "/organizations/hachioji-cat-homes/",
        "/",
    } <= purged
    unrelated = {"/projects/takao-sns/", "/organizations/takao-forest/", "/events/", "/news/"}
    assert not purged & unrelated


def test_the_purge_waits_for_the_commit(site, cdn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        site["project"].save_revision().publish()
    # Only Wagtail's own purge of the page itself goes out inside the transaction.
    assert paths(cdn) <= {"/projects/cat-homes-accounting/"}
    for callback in callbacks:
        callback()
    assert {"/projects/", "/organizations/hachioji-cat-homes/", "/"} <= paths(cdn)


def test_a_registration_purges_its_event_page_only(client, site, cdn, django_capture_on_commit_callbacks):
    event = site["event"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(event.url, PERSON)
    assert response.status_code == 302
    # Seats are shown on the event's page alone; the listings show dates.
    assert paths(cdn) == {"/events/briefing-upcoming/"}


def test_a_hanging_cdn_never_holds_up_the_registration(client, site, cdn, django_capture_on_commit_callbacks):
    event = site["event"]
    cdn.answering.clear()  # the CDN accepts the connection and says nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(event.url, PERSON)

    assert response.status_code == 302
    assert event.registrations.count() == 1
    assert cdn == []  # the visitor has their answer; the purge still waits on the CDN
    cdn.answering.set()
    assert paths(cdn) == {"/events/briefing-upcoming/"}


def test_unpublishing_an_article_purges_it_and_its_listing(site, cdn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        site["article"].unpublish()
    purged = paths(cdn)
    assert {"/news/report-meeting-2017/", "/news/", "/"} <= purged
    assert "/projects/" not in purged


def test_deleting_a_live_article_purges_it_and_its_listing(site, cdn, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        site["article"].delete()
    assert {"/news/report-meeting-2017/", "/news/", "/"} <= paths(cdn)


def test_moving_a_page_purges_it_at_its_old_and_new_address(tree, cdn, django_capture_on_commit_callbacks):
    about = make_standard_page(tree.home)
    history = make_standard_page(about, title="沿革", slug="history")
    access = make_standard_page(about, title="アクセス", slug="access")
    leaf = make_standard_page(history, title="2016年", slug="2016")
    cdn.clear()
    with django_capture_on_commit_callbacks(execute=True):
        leaf.move(access, pos="last-child")
    purged = paths(cdn)
    assert {"/about/history/2016/", "/about/access/2016/", "/about/history/", "/about/access/"} <= purged
    assert "/projects/" not in purged


def test_the_center_settings_purge_every_page(site, cdn, django_capture_on_commit_callbacks):
    settings = CenterSettings.for_site(Site.objects.get(is_default_site=True))
    settings.phone = "042-000-0000"
    with django_capture_on_commit_callbacks(execute=True):
        settings.save()
    every_page = {page.url for page in Page.objects.live().filter(depth__gt=1).specific()}
    assert len(every_page) == 11  # home, four indexes, two organizations, two projects, event, article
    assert paths(cdn) == every_page


def test_renaming_a_taxonomy_term_purges_every_page(site, cdn, django_capture_on_commit_callbacks):
    term = Category.objects.create(name="動物との共生", slug="animals")
    cdn.clear()
    term.name = "人と動物の共生"
    with django_capture_on_commit_callbacks(execute=True):
        term.save()
    assert paths(cdn) == {page.url for page in Page.objects.live().filter(depth__gt=1).specific()}


def test_a_page_of_the_menu_purges_every_page(site, cdn, django_capture_on_commit_callbacks):
    about = make_standard_page(site["tree"].home, show_in_menus=True)
    cdn.clear()
    about.title = "センター案内"
    with django_capture_on_commit_callbacks(execute=True):
        about.save_revision().publish()
    assert {"/projects/takao-sns/", "/events/briefing-upcoming/", "/news/report-meeting-2017/"} <= paths(cdn)


def test_without_a_cdn_nothing_is_purged(site, cdn, django_capture_on_commit_callbacks):
    with override_settings(WAGTAILFRONTENDCACHE={}), django_capture_on_commit_callbacks(execute=True):
        site["project"].save_revision().publish()
        CenterSettings.for_site(Site.objects.get(is_default_site=True)).save()
    assert cdn == []


@override_settings(PAGE_CACHE_ENABLED=True)
def test_a_cacheable_page_tells_the_cdn_how_long_and_the_registration_form_keeps_it_out(client, site, cdn):
    project = client.get(site["project"].url)
    assert project["X-Page-Cache"] == "miss"
    control = {part.strip() for part in project["Cache-Control"].split(",")}
    assert {"public", "max-age=0"} <= control
    assert any(part.startswith("s-maxage=") and int(part.split("=")[1]) > 0 for part in control), control

    event = client.get(site["event"].url)
    assert b'name="csrfmiddlewaretoken"' in event.content
    assert "private" in event["Cache-Control"]
    assert "s-maxage" not in event["Cache-Control"] and "public" not in event["Cache-Control"]
