import datetime
import threading
from http.server import ThreadingHTTPServer

import pytest
from django.test import override_settings

from home import frontend_cache
from projects.models import Area, Category, SupportMenu
from tests.builders import build_catalog_tree, make_organization, make_project
from tests.cdn import PurgeLog, PurgeRecorder


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
def cdn():
    """A CDN's purge endpoint on loopback, configured as the site's frontend cache; yields the requests."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    server.purged = PurgeLog()
    server.answering = server.purged.answering = threading.Event()
    server.answering.set()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    location = f"http://127.0.0.1:{server.server_address[1]}"
    backends = {
        "local": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": location}
    }
    try:
        with override_settings(WAGTAILFRONTENDCACHE=backends):
            assert frontend_cache.connect_signals()
            yield server.purged
    finally:
        server.answering.set()
        frontend_cache.disconnect_signals()
        server.shutdown()
        server.server_close()
