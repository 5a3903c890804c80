"""The main and footer menus: editors' menus from 設定 → メニュー replace the automatic one, show only what
visitors may see, and change on the next page view after an editor's change."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from home.models import CenterSettings, NavigationSettings
from tests.builders import make_standard_page
from tests.html import soup_of

pytestmark = pytest.mark.django_db


def main_menu(soup):
    return [(link["href"], link.get_text(strip=True)) for link in soup.select(".main-nav__list a")]


def footer_menu(soup):
    return [(link["href"], link.get_text(strip=True)) for link in soup.select(".footer-nav a")]


def block_errors(response, field):
    """The messages of a StreamField's errors in the admin form, as the editor's browser receives them."""
    error = response.context["form"].errors.as_data()[field][0]
    return json.dumps(error.as_json_data(), ensure_ascii=False)


def item(page=None, url="", title=""):
    return ("item", {"page": page, "url": url, "title": title})


def set_menus(main=None, footer=None):
    menus = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    if main is not None:
        menus.main_menu = main
    if footer is not None:
        menus.footer_menu = footer
    menus.save()


@pytest.fixture
def about(tree):
    return make_standard_page(tree.home, title="センターについて", slug="about", show_in_menus=True)


def test_without_an_editors_menu_the_sections_lead_then_pages_shown_in_menus(client, tree, about):
    make_standard_page(tree.home, title="内部向け", slug="internal", show_in_menus=False)

    assert main_menu(soup_of(client)) == [
        ("/projects/", "プロジェクト"),
        ("/organizations/", "団体"),
        ("/events/", "イベント"),
        ("/news/", "お知らせ"),
        ("/about/", "センターについて"),
    ]


def test_an_editors_menu_replaces_the_automatic_one_in_its_order(client, tree, about):
    set_menus(
        main=[
            item(page=about),
            item(page=tree.events, title="説明会・イベント"),
            item(url="https://example.org/probono/", title="プロボノ全国ネット"),
        ]
    )

    assert main_menu(soup_of(client)) == [
        ("/about/", "センターについて"),
        ("/events/", "説明会・イベント"),
        ("https://example.org/probono/", "プロボノ全国ネット"),
    ]


def test_unpublished_and_private_pages_leave_the_editors_menu(client, tree, about):
    secret = make_standard_page(tree.home, title="会員向け", slug="members")
    set_menus(main=[item(page=about), item(page=secret), item(page=tree.projects)])
    assert [title for _url, title in main_menu(soup_of(client))] == [
        "センターについて",
        "会員向け",
        "プロジェクト一覧",
    ]

    about.unpublish()
    PageViewRestriction.objects.create(page=secret, restriction_type="login")

    assert main_menu(soup_of(client)) == [("/projects/", "プロジェクト一覧")]


def test_a_page_renamed_by_an_editor_is_renamed_in_the_menu(client, tree, about):
    set_menus(main=[item(page=about)])
    assert main_menu(soup_of(client)) == [("/about/", "センターについて")]

    about.title = "センターの紹介"
    about.save_revision().publish()

    assert main_menu(soup_of(client)) == [("/about/", "センターの紹介")]


def test_saving_the_menu_settings_shows_the_new_menu_on_the_next_page_view(client, tree, about):
    assert ("/about/", "センターについて") in main_menu(soup_of(client))  # fills the cache

    set_menus(main=[item(page=tree.news, title="お知らせ")], footer=[item(page=about)])

    soup = soup_of(client)
    assert main_menu(soup) == [("/news/", "お知らせ")]
    assert footer_menu(soup) == [("/about/", "センターについて")]


def test_saving_the_menu_through_the_admin_shows_it_at_once(client, admin_client, tree, about):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    soup_of(client)  # fills the cache
    site = Site.objects.get(is_default_site=True)
    data = nested_form_data(
        {
            "main_menu": streamfield([("item", {"page": about.pk, "url": "", "title": "私たちについて"})]),
            "footer_menu": streamfield(
                [("item", {"page": "", "url": "https://example.org/", "title": "外部"})]
            ),
        }
    )

    response = admin_client.post(f"/admin/settings/home/navigationsettings/{site.pk}/", data)

    assert response.status_code == 302
    soup = soup_of(client)
    assert main_menu(soup) == [("/about/", "私たちについて")]
    assert footer_menu(soup)[0] == ("https://example.org/", "外部")


@pytest.mark.parametrize(
    "value",
    [
        {"page": "", "url": "", "title": "空の項目"},
        {"page": "PAGE", "url": "https://example.org/", "title": "両方"},
    ],
    ids=["neither", "both"],
)
def test_a_menu_item_needs_exactly_one_of_page_and_url(admin_client, tree, value):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    site = Site.objects.get(is_default_site=True)
    value = {**value, "page": tree.events.pk if value["page"] == "PAGE" else ""}
    data = nested_form_data({"main_menu": streamfield([("item", value)]), "footer_menu": streamfield([])})

    response = admin_client.post(f"/admin/settings/home/navigationsettings/{site.pk}/", data)

    assert response.status_code == 200  # the form again, with the error
    assert "ページか外部のURLの、どちらか一方を指定してください。" in block_errors(response, "main_menu")
    assert len(NavigationSettings.for_site(site).main_menu) == 0


def test_an_external_url_needs_a_title(admin_client, tree):
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    site = Site.objects.get(is_default_site=True)
    data = nested_form_data(
        {
            "main_menu": streamfield([("item", {"page": "", "url": "https://example.org/", "title": ""})]),
            "footer_menu": streamfield([]),
        }
    )

    response = admin_client.post(f"/admin/settings/home/navigationsettings/{site.pk}/", data)

    assert "外部のURLには表示名を入力してください。" in block_errors(response, "main_menu")


def test_the_current_page_and_its_section_are_marked(client, tree, about):
    child = make_standard_page(about, title="アクセス", slug="access")
    set_menus(main=[item(page=tree.projects), item(page=about)])

    on_about = soup_of(client, about.url)
    current = on_about.select('.main-nav__list a[aria-current="page"]')
    assert [link["href"] for link in current] == ["/about/"]

    on_child = soup_of(client, child.url)
    assert not on_child.select('.main-nav__list a[aria-current="page"]')
    assert [link["href"] for link in on_child.select(".main-nav__list a.is-active")] == ["/about/"]


def test_an_address_of_this_site_written_in_full_reads_as_a_path(client, tree):
    set_menus(main=[item(url="http://testserver/search/", title="サイト内検索")])

    soup = soup_of(client, "/search/")

    assert main_menu(soup) == [("/search/", "サイト内検索")]
    assert soup.select_one('.main-nav__list a[aria-current="page"]')["href"] == "/search/"


def test_the_footer_links_the_privacy_policy_once(client, tree, about):
    privacy = make_standard_page(tree.home, title="個人情報保護方針", slug="privacy-policy")
    center = CenterSettings.for_site(Site.objects.get(is_default_site=True))
    center.privacy_policy_page = privacy
    center.save()

    assert footer_menu(soup_of(client)) == [("/privacy-policy/", "プライバシーポリシー")]

    set_menus(footer=[item(page=about), item(page=privacy)])

    assert footer_menu(soup_of(client)) == [
        ("/about/", "センターについて"),
        ("/privacy-policy/", "個人情報保護方針"),
    ]


def test_menus_cost_no_queries_per_item_once_cached(client, tree, about):
    def queries_for_home():
        soup_of(client)  # fills the cache
        with CaptureQueriesContext(connection) as queries:
            soup_of(client)
        return len(queries)

    set_menus(main=[item(page=about)], footer=[item(page=about)])
    with_one_item = queries_for_home()
    pages = [make_standard_page(tree.home, title=f"ページ{n}", slug=f"page-{n}") for n in range(5)]
    set_menus(main=[item(page=page) for page in pages], footer=[item(page=page) for page in pages])

    assert queries_for_home() == with_one_item
