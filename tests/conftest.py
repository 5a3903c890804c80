"""Fixtures shared by the test modules: the page tree, a small catalog, a CDN, media files, an empty cache."""

import datetime
from pathlib import Path

import pytest

from projects.models import Area, Category, SupportMenu
from tests.builders import build_catalog_tree, make_organization, make_project
from tests.cdn import purge_recorder
from tests.xdist_groups import name_xdist_groups


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """xdist groups (browser, scale-out) run on one worker each."""
    if config.getvalue("loadgroup"):  # an xdist worker under --dist loadgroup
        name_xdist_groups(items)


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
