"""The center's settings (設定 → センター情報) are the only source of its name and contact details: in the
header and footer of every page, the error pages, the registration emails and the demo."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import RequestFactory, override_settings
from wagtail.models import Site

from cms.views import server_error
from home.models import CenterSettings, HomePage, NavigationSettings
from projects.demo.center import build_center_settings
from projects.registration.emails import send_status_email
from projects.registration.services import register
from tests.builders import TOKYO, make_event, make_organization, make_project, make_standard_page
from tests.html import soup_of

pytestmark = pytest.mark.django_db

CENTER = {
    "name": "テスト市民活動センター",
    "short_name": "さぽーと",
    "postal_code": "100-0001",
    "address": "東京都千代田区千代田1-1",
    "phone": "03-0000-0000",
    "fax": "03-0000-0001",
    "email": "info@example.org",
    "opening_hours": "9時から21時まで\n月曜休館",
    "footer_text": "地域の団体を応援しています。",
    "x_url": "https://x.example.org/center",
    "line_url": "https://line.example.org/center",
}


def default_site():
    return Site.objects.get(is_default_site=True)


def set_center(**fields):
    center = CenterSettings.for_site(default_site())
    for name, value in fields.items():
        setattr(center, name, value)
    center.save()
    return center


def footer(soup):
    return soup.select_one("footer.site-footer")


def test_the_footer_shows_the_centers_settings(client, tree):
    set_center(**CENTER)

    found = footer(soup_of(client))

    assert found.select_one(".site-footer__name").get_text(strip=True) == "テスト市民活動センター(さぽーと)"
    address = found.find("address")
    assert "〒100-0001 東京都千代田区千代田1-1" in address.get_text(" ", strip=True)
    assert address.select_one('a[href="tel:0300000000"]').get_text() == "03-0000-0000"
    assert "03-0000-0001" in address.get_text()
    assert address.select_one('a[href="mailto:info@example.org"]').get_text() == "info@example.org"
    hours = found.select_one(".site-footer__hours dd")
    assert [text.strip() for text in hours.strings] == ["9時から21時まで", "月曜休館"]
    assert hours.find("br") is not None
    assert "地域の団体を応援しています。" in found.get_text()
    social = [(link.get_text(), link["href"]) for link in found.select(".site-footer__social a")]
    assert social == [
        ("X(旧Twitter)", "https://x.example.org/center"),
        ("LINE公式アカウント", "https://line.example.org/center"),
    ]
    assert found.select_one('a[href="#top"]').get_text() == "ページの先頭へ戻る"
    assert found.select_one(".browse-nav a[href='/projects/category/']") is not None


def test_a_changed_setting_shows_on_the_next_page_view(client, tree):
    set_center(**CENTER)
    assert "03-0000-0000" in footer(soup_of(client)).get_text()

    set_center(phone="042-111-2222", footer_text="")

    found = footer(soup_of(client))
    assert found.select_one('a[href="tel:0421112222"]') is not None
    assert "03-0000-0000" not in found.get_text()
    assert "地域の団体を応援しています。" not in found.get_text()


def test_a_phone_number_typed_in_full_width_digits_still_dials(client, tree):
    set_center(phone="042(000)1234")

    assert footer(soup_of(client)).select_one('a[href="tel:0420001234"]').get_text() == "042(000)1234"


def test_empty_settings_leave_no_empty_labels(client, tree):
    found = footer(soup_of(client))

    assert found.find("address") is None
    assert not found.select(".site-footer__hours, .site-footer__social, .site-footer__text")


def test_the_site_name_comes_from_the_settings_then_the_site_then_django(client, tree):
    site = default_site()
    site.site_name = "サイト名"
    site.save()
    set_center(name="センター名")
    assert soup_of(client).select_one(".site-name").get_text() == "センター名"

    set_center(name="")
    assert soup_of(client).select_one(".site-name").get_text() == "サイト名"

    site.site_name = ""
    site.save()
    with override_settings(WAGTAIL_SITE_NAME="設定ファイルの名前"):
        soup = soup_of(client)
    assert soup.select_one(".site-name").get_text() == "設定ファイルの名前"
    assert soup.title.get_text() == "設定ファイルの名前"  # the home page: the site's name alone


@override_settings(WAGTAIL_SITE_NAME="別のセンター")
@pytest.mark.parametrize(
    "url,status",
    [
        ("/", 200),
        ("/about/", 200),
        ("/search/", 200),
        ("/events/past/", 200),
        ("/projects/results/", 200),
        ("/projects/results/2016/", 200),
        ("/no-such-page/", 404),
    ],
)
def test_no_page_carries_the_demo_centers_identity_in_its_template(client, tree, url, status):
    make_standard_page(tree.home)
    organization = make_organization(tree.organizations, title="猫のおうち探しの会")
    make_project(tree.projects, organization, started_on=datetime.date(2016, 12, 23))
    site = default_site()
    site.site_name = ""
    site.save()
    # The home page's own words (its content, not its template) are the editors' to change.
    home = tree.home
    home.hero_title = home.hero_lead = home.intro = home.search_description = ""
    home.save_revision().publish()

    page = soup_of(client, url, status=status)

    text = str(page)
    for word in ("八王子", "旭町", "802"):
        assert word not in text, (url, word)
    assert page.select_one(".site-name").get_text() == "別のセンター"


def test_the_404_page_names_the_center_from_its_settings(client, tree):
    set_center(name="テスト市民活動センター", address="東京都千代田区千代田1-1")

    page = soup_of(client, "/no-such-page/", status=404)

    assert page.title.get_text() == "ページが見つかりません | テスト市民活動センター"
    assert "東京都千代田区千代田1-1" in footer(page).get_text()


# The server error page


@override_settings(WAGTAIL_SITE_NAME="エラー時のセンター名")
def test_a_failing_view_answers_500_with_the_japanese_error_page(client, tree, monkeypatch):
    def fail(self, request, *args, **kwargs):
        raise RuntimeError("the page broke")

    monkeypatch.setattr(HomePage, "serve", fail)
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 500
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("h1").get_text() == "エラーが発生しました"
    assert page.title.get_text() == "エラーが発生しました | エラー時のセンター名"
    assert page.select_one(".site-name").get_text() == "エラー時のセンター名"


def test_the_error_page_reads_nothing_from_the_database(django_assert_num_queries):
    request = RequestFactory().get("/")

    with django_assert_num_queries(0):
        response = server_error(request)

    assert response.status_code == 500
    assert "エラーが発生しました" in response.content.decode()


def test_the_error_page_falls_back_to_plain_html_when_its_template_fails(monkeypatch):
    def broken(name):
        raise RuntimeError("template storage unavailable")

    monkeypatch.setattr("cms.views.loader.get_template", broken)

    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("h1").get_text() == "エラーが発生しました"


# The admin form


def test_the_center_settings_save_through_the_admin(client, admin_client, tree):
    from wagtail.test.utils.form_data import nested_form_data

    privacy = make_standard_page(tree.home, title="個人情報の取り扱い", slug="privacy-policy")
    soup_of(client)  # the footer's privacy link is cached from here on
    site = default_site()
    data = nested_form_data(
        {
            **dict.fromkeys(("x_url", "facebook_url", "instagram_url", "youtube_url"), ""),
            **CENTER,
            "privacy_policy_page": privacy.pk,
            "share_image": "",
        }
    )

    response = admin_client.post(f"/admin/settings/home/centersettings/{site.pk}/", data)

    assert response.status_code == 302
    center = CenterSettings.for_site(site)
    assert (center.name, center.phone, center.privacy_policy_page_id) == (
        "テスト市民活動センター",
        "03-0000-0000",
        privacy.pk,
    )
    found = footer(soup_of(client))
    assert "東京都千代田区千代田1-1" in found.get_text()
    assert found.select_one('.footer-nav a[href="/privacy-policy/"]').get_text() == "プライバシーポリシー"


def test_the_admin_refuses_an_invalid_email(admin_client, tree):
    from wagtail.test.utils.form_data import nested_form_data

    site = default_site()
    data = nested_form_data(
        {**CENTER, "email": "not an address", "privacy_policy_page": "", "share_image": ""}
    )

    response = admin_client.post(f"/admin/settings/home/centersettings/{site.pk}/", data)

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert CenterSettings.for_site(site).email == ""


# Registration: the privacy policy and the emails


def test_the_registration_form_links_the_privacy_policy_from_the_settings(client, tree):
    make_standard_page(tree.home, title="プライバシーポリシー", slug="privacy")
    chosen = make_standard_page(tree.home, title="個人情報の取り扱い", slug="personal-data")
    event = make_event(
        tree.events, registration_enabled=True, starts_at=datetime.datetime(2099, 1, 1, 14, tzinfo=TOKYO)
    )

    def policy_link():
        form = soup_of(client, event.url).select_one("form.registration-form")
        return form.select_one('label[for="id_agree_privacy"] a')["href"]

    assert policy_link() == "/privacy/"  # no page chosen: the page with the slug "privacy"

    set_center(privacy_policy_page=chosen)

    assert policy_link() == "/personal-data/"


def registered(tree):
    event = make_event(
        tree.events, registration_enabled=True, starts_at=datetime.datetime(2099, 1, 1, 14, tzinfo=TOKYO)
    )
    mail.outbox.clear()
    details = {
        "name": "山田 花子",
        "name_kana": "やまだ はなこ",
        "email": "hanako@example.org",
        "phone": "",
        "note": "",
    }
    return register(event, details)


def test_registration_emails_sign_with_the_centers_name_and_contact_details(tree):
    set_center(**CENTER)
    registration = registered(tree)
    mail.outbox.clear()

    assert send_status_email(registration)

    message = mail.outbox[0]
    assert "テスト市民活動センター(さぽーと)" in message.body
    assert "〒100-0001 東京都千代田区千代田1-1" in message.body
    assert "電話:03-0000-0000" in message.body
    assert "メール:info@example.org" in message.body
    html = BeautifulSoup(message.alternatives[0][0], "html.parser")
    assert html.select_one('a[href="mailto:info@example.org"]') is not None
    assert "テスト市民活動センター" in html.get_text()


@override_settings(WAGTAIL_SITE_NAME="設定ファイルの名前")
def test_registration_emails_fall_back_to_the_site_name_from_django(tree):
    site = default_site()
    site.site_name = ""
    site.save()
    registration = registered(tree)
    mail.outbox.clear()

    send_status_email(registration)

    body = mail.outbox[0].body
    assert "設定ファイルの名前" in body
    assert "お問い合わせはセンターまでお願いします。" in body
    assert "電話:" not in body


# Demo content


def settings_snapshot(site):
    center, menus = CenterSettings.for_site(site), NavigationSettings.for_site(site)
    fields = [field.attname for field in CenterSettings._meta.concrete_fields]
    return (
        {name: getattr(center, name) for name in fields},
        list(menus.main_menu.raw_data),
        list(menus.footer_menu.raw_data),
    )


def test_the_demo_fills_the_centers_identity_and_menus_once(client, tree):
    for slug, title in (
        ("about", "センターについて"),
        ("probono", "プロボノとは"),
        ("privacy", "プライバシーポリシー"),
        ("accessibility", "アクセシビリティ方針"),
        ("opendata", "オープンデータ"),
    ):
        make_standard_page(tree.home, title=title, slug=slug)
    site = default_site()

    assert build_center_settings(site) is True
    first = settings_snapshot(site)
    assert build_center_settings(site) is False
    assert settings_snapshot(site) == first

    soup = soup_of(client)
    assert soup.select_one(".site-name").get_text() == "八王子市市民活動支援センター"
    assert "〒192-0083 東京都八王子市旭町12-1 ファルマ802ビル5階" in footer(soup).find("address").get_text()
    menu = [link.get_text() for link in soup.select(".main-nav__list a")]
    assert menu == [
        "プロジェクト一覧",
        "団体一覧",
        "イベント",
        "お知らせ",
        "センターについて",
        "プロボノとは",
    ]
    footer_links = {link.get_text(): link["href"] for link in soup.select(".footer-nav a")}
    assert footer_links["サイト内検索"] == "/search/"
    assert footer_links["プライバシーポリシー"] == "/privacy/"
    assert footer_links["アクセシビリティ方針"] == "/accessibility/"
