"""Fixtures shared by the test modules: the demo site, the page tree, a small catalog, a CDN, media files,
an empty cache."""

import datetime
from pathlib import Path

import pytest

from projects.models import Area, Category, SupportMenu
from tests.builders import (
    build_catalog_tree,
    force_login_with_second_factor,
    login_with_second_factor,
    make_organization,
    make_project,
)
from tests.cdn import purge_recorder
from tests.demo_site import SHARED_DEMO
from tests.xdist_groups import name_xdist_groups


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The tests marked `demo` share one xdist worker, so the demo is built once per run."""
    for item in items:
        if item.get_closest_marker("demo") and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group("demo"))
    if getattr(config.option, "loadgroup", False):  # an xdist worker under --dist loadgroup
        name_xdist_groups(items)


@pytest.fixture(scope="session")
def demo_database(django_db_setup, django_db_blocker):
    """The shared demo's holder; the demo is rolled back before the test database is destroyed."""
    yield SHARED_DEMO
    SHARED_DEMO.discard(django_db_blocker)


@pytest.fixture(scope="class", autouse=True)
def shared_demo(request, django_db_blocker):
    """The demo site for the tests (or classes) marked `demo`; for any other, a database without it.

    Class-scoped so that it comes before the test's own transaction (and a TestCase's class transaction);
    for a function outside a class it runs per test.
    """
    if request.node.get_closest_marker("demo"):
        request.getfixturevalue("demo_database").build(django_db_blocker)
    else:
        SHARED_DEMO.discard(django_db_blocker)
    return SHARED_DEMO


@pytest.fixture
def tree(db):
    """Home page with the four section index pages under it."""
    return build_catalog_tree()


@pytest.fixture
def catalog(tree):
    """Four projects whose facets overlap in known ways."""
    children = Category.objects.create(name="子ども・子育て", slug="children", sort_order=1)
    animals = Category.objects.create(name="動物との共生", slug="animals", sort_order=2)
    disability = Category.objects.create(name="障害のある人と家族", slug="disability", sort_order=3)
    facebook = SupportMenu.objects.create(name="Facebook活用", slug="facebook")
    accounting = SupportMenu.objects.create(name="経理改善", slug="accounting")
    hachioji = Area.objects.create(name="八王子市", slug="hachioji", sort_order=1)
    takao = Area.objects.create(name="高尾・浅川", slug="takao", sort_order=2)
    organization = make_organization(tree.organizations)

    def project(slug, title, status, started_on, categories, support, areas):
        return make_project(
            tree.projects,
            organization,
            slug=slug,
            title=title,
            status=status,
            started_on=started_on,
            categories=categories,
            support_menus=support,
            areas=areas,
        )

    return {
        "facebook-page": project(
            "facebook-page",
            "Facebookページ",
            "completed",
            datetime.date(2017, 1, 6),
            [children],
            [facebook],
            [hachioji],
        ),
        "cat-accounting": project(
            "cat-accounting",
            "経理業務の効率化",
            "completed",
            datetime.date(2016, 12, 23),
            [animals],
            [accounting],
            [hachioji],
        ),
        "family-books": project(
            "family-books",
            "家族会の会計",
            "in_progress",
            datetime.date(2017, 4, 1),
            [children, disability],
            [accounting],
            [takao],
        ),
        "takao-sns": project(
            "takao-sns",
            "高尾のSNS発信",
            "recruiting",
            datetime.date(2017, 3, 31),
            [disability],
            [facebook],
            [takao],
        ),
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (menu, catalog counts, renditions), as a fresh server would."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def test_logins_pass_the_second_step(monkeypatch):
    """A user signed in with the test client's force_login or login has passed the second step too
    (tests/builders.py), as the admin tests' staff would have; pytest-django's admin_client uses
    force_login, Wagtail's WagtailPageTestCase.login() uses login."""
    from django.test import Client

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)
    monkeypatch.setattr(Client, "login", login_with_second_factor)


@pytest.fixture
def media_root(settings, tmp_path):
    """Images stored in the test's own folder, so none sees another's files."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def cdn():
    """A CDN's purge endpoint on loopback, configured as the site's frontend cache; yields the requests."""
    with purge_recorder() as purged:
        yield purged
