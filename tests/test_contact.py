"""How people reach the center: its contact details in the settings (footer, emails, the アクセス page), the
お問い合わせ form whose fields editors choose, stored for 事務局 only and mailed to the office through the
outbox, and the site's icons."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Site
from wagtail.test.utils.form_data import nested_form_data

from home.models import AccessPage, CenterSettings, ContactFormField, ContactPage, OutgoingEmail
from home.text import UNREADABLE_EMAIL, UNREADABLE_TEXT
from projects.registration.emails import send_status_email
from projects.registration.services import register
from tests.builders import add_page, logged_in, make_image, make_standard_page, make_user, upcoming_event
from tests.html import parse, soup_of

pytestmark = pytest.mark.django_db

FIELDS = (
    ("お名前", "singleline", True, ""),
    ("ふりがな", "singleline", False, ""),
    ("メールアドレス", "email", True, ""),
    ("電話番号", "phone", False, ""),
    ("お問い合わせの種類", "dropdown", True, "プロボノについて\n施設の利用について\nその他"),
    ("お問い合わせ内容", "multiline", True, ""),
)
ANSWERS = {
    "お名前": "八王子 花子",
    "ふりがな": "はちおうじ はなこ",
    "メールアドレス": "hanako@example.jp",
    "電話番号": "042-620-1234",
    "お問い合わせの種類": "プロボノについて",
    "お問い合わせ内容": "説明会に参加できなかったのですが、\n途中からでもプロボノに登録できますか。",
}


def default_site():
    return Site.objects.get(is_default_site=True)


def set_center(**fields):
    center = CenterSettings.for_site(default_site())
    for name, value in fields.items():
        setattr(center, name, value)
    center.save()
    return center


@pytest.fixture
def contact_page(tree):
    set_center(name="八王子市市民活動支援センター", email="office@example.jp", phone="042-000-0802")
    page = ContactPage(title="お問い合わせ", slug="contact", intro="<p>3日以内にお返事します。</p>")
    page.form_fields = [
        ContactFormField(
            label=label, field_type=kind, required=required, choices=choices, sort_order=position
        )
        for position, (label, kind, required, choices) in enumerate(FIELDS)
    ]
    return add_page(tree.home, page)


def names(page):
    return {field.label: field.clean_name for field in page.form_fields.all()}


def send(client, page, **changes):
    """POST the form with ANSWERS, `changes` by label (None leaves a field out)."""
    answers = {**ANSWERS, **changes}
    by_name = names(page)
    data = {
        by_name[label]: value for label, value in answers.items() if value is not None and label in by_name
    }
    data.update({key: value for key, value in changes.items() if key not in by_name and value is not None})
    return client.post(page.url, data)


def errors(response):
    return [item.get_text(strip=True) for item in parse(response).select(".form-field__errors li")]


def nothing_kept_or_sent():
    return FormSubmission.objects.count() == 0 and mail.outbox == [] and not OutgoingEmail.objects.exists()


# The form


def test_the_page_shows_the_editors_fields_in_order_with_a_cache_safe_csrf_field(client, contact_page):
    form = parse(client.get(contact_page.url)).select_one("form.contact-form")

    labels = [
        label.get_text(" ", strip=True) for label in form.select(".form-field:not(.form-field--trap) > label")
    ]
    assert labels == [
        "お名前 必須",
        "ふりがな 任意",
        "メールアドレス 必須",
        "電話番号 任意",
        "お問い合わせの種類 必須",
        "お問い合わせ内容 必須",
    ]
    by_name = names(contact_page)
    assert form.select_one(f'input[name="{by_name["メールアドレス"]}"]')["type"] == "email"
    assert form.select_one(f'input[name="{by_name["電話番号"]}"]')["autocomplete"] == "tel"
    options = [
        option.get_text() for option in form.select(f'select[name="{by_name["お問い合わせの種類"]}"] option')
    ]
    assert options == ["選んでください", "プロボノについて", "施設の利用について", "その他"]
    assert form.select_one('input[name="csrfmiddlewaretoken"]')["value"]
    assert form.select_one(".form-field--trap input[name='leave_blank']")["tabindex"] == "-1"


def test_sending_stores_the_submission_mails_the_office_in_japanese_and_thanks_the_visitor(
    client, contact_page
):
    response = send(client, contact_page)

    assert response.status_code == 302
    assert response["Location"] == "/contact/thanks/"
    submission = FormSubmission.objects.get()
    assert submission.page_id == contact_page.pk
    by_name = names(contact_page)
    assert submission.form_data == {by_name[label]: value for label, value in ANSWERS.items()}
    # Through the outbox, to the office only: nothing goes to the address the visitor typed.
    assert OutgoingEmail.objects.get().purpose == "emails/contact_submission"
    [message] = mail.outbox
    assert message.to == ["office@example.jp"]
    assert message.subject == f"【お問い合わせ】お問い合わせ(受付番号 {submission.pk})"
    for label, value in ANSWERS.items():
        assert f"■ {label}\n{value}" in message.body
    assert f"受付番号:{submission.pk}" in message.body
    assert f"/admin/forms/submissions/{contact_page.pk}/" in message.body
    html = BeautifulSoup(message.alternatives[0][0], "html.parser")
    rows = {row.th.get_text(): row.td.get_text() for row in html.select("tr")}
    assert rows["お問い合わせの種類"] == "プロボノについて"

    thanks = client.get(response["Location"])
    text = parse(thanks).select_one("main").get_text()
    assert thanks.status_code == 200
    assert "お問い合わせありがとうございました" in text
    assert "花子" not in text and "hanako" not in text


def test_the_same_message_sent_twice_reaches_the_office_once(client, contact_page):
    first, again = send(client, contact_page), send(client, contact_page)

    assert (first.status_code, again.status_code) == (302, 302)
    assert again["Location"] == "/contact/thanks/"
    assert FormSubmission.objects.count() == 1
    assert len(mail.outbox) == 1

    send(client, contact_page, お問い合わせ内容="もうひとつ質問があります。")
    assert FormSubmission.objects.count() == 2


def test_the_thank_you_page_shows_the_pages_own_message(client, contact_page):
    contact_page.thanks = "ありがとうございました。\n担当の者からご連絡します。"
    contact_page.save_revision().publish()

    banner = parse(client.get("/contact/thanks/")).select_one(".result-banner").decode_contents()

    assert banner == "ありがとうございました。<br/>担当の者からご連絡します。"


def test_the_pages_own_addresses_take_the_place_of_the_centers(client, contact_page):
    contact_page.to_address = "a@example.jp, b@example.jp"
    contact_page.save_revision().publish()

    send(client, contact_page)

    assert mail.outbox[0].to == ["a@example.jp", "b@example.jp"]


def test_with_no_office_address_the_submission_is_still_kept(client, contact_page):
    set_center(email="")

    response = send(client, contact_page)

    assert response.status_code == 302
    assert FormSubmission.objects.count() == 1
    assert mail.outbox == []


def test_unanswered_optional_fields_read_as_unanswered_in_the_email(client, contact_page):
    send(client, contact_page, ふりがな=None, 電話番号="")

    assert "■ ふりがな\n(未入力)" in mail.outbox[0].body
    assert "■ 電話番号\n(未入力)" in mail.outbox[0].body


def test_full_width_addresses_and_numbers_are_folded(client, contact_page):
    send(
        client,
        contact_page,
        メールアドレス="ｈａｎａｋｏ＠ＥＸＡＭＰＬＥ.jp",
        電話番号="０４２－６２０－１２３４",
    )

    data = FormSubmission.objects.get().form_data
    by_name = names(contact_page)
    assert data[by_name["メールアドレス"]] == "hanako@example.jp"
    assert data[by_name["電話番号"]] == "042-620-1234"


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("お名前", "お名前を入力してください。"),
        ("メールアドレス", "メールアドレスを入力してください。"),
        ("お問い合わせの種類", "お問い合わせの種類を選んでください。"),
        ("お問い合わせ内容", "お問い合わせ内容を入力してください。"),
    ],
)
def test_a_missing_required_field_says_so_in_japanese(client, contact_page, label, message):
    response = send(client, contact_page, **{label: None})

    assert response.status_code == 200
    assert errors(response) == [message]
    summary = parse(response).select_one(".form-errors")
    assert summary["role"] == "alert"
    assert summary.select_one(f'a[href="#id_{names(contact_page)[label]}"]') is not None
    assert nothing_kept_or_sent()


def test_a_name_of_spaces_and_zero_width_characters_counts_as_missing(client, contact_page):
    response = send(client, contact_page, お名前=" \u200b\u3000 ")

    assert errors(response) == ["お名前を入力してください。"]
    assert nothing_kept_or_sent()


@pytest.mark.parametrize(
    ("label", "value", "message"),
    [
        ("お問い合わせ内容", "あ" * 4001, "お問い合わせ内容は、4000文字以内で入力してください。"),
        ("お名前", "名" * 201, "お名前は、200文字以内で入力してください。"),
        ("お名前", "花子\x00", UNREADABLE_TEXT),
        ("お名前", "\u202egnp.exe", UNREADABLE_TEXT),
        ("お問い合わせ内容", "本文\x1b[31m", UNREADABLE_TEXT),
        (
            "メールアドレス",
            "hanako.example.jp",
            "メールアドレスの形式が正しくありません(例:hanako@example.jp)。",
        ),
        ("メールアドレス", "hanako\u200b@example.jp", UNREADABLE_EMAIL),
        ("メールアドレス", "a@example.jp\r\nBcc: victim@example.org", UNREADABLE_EMAIL),
        ("メールアドレス", "a" * 250 + "@example.jp", "メールアドレスは、254文字以内で入力してください。"),
        (
            "電話番号",
            "042-000-0000; DROP TABLE",
            "電話番号は、数字とハイフンで入力してください(例:042-000-0000)。",
        ),
        ("電話番号", "1" * 30, "電話番号は、数字とハイフンで入力してください(例:042-000-0000)。"),
        (
            "お問い合わせの種類",
            "<script>alert(1)</script>",
            "お問い合わせの種類は、選択肢の中から選んでください。",
        ),
    ],
)
def test_malformed_oversized_and_hostile_input_is_refused_in_japanese(
    client, contact_page, label, value, message
):
    response = send(client, contact_page, **{label: value})

    assert response.status_code == 200
    assert message in errors(response)
    assert nothing_kept_or_sent()


def test_markup_is_kept_and_mailed_as_text_never_as_markup(client, contact_page):
    hostile = '<script>alert("x")</script><a href="https://evil.example/">ここ</a>'

    send(client, contact_page, お問い合わせ内容=hostile)

    message = mail.outbox[0]
    assert hostile in message.body  # the text email shows exactly what was typed
    html = message.alternatives[0][0]
    assert "<script>" not in html and 'href="https://evil.example/"' not in html
    assert "&lt;script&gt;" in html


def test_a_line_break_in_a_one_line_field_is_refused(client, contact_page):
    send(client, contact_page, お名前="花子\r\nBcc: victim@example.org")

    assert nothing_kept_or_sent()


def test_the_honeypot_refuses_robots_quietly(client, contact_page):
    response = send(client, contact_page, leave_blank="http://spam.example/")

    assert response.status_code == 200
    assert "送信できませんでした" in parse(response).select_one(".form-errors").get_text()
    assert nothing_kept_or_sent()


@override_settings(REGISTRATION_RATE_LIMIT="2/h")
def test_too_many_submissions_from_one_address_are_slowed_down(client, contact_page):
    codes = [send(client, contact_page, お問い合わせ内容=f"質問 {number}").status_code for number in range(2)]
    assert codes == [302, 302]

    response = send(client, contact_page, お問い合わせ内容="質問 3")

    assert response.status_code == 429
    assert "しばらく時間をおいて" in parse(response).select_one(".form-errors").get_text()
    assert FormSubmission.objects.count() == 2


@override_settings(PAGE_CACHE_ENABLED=True, PAGE_CACHE_SECONDS=300)
def test_the_form_comes_from_the_page_cache_and_sending_still_works(contact_page):
    visitor = Client(enforce_csrf_checks=True)
    first, second = visitor.get(contact_page.url), visitor.get(contact_page.url)

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    token = parse(second).select_one('input[name="csrfmiddlewaretoken"]')["value"]
    by_name = names(contact_page)
    data = {by_name[label]: value for label, value in ANSWERS.items()}
    response = visitor.post(contact_page.url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert FormSubmission.objects.count() == 1


def test_editors_choose_the_fields_and_the_form_follows(client, contact_page):
    contact_page.form_fields.add(
        ContactFormField(label="ご希望の連絡方法", field_type="radio", choices="メール\n電話", sort_order=10)
    )
    contact_page.save_revision().publish()

    form = parse(client.get(contact_page.url)).select_one("form.contact-form")

    group = form.select_one("fieldset.form-field--group")
    assert group.legend.get_text(" ", strip=True) == "ご希望の連絡方法 必須"
    assert [label.get_text() for label in group.select("label")] == ["メール", "電話"]


def test_a_group_left_unanswered_is_described_by_its_help_and_its_error(client, contact_page):
    contact_page.form_fields.add(
        ContactFormField(
            label="ご希望の連絡方法",
            field_type="radio",
            choices="メール\n電話",
            help_text="いずれか一つを選んでください。",
            sort_order=10,
        )
    )
    contact_page.save_revision().publish()

    response = send(client, contact_page)

    group = parse(response).select_one("fieldset.form-field--group")
    group_id = group["id"]
    assert group["aria-describedby"].split() == [f"{group_id}_helptext", f"{group_id}_error"]
    assert group.select_one(f"#{group_id}_helptext").get_text() == "いずれか一つを選んでください。"
    assert group.select_one(f"#{group_id}_error").get_text(strip=True) == "ご希望の連絡方法を選んでください。"
    assert parse(response).select_one(f'.form-errors a[href="#{group_id}"]') is not None
    assert nothing_kept_or_sent()


# Who reads the submissions


@pytest.fixture
def submitted(client, contact_page):
    send(client, contact_page)
    return contact_page


def test_only_the_office_reads_the_submissions_in_the_admin(submitted):
    office = logged_in(make_user("jimukyoku", "事務局"))
    listing = office.get(f"/admin/forms/submissions/{submitted.pk}/")
    assert listing.status_code == 200
    assert "八王子 花子" in listing.content.decode()
    index = office.get("/admin/forms/")
    assert parse(index).find("a", string=lambda text: text and "お問い合わせ" in text) is not None

    for username, group in (("henshu", "編集者"), ("shonin", "承認者")):
        staff = logged_in(make_user(username, group))
        response = staff.get(f"/admin/forms/submissions/{submitted.pk}/")
        assert response.status_code in (302, 403), group
        assert "八王子 花子" not in response.content.decode()
        assert (
            "hanako@example.jp"
            not in staff.get(f"/admin/forms/submissions/{submitted.pk}/?export=csv").content.decode()
        )


def test_editors_may_still_edit_the_page_itself(submitted):
    editor = logged_in(make_user("henshu", "編集者"))

    assert editor.get(f"/admin/pages/{submitted.pk}/edit/").status_code == 200


def test_only_the_office_chooses_where_submissions_are_mailed(contact_page):
    """An editor who could type their own address into the page would read every later message."""

    def address_field(username, group):
        staff = logged_in(make_user(username, group))
        form = parse(staff.get(f"/admin/pages/{contact_page.pk}/edit/"))
        return form.find(attrs={"name": "to_address"})

    assert address_field("jimukyoku", "事務局") is not None
    assert address_field("henshu", "編集者") is None
    assert address_field("shonin", "承認者") is None


# The footer, the アクセス page and the emails' signature


CONTACT_DETAILS = {
    "name": "テスト市民活動センター",
    "postal_code": "192-0083",
    "address": "東京都八王子市旭町1-1",
    "phone": "042-000-0802",
    "fax": "042-000-0803",
    "email": "center@example.jp",
    "opening_hours": "9時〜21時\n日曜は17時まで",
    "closed_days": "第2月曜日\n年末年始",
    "access": "八王子駅北口から歩いて3分です。\n駐車場はありません。",
}


def test_the_footer_links_the_contact_and_access_pages_and_shows_the_closed_days(client, contact_page):
    set_center(**CONTACT_DETAILS)
    add_page(contact_page.get_parent(), AccessPage(title="アクセス", slug="access"))

    footer = soup_of(client).select_one("footer.site-footer")

    assert footer.select_one('address a[href="tel:0420000802"]').get_text() == "042-000-0802"
    hours = {
        div.dt.get_text(): [text.strip() for text in div.dd.strings]
        for div in footer.select(".site-footer__hours div")
    }
    assert hours == {"開館時間": ["9時〜21時", "日曜は17時まで"], "休館日": ["第2月曜日", "年末年始"]}
    links = [(link.get_text(), link["href"]) for link in footer.select(".site-footer__contact-links a")]
    assert links == [("お問い合わせ", "/contact/"), ("アクセス", "/access/")]


def test_the_footer_links_no_contact_page_visitors_cannot_see(client, contact_page):
    contact_page.unpublish()

    footer = soup_of(client).select_one("footer.site-footer")

    assert footer.select_one(".site-footer__contact-links") is None


def test_the_access_page_shows_the_address_directions_and_hours_from_the_settings(client, tree):
    set_center(**CONTACT_DETAILS)
    page = add_page(
        tree.home, AccessPage(title="アクセス", slug="access", body="<p>エレベーターで5階へ。</p>")
    )

    main = soup_of(client, page.url).select_one("main")

    facts = {div.dt.get_text(): div.dd.get_text(" ", strip=True) for div in main.select(".access-facts div")}
    assert facts["所在地"] == "テスト市民活動センター 〒192-0083 東京都八王子市旭町1-1"
    assert facts["休館日"] == "第2月曜日 年末年始"
    assert main.select_one('.access-facts a[href="tel:0420000802"]') is not None
    assert [text.strip() for text in main.select_one(".access-directions").strings] == [
        "八王子駅北口から歩いて3分です。",
        "駐車場はありません。",
    ]
    assert "エレベーターで5階へ。" in main.get_text()
    assert main.find("iframe") is None


def test_every_email_is_signed_with_the_hours_closed_days_and_the_contact_form(tree, contact_page):
    set_center(**CONTACT_DETAILS)
    event = upcoming_event(tree)
    details = {"name": "八王子 花子", "name_kana": "", "email": "hanako@example.jp", "phone": "", "note": ""}
    registration = register(event, details)
    mail.outbox.clear()

    send_status_email(registration)

    body = mail.outbox[0].body
    assert "電話:042-000-0802\nFAX:042-000-0803\nメール:center@example.jp" in body
    assert "開館時間:9時〜21時 日曜は17時まで\n休館日:第2月曜日 年末年始" in body
    assert "お問い合わせフォーム:http://testserver/contact/" in body
    html = BeautifulSoup(mail.outbox[0].alternatives[0][0], "html.parser")
    assert html.find("a", string="お問い合わせフォーム")["href"] == "http://testserver/contact/"


# The settings


def settings_form(**changes):
    return nested_form_data(
        {
            **dict.fromkeys(("x_url", "facebook_url", "instagram_url", "youtube_url", "line_url"), ""),
            **CONTACT_DETAILS,
            "privacy_policy_page": "",
            "share_image": "",
            "logo": "",
            "emblem": "",
            **changes,
        }
    )


def test_the_contact_settings_save_through_the_admin_and_numbers_are_folded(admin_client, tree):
    site = default_site()

    response = admin_client.post(
        f"/admin/settings/home/centersettings/{site.pk}/",
        settings_form(phone="０４２－０００－０８０２", fax="042−000−0803"),
    )

    assert response.status_code == 302
    center = CenterSettings.for_site(site)
    assert (center.phone, center.fax) == ("042-000-0802", "042-000-0803")
    assert (center.closed_days, center.access) == (CONTACT_DETAILS["closed_days"], CONTACT_DETAILS["access"])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "でんわ", "電話番号は、数字とハイフンで入力してください(例:042-000-0000)。"),
        ("phone", "042", "電話番号は、数字とハイフンで入力してください(例:042-000-0000)。"),
        ("fax", "042-000-0803 (内線)", "FAX番号は、数字とハイフンで入力してください(例:042-000-0000)。"),
    ],
)
def test_the_admin_refuses_a_malformed_phone_or_fax_number_in_japanese(
    admin_client, tree, field, value, message
):
    site = default_site()

    response = admin_client.post(
        f"/admin/settings/home/centersettings/{site.pk}/", settings_form(**{field: value})
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert CenterSettings.for_site(site).phone == ""


def test_an_oversized_access_text_is_refused(admin_client, tree):
    site = default_site()

    response = admin_client.post(
        f"/admin/settings/home/centersettings/{site.pk}/", settings_form(access="あ" * 2001)
    )

    assert response.status_code == 200
    assert "access" in response.context["form"].errors


# The site's identity and icons


def render_component(name, center_fields=None):
    center = set_center(**(center_fields or {}))
    request = RequestFactory().get("/")
    request.site = default_site()
    html = render_to_string(
        f"components/{name}.html",
        {"site_name": "テスト市民活動センター", "settings": {"home": {"CenterSettings": center}}},
        request=request,
    )
    return BeautifulSoup(html, "html.parser")


def test_the_site_name_links_home_with_the_emblem_beside_it_kept_small(tree, media_root):
    emblem = make_image(title="エンブレム", size=(200, 100), name="emblem.png")

    link = render_component("site_identity", {"emblem": emblem}).select_one("a.site-name")

    assert link["href"] == "/"
    image = link.find("img")
    assert (image["alt"], image["height"], image["width"]) == ("", "40", "80")
    assert link.get_text(strip=True) == "テスト市民活動センター"


def test_without_an_emblem_the_site_name_stands_alone(tree):
    link = render_component("site_identity").select_one("a.site-name")

    assert link.find("img") is None
    assert link.get_text(strip=True) == "テスト市民活動センター"


def test_the_head_names_the_icons_and_each_is_served(client, tree):
    links = render_component("head_icons").select("link")

    found = {(link["rel"][0], link.get("type", "")): link["href"] for link in links}
    assert set(found) == {("icon", ""), ("icon", "image/svg+xml"), ("apple-touch-icon", "")}
    for href in found.values():
        assert client.get(href).status_code == 200, href


def test_browsers_asking_for_favicon_ico_at_the_root_get_the_icon(client, tree):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header
    assert "max-age=86400" in response["Cache-Control"]
    assert client.post("/favicon.ico").status_code == 405


# The demo


@pytest.mark.demo
def test_the_demo_has_contact_details_an_access_page_and_a_contact_form(client):
    center = CenterSettings.for_site(default_site())
    assert center.phone and center.email and center.opening_hours and center.closed_days
    assert "八王子駅" in center.access

    footer = soup_of(client).select_one("footer.site-footer")
    links = [link["href"] for link in footer.select(".site-footer__contact-links a")]
    assert links == ["/contact/", "/access/"]
    form = soup_of(client, "/contact/").select_one("form.contact-form")
    labels = [
        label.get_text(" ", strip=True) for label in form.select(".form-field:not(.form-field--trap) > label")
    ]
    assert labels == [
        "お名前 必須",
        "ふりがな 任意",
        "メールアドレス 必須",
        "電話番号 任意",
        "お問い合わせの種類 必須",
        "お問い合わせ内容 必須",
    ]
    assert "〒192-0083" in soup_of(client, "/access/").select_one("main").get_text()


def test_a_standard_page_may_hold_the_access_page(client, tree):
    about = make_standard_page(tree.home)

    page = add_page(about, AccessPage(title="交通案内", slug="access"))

    assert soup_of(client, page.url).select_one("h1").get_text(strip=True) == "交通案内"


# Previews


def test_the_contact_and_access_pages_preview_an_unsaved_edit(contact_page):
    from django.urls import reverse

    from tests.test_editorial_workflow import edit_form_data

    access = add_page(contact_page.get_parent(), AccessPage(title="アクセス", slug="access"))
    client = logged_in(make_user("henshu", "編集者"))
    for page in (contact_page, access):
        data = edit_form_data(client, page)
        data["title"] = f"下書きのタイトル{page.pk}"
        preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
        assert client.post(preview_url, data).json() == {"is_valid": True, "is_available": True}
        response = client.get(preview_url)
        assert response.status_code == 200
        assert f"下書きのタイトル{page.pk}" in parse(response).main.get_text()
        assert f"下書きのタイトル{page.pk}" not in Client().get(page.url).content.decode()
    landing = client.get(
        reverse("wagtailadmin_pages:preview_on_edit", args=[contact_page.pk]) + "?mode=landing"
    )
    assert "お問い合わせを受け付けました" in parse(landing).main.get_text()
    assert FormSubmission.objects.count() == 0


# Old messages are deleted (manage.py purge_contact_submissions)


def test_old_messages_are_deleted_and_recent_ones_and_other_pages_kept(client, contact_page, tree):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    send(client, contact_page)
    send(client, contact_page, お問い合わせ内容="二通目の質問です。")
    old, recent = FormSubmission.objects.filter(page=contact_page).order_by("pk")
    FormSubmission.objects.filter(pk=old.pk).update(submit_time=timezone.now() - timedelta(days=400))
    other = FormSubmission.objects.create(page=make_standard_page(tree.home, slug="other-form"), form_data={})
    FormSubmission.objects.filter(pk=other.pk).update(submit_time=timezone.now() - timedelta(days=400))

    output = StringIO()
    call_command("purge_contact_submissions", "--older-than-days", "365", "--dry-run", stdout=output)
    assert "削除の対象(試行のみ): 1 件" in output.getvalue()
    assert FormSubmission.objects.count() == 3

    call_command("purge_contact_submissions", "--older-than-days", "365", stdout=output)
    assert "お問い合わせ 1 件を削除しました" in output.getvalue()
    assert set(FormSubmission.objects.values_list("pk", flat=True)) == {recent.pk, other.pk}


@pytest.mark.parametrize(
    "days, message",
    [
        ("0", "日数は1以上の整数で指定してください"),
        ("-5", "日数は1以上の整数で指定してください"),
        ("abc", "日数は1以上の整数で指定してください"),
        ("1e3", "日数は1以上の整数で指定してください"),
        # A date this far back does not exist: refused, not a traceback.
        ("9" * 400, "日数は36500以下の整数で指定してください"),
    ],
)
def test_the_purge_refuses_a_number_of_days_it_cannot_use(days, message):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match=message):
        call_command("purge_contact_submissions", "--older-than-days", days)
