"""Pages are found at their addresses exactly as Wagtail's walk down the tree finds them, though the site
finds them in one query (home/routing.py): after a move, a new slug or an unpublish, for a page with its
own routes on the way, and for a page with a view restriction. Each host is served by the Site Wagtail
would choose, though the site keeps its Sites in the cache, and a restriction is enforced at once, though
the site keeps which sections carry one (home/visibility.py)."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction, Site, get_page_models

from home.models import HomePage
from home.visibility import KnownRestrictionsMixin
from tests.builders import add_page, make_organization, make_project, make_standard_page


@pytest.fixture
def project(tree):
    return make_project(tree.projects, make_organization(tree.organizations))


def title_of(response):
    return response.content.decode()


def test_a_project_is_served_at_its_address_and_nowhere_else(client, project):
    assert client.get("/projects/cat-homes-accounting/").status_code == 200
    assert client.get("/projects/cat-homes-accounting/more/").status_code == 404
    assert client.get("/organizations/cat-homes-accounting/").status_code == 404
    assert client.get("/projects/no-such-project/").status_code == 404


def test_a_new_slug_moves_the_address_at_once(client, project):
    assert client.get(project.url).status_code == 200

    project.slug = "cat-homes-books"
    project.save_revision().publish()

    assert client.get("/projects/cat-homes-accounting/").status_code == 404
    assert "経理業務の効率化" in title_of(client.get("/projects/cat-homes-books/"))


def test_a_moved_page_answers_at_its_new_address(client, tree):
    page = make_standard_page(tree.home, slug="guide", title="ご利用案内")
    assert client.get("/guide/").status_code == 200

    Page.objects.get(pk=page.pk).move(Page.objects.get(pk=tree.news.pk), pos="last-child")

    old = client.get("/guide/")
    # Wagtail leaves a redirect at the old address, as the walk would find it.
    assert old.status_code == 301
    assert old["Location"] == f"{tree.news.url}guide/"
    assert "ご利用案内" in title_of(client.get(f"{tree.news.url}guide/"))


def test_an_unpublished_page_is_not_found_though_its_address_was_known(client, project):
    assert client.get(project.url).status_code == 200

    Page.objects.get(pk=project.pk).unpublish()

    assert client.get("/projects/cat-homes-accounting/").status_code == 404


def test_the_catalogs_own_routes_win_over_a_child_with_the_same_slug(client, tree):
    project = make_project(tree.projects, make_organization(tree.organizations), title="成果という名の事業")
    # The editor's form refuses the slug; a page moved or imported from elsewhere may still carry it.
    Page.objects.filter(pk=project.pk).update(slug="results", url_path=f"{tree.projects.url_path}results/")

    page = title_of(client.get("/projects/results/"))

    # As in Wagtail's walk: a routable page's routes come before its children.
    assert "成果という名の事業" not in page
    assert "年度" in page


def test_a_restricted_page_still_asks_for_its_password(client, project):
    PageViewRestriction.objects.create(
        page=project, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    response = client.get(project.url)

    assert response.status_code == 200
    assert "経理業務の効率化" not in title_of(response)
    assert 'name="password"' in title_of(response)


def test_a_very_deep_made_up_address_is_not_found(client, project):
    deep = "/projects/cat-homes-accounting/" + "a/" * 2000

    assert client.get(deep).status_code == 404
    assert client.get("/" + "あ/" * 500).status_code == 404


def test_a_restriction_on_a_section_refuses_its_pages_at_once_and_lifting_it_serves_them_again(
    client, project
):
    # Rendered first, so that what the site keeps about restricted sections is already in the cache.
    assert "経理業務の効率化" in title_of(client.get(project.url))
    section = Page.objects.get(pk=project.get_parent().pk)
    restriction = PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)

    refused = client.get(project.url)
    assert refused.status_code == 302
    assert "login" in refused["Location"]

    restriction.delete()

    assert "経理業務の効率化" in title_of(client.get(project.url))


def test_without_a_shared_cache_a_restriction_made_in_another_process_applies_at_once(
    client, project, settings
):
    settings.CACHE_IS_SHARED = False  # each process has its own memory cache (no Redis)
    assert "経理業務の効率化" in title_of(client.get(project.url))
    section = Page.objects.get(pk=project.get_parent().pk)
    # Another process's restriction: no signal here replaces what this process keeps.
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=section, restriction_type=PageViewRestriction.LOGIN)]
    )

    refused = client.get(project.url)

    assert refused.status_code == 302
    assert "login" in refused["Location"]


def test_an_alias_of_a_restricted_page_is_refused_as_its_source_is(client, tree, project):
    PageViewRestriction.objects.create(page=project, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(tree.news.url).status_code == 200  # what the site keeps is read before the alias
    # Making an alias publishes nothing, so nothing the site keeps is replaced.
    alias = Page.objects.get(pk=project.pk).create_alias(parent=Page.objects.get(pk=tree.news.pk))

    response = client.get(f"{tree.news.url}{alias.slug}/")

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_every_page_type_is_checked_for_restrictions_without_a_query_where_none_apply():
    models = [model for model in get_page_models() if model is not Page]

    assert [model for model in models if not issubclass(model, KnownRestrictionsMixin)] == []


@pytest.fixture
def homes(tree):
    """Three home pages for three sites."""
    root = Page.get_first_root_node()
    other = add_page(root, HomePage(title="あきる野", hero_title="あきる野のセンター", slug="akiruno"))
    third = add_page(root, HomePage(title="日野", hero_title="日野のセンター", slug="hino"))
    return HomePage.objects.get(pk=tree.home.pk), other, third


def served_home(client, host, port, homes):
    """The title of the home page served for `host` and `port`, None when none is."""
    response = client.get("/", HTTP_HOST=host, SERVER_PORT=port)
    if response.status_code == 404:
        return None
    assert response.status_code == 200
    return next(home.title for home in homes if f">{home.hero_title}</h1>" in title_of(response))


REQUESTS = [
    (host, port)
    for host in ("localhost", "other.example", "unknown.example")
    for port in ("80", "8080", "9000")
]


def wagtails_choice(host, port):
    site = Site.find_for_request(RequestFactory().get("/", HTTP_HOST=host, SERVER_PORT=port))
    return None if site is None else site.root_page.title


def test_each_host_and_port_is_served_by_the_site_wagtail_would_choose(client, settings, homes):
    settings.ALLOWED_HOSTS = ["*"]
    first, other, third = homes
    first.title, first.hero_title = "八王子", "八王子のセンター"
    first.save_revision().publish()
    default = Site.objects.get(is_default_site=True)
    on_80 = Site.objects.create(hostname="other.example", port=80, root_page=other)
    on_8080 = Site.objects.create(hostname="other.example", port=8080, root_page=third)

    def check():
        for host, port in REQUESTS:
            assert served_home(client, host, port, homes) == wagtails_choice(host, port), (host, port)

    check()
    on_8080.delete()  # one site of the host left beside the default
    check()
    default.is_default_site = False  # no default site
    default.save()
    check()
    Site.objects.create(hostname="other.example", port=8080, root_page=third)  # two, neither the default
    check()
    on_80.is_default_site = True  # the host's own default
    on_80.save()
    check()
