"""Organizations apply for pro bono support (支援申込) on a public page; 事務局 triage the applications in
the admin, and accepting one creates the draft organization and project pages."""

import datetime
from concurrent.futures import ThreadPoolExecutor
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import close_old_connections, connection
from django.test import Client, override_settings
from django.utils import timezone
from wagtail.models import Site

from home.models import CenterSettings
from home.text import UNREADABLE_EMAIL, UNREADABLE_TEXT
from projects.models import (
    ApplicationStatus,
    Area,
    OrganizationPage,
    Problem,
    ProjectPage,
    SupportApplication,
    SupportApplicationPage,
    SupportMenu,
)
from tests.builders import add_page, build_catalog_tree, logged_in, make_organization, make_user
from tests.concurrency import run_together
from tests.html import parse

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/support-applications/"
ORGANIZATION = {
    "organization_name": "八王子子ども食堂ネットワーク",
    "legal_form": "npo",
    "area": "hachioji",
    "contact_name": "佐藤 花子",
    "contact_email": "hanako@example.jp",
    "contact_phone": "042-620-1234",
    "problems": ["capacity-building"],
    "support_menus": ["accounting", "website"],
    "description": "会計を手作業で続けています。\n\n寄付の受付もウェブで始めたい。",
    "agree_privacy": "on",
}


@pytest.fixture
def apply_page(tree):
    Problem.objects.create(name="組織の基盤を整えたい", slug="capacity-building", sort_order=1)
    Problem.objects.create(name="情報発信を強めたい", slug="outreach", sort_order=2)
    SupportMenu.objects.create(name="経理改善", slug="accounting", sort_order=1)
    SupportMenu.objects.create(name="ウェブサイト制作", slug="website", sort_order=2)
    Area.objects.create(name="八王子市", slug="hachioji", sort_order=1)
    center = CenterSettings.for_site(Site.objects.get(is_default_site=True))
    center.name = "八王子市市民活動支援センター"
    center.email = "office@example.jp"
    center.save()
    return add_page(tree.home, SupportApplicationPage(title="支援を申し込む", slug="apply"))


def apply(client, apply_page, **changes):
    data = {**ORGANIZATION, **changes}
    return client.post(apply_page.url, {key: value for key, value in data.items() if value is not None})


def errors(response):
    return [item.get_text(strip=True) for item in parse(response).select(".form-field__errors li")]


def banner(response):
    return parse(response).select_one(".form-errors").get_text(" ", strip=True)


# The public form


def test_the_page_shows_the_form_with_the_facets_and_a_cache_safe_csrf_field(client, apply_page):
    response = client.get(apply_page.url)

    form = parse(response).select_one("form.application-form")
    assert response.status_code == 200
    names = {field.get("name") for field in form.select("input, select, textarea")}
    assert {"organization_name", "legal_form", "area", "contact_email", "problems", "support_menus"} <= names
    labels = [label.get_text(strip=True) for label in form.select("fieldset.form-field--group label")]
    assert labels == ["組織の基盤を整えたい", "情報発信を強めたい", "経理改善", "ウェブサイト制作"]
    assert form.select_one('input[name="csrfmiddlewaretoken"]')["value"]
    assert form.select_one('select[name="legal_form"] option[value="npo"]').get_text() == (
        "特定非営利活動法人(NPO法人)"
    )


def test_applying_stores_the_application_emails_both_and_redirects_to_a_generic_thank_you(
    client, apply_page, mailoutbox
):
    response = apply(client, apply_page, contact_email="ｈａｎａｋｏ＠ＥＸＡＭＰＬＥ.jp")

    assert response.status_code == 302
    assert response["Location"] == "/apply/thanks/"
    application = SupportApplication.objects.get()
    assert application.status == ApplicationStatus.NEW
    assert application.contact_email == "hanako@example.jp"
    assert application.area.slug == "hachioji"
    assert [term.slug for term in application.problems.all()] == ["capacity-building"]
    assert sorted(term.slug for term in application.support_menus.all()) == ["accounting", "website"]
    assert application.description == ORGANIZATION["description"]

    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    text = parse(thanks).select_one("main").get_text()
    assert "お申込みありがとうございました" in text
    assert "佐藤" not in text and "hanako" not in text and "子ども食堂" not in text


def test_the_thank_you_page_shows_the_page_s_own_message(client, apply_page):
    apply_page.thanks = "ありがとうございました。\n担当の者からご連絡します。"
    apply_page.save_revision().publish()

    text = parse(client.get("/apply/thanks/")).select_one(".result-banner").decode_contents()

    assert text == "ありがとうございました。<br/>担当の者からご連絡します。"


def test_the_receipt_and_the_notice_to_the_center(client, apply_page, mailoutbox):
    apply(client, apply_page)

    receipt, notice = mailoutbox
    number = SupportApplication.objects.get().pk
    assert receipt.to == ["hanako@example.jp"]
    assert receipt.subject == "【受付】支援のお申込みを受け付けました"
    assert f"受付番号:{number}" in receipt.body
    assert "八王子市市民活動支援センター" in receipt.body
    html, mimetype = receipt.alternatives[0]
    assert mimetype == "text/html" and str(number) in html

    assert notice.to == ["office@example.jp"]
    assert notice.to == ["office@example.jp"]
    assert notice.subject == f"【支援申込】新しいお申込みがありました(受付番号 {number})"
    assert f"http://testserver/admin/support-applications/edit/{number}/" in notice.body
    for personal in ("佐藤", "hanako", "042-620-1234"):
        assert personal not in notice.subject + notice.body + notice.alternatives[0][0]


# The email policy: the receipt goes to an address nobody confirmed


def test_the_receipt_quotes_nothing_the_applicant_typed(client, apply_page, mailoutbox):
    typed = {
        "organization_name": "当選のお知らせ http://phish.example/",
        "contact_name": "賞金 受取係",
        "description": "おめでとうございます。こちらから賞金をお受け取りください: http://phish.example/claim\n"
        + "あ" * 3900,
    }

    apply(client, apply_page, **typed)

    receipt, notice = mailoutbox
    text = receipt.subject + receipt.body + receipt.alternatives[0][0]
    assert "phish" not in text and "賞金" not in text and "当選" not in text
    assert len(receipt.body) < 1000
    assert "当選のお知らせ" in notice.body  # the center's own notice names the organization


def test_one_address_gets_one_receipt_a_day_and_the_center_every_notice(client, apply_page, mailoutbox):
    for number in range(3):
        assert apply(client, apply_page, description=f"別の内容 {number}").status_code == 302

    assert SupportApplication.objects.count() == 3
    receipts = [message for message in mailoutbox if message.to == ["hanako@example.jp"]]
    notices = [message for message in mailoutbox if message.to == ["office@example.jp"]]
    assert (len(receipts), len(notices)) == (1, 3)
    assert apply(client, apply_page, contact_email="other@example.jp").status_code == 302
    assert [message.to for message in mailoutbox[-2:]] == [["other@example.jp"], ["office@example.jp"]]


def test_the_mail_limit_holds_no_address_in_the_cache(client, apply_page, mailoutbox):
    from django.core.cache import cache

    apply(client, apply_page)

    keys = [key for key in cache._cache if "public-form-mail" in key]
    assert len(keys) == 1
    assert "hanako" not in keys[0] and "example" not in keys[0]


def test_while_the_cache_is_down_the_rows_keep_the_limit(client, apply_page, mailoutbox):
    from tests.network import closed_port
    from tests.test_cache_outage import site_redis

    with override_settings(CACHES=site_redis(closed_port())):
        for number in range(3):
            assert apply(client, apply_page, description=f"別の内容 {number}").status_code == 302

    receipts = [message for message in mailoutbox if message.to == ["hanako@example.jp"]]
    assert len(receipts) == 1 and SupportApplication.objects.count() == 3


def test_a_receipt_that_failed_is_retried_by_the_outbox_and_still_counts_against_the_limit(
    client, apply_page, mailoutbox
):
    unreachable = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": 9}
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", **unreachable):
        apply(client, apply_page, description="一度目")

    apply(client, apply_page, description="二度目")
    assert [message.to for message in mailoutbox] == [["office@example.jp"]]

    call_command("resend_pending_emails", verbosity=0)  # the mail server is back

    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == ["hanako@example.jp", "office@example.jp", "office@example.jp"]


# Duplicate submissions


def test_the_same_application_sent_twice_is_one_application_with_one_set_of_emails(
    client, apply_page, mailoutbox
):
    first = apply(client, apply_page, contact_email="hanako@example.jp")
    second = apply(client, apply_page, contact_email="HANAKO@example.jp")

    assert first["Location"] == second["Location"] == "/apply/thanks/"
    assert SupportApplication.objects.count() == 1
    assert len(mailoutbox) == 2  # one receipt, one notice


def test_the_same_application_after_the_window_is_a_new_application(client, apply_page, mailoutbox):
    apply(client, apply_page)
    SupportApplication.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))

    apply(client, apply_page)

    assert SupportApplication.objects.count() == 2


def test_without_a_center_address_only_the_receipt_is_sent(client, apply_page, mailoutbox):
    CenterSettings.objects.update(email="")

    apply(client, apply_page)

    assert [message.to for message in mailoutbox] == [["hanako@example.jp"]]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"organization_name": ""}, "団体名を入力してください。"),
        ({"organization_name": " \u3000 "}, "団体名を入力してください。"),
        ({"legal_form": ""}, "法人格を選んでください。"),
        ({"legal_form": "company"}, "法人格は、一覧から選んでください。"),
        ({"area": ""}, "活動地域を選んでください。"),
        ({"area": "atlantis"}, "活動地域は、一覧から選んでください。"),
        ({"contact_name": ""}, "担当者名を入力してください。"),
        ({"contact_email": ""}, "担当者のメールアドレスを入力してください。"),
        ({"contact_email": "hanako@"}, "メールアドレスの形式が正しくありません(例:info@example.jp)。"),
        ({"contact_phone": "電話して"}, "電話番号は、数字とハイフンで入力してください(例:042-000-0000)。"),
        ({"problems": None}, "解決したい課題を1つ以上選んでください。"),
        ({"problems": ["capacity-building", "nope"]}, "解決したい課題は、一覧から選んでください。"),
        ({"support_menus": ["99999999999999999999999"]}, "希望する支援内容は、一覧から選んでください。"),
        ({"description": ""}, "課題の説明を入力してください。"),
        ({"description": "あ" * 4001}, "4000文字以内で入力してください。"),
        ({"organization_name": "団" * 201}, "200文字以内で入力してください。"),
        ({"agree_privacy": None}, "申込には、個人情報の取り扱いへの同意が必要です。"),
        ({"organization_name": "\u200b\u200c\u200d\u2060\ufeff"}, "団体名を入力してください。"),
        ({"contact_name": "\u200b"}, "担当者名を入力してください。"),
        ({"description": "\u200b"}, "課題の説明を入力してください。"),
        ({"description": "\n\u3000\t\r\n"}, "課題の説明を入力してください。"),
        ({"description": "会計が\x1b[31m大変\x1b[0mです"}, UNREADABLE_TEXT),
        ({"description": "会計が\u202e大変です"}, UNREADABLE_TEXT),
        ({"organization_name": "団体\x7f"}, UNREADABLE_TEXT),
        ({"contact_name": "\u2066佐藤"}, UNREADABLE_TEXT),
        ({"contact_email": '"a\x01b"@example.jp'}, UNREADABLE_EMAIL),
        ({"contact_email": "hanako@example.jp\r\nCc: x@example.jp"}, UNREADABLE_EMAIL),
    ],
)
def test_each_mistake_is_named_in_japanese_and_nothing_is_stored(
    client, apply_page, mailoutbox, changes, message
):
    response = apply(client, apply_page, **changes)

    assert response.status_code == 200
    assert message in errors(response)
    assert "入力内容を確認してください" in banner(response)
    assert SupportApplication.objects.count() == 0
    assert mailoutbox == []


def test_what_was_typed_is_kept_after_a_mistake(client, apply_page):
    response = apply(client, apply_page, agree_privacy=None)

    form = parse(response).select_one("form.application-form")
    assert form.select_one("#id_organization_name")["value"] == ORGANIZATION["organization_name"]
    assert form.select_one('input[name="problems"][value="capacity-building"]').has_attr("checked")
    assert not form.select_one('input[name="problems"][value="outreach"]').has_attr("checked")


@pytest.mark.parametrize(
    "changes",
    [
        {"organization_name": "<script>alert(1)</script>", "description": "<img src=x onerror=alert(1)>"},
        {"organization_name": "NUL\x00団体"},
        {"area": "../../etc/passwd", "legal_form": ["npo", "other"]},
        {"problems": "' OR 1=1 --"},
        {"description": "x" * 200_000},
    ],
)
def test_hostile_input_gets_an_answer_never_a_server_error(client, apply_page, changes):
    response = apply(client, apply_page, **changes)

    assert response.status_code in (200, 302)
    assert b"<script>alert(1)</script>" not in response.content


def test_markup_in_an_application_is_stored_as_text_and_escaped_in_emails(client, apply_page, mailoutbox):
    apply(client, apply_page, organization_name="<b>団体</b>", description="<script>x</script>")

    assert SupportApplication.objects.get().organization_name == "<b>団体</b>"
    receipt, notice = (message.alternatives[0][0] for message in mailoutbox)
    assert "団体" not in receipt and "script" not in receipt
    assert "<b>団体</b>" not in notice and "&lt;b&gt;団体&lt;/b&gt;" in notice


def test_a_body_that_is_not_utf8_is_answered_in_japanese(client, apply_page):
    body = b"organization_name=" + "団体".encode("shift_jis") + b"&legal_form=npo&agree_privacy=on"

    response = client.post(apply_page.url, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert "入力内容を確認してください" in banner(response)
    assert SupportApplication.objects.count() == 0


def test_full_width_and_odd_spaces_are_normalized(client, apply_page):
    apply(
        client,
        apply_page,
        organization_name="ＮＰＯ法人　さくら\u3000 の会",
        contact_phone="０４２ー６２０ー１２３４",
    )

    application = SupportApplication.objects.get()
    assert application.organization_name == "NPO法人 さくら の会"
    assert application.contact_phone == "042-620-1234"


def test_the_honeypot_refuses_robots_quietly(client, apply_page, mailoutbox):
    response = apply(client, apply_page, leave_blank="http://spam.example/")

    assert response.status_code == 200
    assert "送信できませんでした" in banner(response)
    assert SupportApplication.objects.count() == 0
    assert mailoutbox == []


@override_settings(REGISTRATION_RATE_LIMIT="2/h")
def test_too_many_applications_from_one_address_are_slowed_down(client, apply_page):
    codes = [apply(client, apply_page, description=f"内容 {number}").status_code for number in range(2)]
    assert codes == [302, 302]

    response = apply(client, apply_page, description="内容 3")

    assert response.status_code == 429
    assert "しばらく時間をおいて" in banner(response)
    assert SupportApplication.objects.count() == 2


@override_settings(PAGE_CACHE_ENABLED=True, PAGE_CACHE_SECONDS=300)
def test_the_form_and_the_thank_you_page_come_from_the_page_cache_and_applying_still_works(apply_page):
    visitor = Client(enforce_csrf_checks=True)
    first, second = visitor.get(apply_page.url), visitor.get(apply_page.url)
    thanks = [visitor.get("/apply/thanks/")["X-Page-Cache"] for _ in range(2)]

    assert (first["X-Page-Cache"], second["X-Page-Cache"], thanks) == ("miss", "hit", ["miss", "hit"])
    token = parse(second).select_one('input[name="csrfmiddlewaretoken"]')["value"]
    response = visitor.post(apply_page.url, {**ORGANIZATION, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert SupportApplication.objects.count() == 1


def test_a_post_without_the_csrf_token_is_refused(apply_page):
    response = Client(enforce_csrf_checks=True).post(apply_page.url, ORGANIZATION)

    assert response.status_code == 403
    assert SupportApplication.objects.count() == 0


# Triage in the admin


@pytest.fixture
def office(django_user_model):
    return logged_in(make_user("office", "編集者", "事務局"))


@pytest.fixture
def editor(django_user_model):
    return logged_in(make_user("editor", "編集者"))


@pytest.fixture
def application(client, apply_page):
    apply(client, apply_page)
    return SupportApplication.objects.get()


def edit_url(application):
    return f"{LIST_URL}edit/{application.pk}/"


def triage(office, application, status, **fields):
    data = {"status": status, "staff_notes": fields.pop("staff_notes", ""), **fields}
    return office.post(edit_url(application), data)


def form_errors(response):
    soup = parse(response)
    return " ".join(node.get_text(" ", strip=True) for node in soup.select(".error-message, .help-critical"))


def test_office_lists_filters_and_searches_applications(office, apply_page):
    client = Client()
    apply(client, apply_page)
    apply(client, apply_page, organization_name="高尾の森を守る会", contact_email="mori@example.jp")
    SupportApplication.objects.filter(organization_name="高尾の森を守る会").update(status="screening")

    listing = office.get(LIST_URL)
    screening = office.get(LIST_URL, {"status": "screening"})
    by_contact = office.get(LIST_URL, {"q": "mori@"})

    assert listing.status_code == 200
    assert "八王子子ども食堂ネットワーク" in listing.text and "高尾の森を守る会" in listing.text
    assert "八王子子ども食堂ネットワーク" not in screening.text and "高尾の森を守る会" in screening.text
    assert "八王子子ども食堂ネットワーク" not in by_contact.text and "高尾の森を守る会" in by_contact.text
    assert LIST_URL in office.get("/admin/").text


def test_the_edit_view_shows_what_was_sent_and_offers_only_the_next_statuses(office, application):
    response = office.get(edit_url(application))

    soup = parse(response)
    assert response.status_code == 200
    assert "hanako@example.jp" in soup.select_one(".application-details").get_text()
    options = [option["value"] for option in soup.select('select[name="status"] option')]
    assert options == ["new", "screening", "declined"]


def test_staff_move_an_application_to_screening_with_notes(office, application, mailoutbox):
    mailoutbox.clear()
    response = triage(office, application, "screening", staff_notes="電話でヒアリング予定")

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.staff_notes) == ("screening", "電話でヒアリング予定")
    assert application.decided_at is None
    assert mailoutbox == []
    history_url = parse(office.get(edit_url(application))).select_one("a.application-history")["href"]
    history = office.get(history_url)
    assert history.status_code == 200
    assert len(parse(history).select("table.listing tbody tr")) == 1


def test_accepting_from_new_is_refused_in_japanese(office, application):
    response = triage(office, application, "accepted")

    assert response.status_code == 200
    assert "支援決定にできるのは「確認中」の申込だけです" in form_errors(response)
    application.refresh_from_db()
    assert application.status == "new"
    assert ProjectPage.objects.count() == 0


def accept(office, application, **fields):
    if application.status == "new":
        triage(office, application, "screening")
    return triage(office, application, "accepted", **fields)


def test_accepting_creates_draft_organization_and_project_pages_prefilled(office, application, tree):
    response = accept(office, application, staff_notes="支援決定。会計チームを組む。")

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "accepted" and application.decided_at is not None
    organization = OrganizationPage.objects.get(pk=application.organization_id)
    project = ProjectPage.objects.get(pk=application.project_id)
    assert organization.get_parent().pk == tree.organizations.pk
    assert project.get_parent().pk == tree.projects.pk
    for draft in (organization, project):
        assert not draft.live and draft.latest_revision is not None and draft.has_unpublished_changes
        assert draft.owner.username == "office"
    assert organization.title == "八王子子ども食堂ネットワーク"
    assert (organization.legal_form, organization.area.slug) == ("NPO法人", "hachioji")
    assert project.title == "組織の基盤を整えたい(八王子子ども食堂ネットワーク)"
    assert project.status == "preparing"
    assert project.organization_id == organization.pk
    assert [term.slug for term in project.problems.all()] == ["capacity-building"]
    assert sorted(term.slug for term in project.support_menus.all()) == ["accounting", "website"]
    assert [term.slug for term in project.areas.all()] == ["hachioji"]
    assert project.body[0].block_type == "paragraph"
    assert (
        project.body[0].value.source
        == "<p>会計を手作業で続けています。</p><p>寄付の受付もウェブで始めたい。</p>"
    )
    # Drafts are nowhere on the public site.
    assert Client().get(tree.projects.url).text.count(project.title) == 0


def test_after_accepting_the_edit_view_links_to_both_drafts(office, application):
    response = accept(office, application)

    followed = office.get(response["Location"])
    application.refresh_from_db()
    soup = parse(followed)
    links = {link["href"] for link in soup.select(".application-pages a")}
    assert links == {
        f"/admin/pages/{application.organization_id}/edit/",
        f"/admin/pages/{application.project_id}/edit/",
    }
    assert "下書きを用意しました" in followed.text
    assert soup.select_one('select[name="status"]').has_attr("disabled")


def test_accepting_twice_creates_one_set_of_pages(office, application):
    triage(office, application, "screening")
    first = triage(office, application, "accepted")
    second = triage(office, application, "accepted")

    assert (first.status_code, second.status_code) == (302, 302)
    assert OrganizationPage.objects.filter(title=application.organization_name).count() == 1
    assert ProjectPage.objects.count() == 1


def test_staff_may_pick_the_existing_organization_page_matched_by_name(office, application, tree):
    existing = make_organization(tree.organizations, title="八王子子ども食堂ネットワーク", slug="kodomo")
    make_organization(tree.organizations, title="別の団体", slug="other")
    triage(office, application, "screening")

    soup = parse(office.get(edit_url(application)))
    chosen = soup.select_one('select[name="organization_choice"] option[selected]')
    assert chosen["value"] == str(existing.pk)
    assert "同じ名前の既存ページ" in chosen.get_text()

    triage(office, application, "accepted", organization_choice=str(existing.pk))

    application.refresh_from_db()
    assert application.organization_id == existing.pk
    assert OrganizationPage.objects.count() == 2
    assert ProjectPage.objects.get().organization_id == existing.pk


def test_staff_may_create_a_new_organization_page_despite_a_match(office, application, tree):
    make_organization(tree.organizations, title="八王子子ども食堂ネットワーク", slug="kodomo")
    triage(office, application, "screening")

    triage(office, application, "accepted", organization_choice="")

    assert OrganizationPage.objects.filter(title="八王子子ども食堂ネットワーク").count() == 2
    assert OrganizationPage.objects.filter(live=False).count() == 1


@pytest.mark.parametrize("choice", ["abc", "99999999999999999999999", "-1"])
def test_a_bad_organization_choice_is_refused(office, application, choice):
    triage(office, application, "screening")

    response = triage(office, application, "accepted", organization_choice=choice)

    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == "screening"


@pytest.mark.parametrize("final", ["accepted", "declined"])
def test_accepted_and_declined_are_final(office, application, final):
    triage(office, application, "screening")
    triage(office, application, final)

    response = triage(office, application, "screening", staff_notes="メモを追記")

    application.refresh_from_db()
    assert application.status == final
    assert application.staff_notes == "メモを追記"  # the disabled status is kept; notes still change
    assert "最終の状態" in parse(office.get(edit_url(application))).get_text()
    assert response.status_code == 302


def test_declining_emails_the_applicant_only_when_staff_choose(office, apply_page, mailoutbox):
    client = Client()
    apply(client, apply_page)
    apply(client, apply_page, organization_name="高尾の森を守る会")
    quiet, told = SupportApplication.objects.order_by("pk")
    mailoutbox.clear()

    triage(office, quiet, "declined")
    response = triage(office, told, "declined", email_applicant="on")

    assert SupportApplication.objects.filter(status="declined").count() == 2
    (message,) = mailoutbox
    assert message.to == ["hanako@example.jp"]
    assert message.subject == "【支援申込】お申込みについてのご連絡"
    assert "高尾の森を守る会" in message.body and "お引き受けすることができません" in message.body
    assert "申込者に見送りのお知らせをメールで送りました" in office.get(response["Location"]).text


def refused(response):
    """Wagtail answers a permission refusal in the admin by sending the user back to its start page."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_nobody_adds_copies_or_deletes_applications_in_the_admin(office, application):
    for url in (f"{LIST_URL}new/", f"{LIST_URL}delete/{application.pk}/"):
        assert refused(office.get(url))
        assert refused(office.post(url, {}))
    assert office.get(f"{LIST_URL}copy/{application.pk}/").status_code == 404
    assert SupportApplication.objects.count() == 1


# Who may see applications


def test_an_editor_without_office_sees_no_application_anywhere(editor, application):
    assert "/admin/support-applications/" not in editor.get("/admin/").text
    for url in (LIST_URL, edit_url(application), f"{LIST_URL}history/{application.pk}/"):
        assert refused(editor.get(url))
    assert refused(editor.post(edit_url(application), {"status": "screening"}))
    for query in ("八王子子ども食堂", "佐藤", "hanako"):
        response = editor.get("/admin/pages/search/", {"q": query})
        assert response.status_code == 200
        assert "hanako@example.jp" not in response.text and "佐藤 花子" not in response.text
    application.refresh_from_db()
    assert application.status == "new"


def test_the_pages_usage_listing_never_names_the_application(office, editor, application):
    accept(office, application)
    application.refresh_from_db()

    for page_id in (application.project_id, application.organization_id):
        response = office.get(f"/admin/pages/{page_id}/usage/")
        assert response.status_code == 200
        assert "支援申込" not in response.text and "佐藤" not in response.text


def test_visitors_are_sent_to_the_login(application):
    response = Client().get(LIST_URL)

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# Two accepts at the same moment


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(REGISTRATION_RATE_LIMIT=None)
def test_simultaneous_accepts_create_one_set_of_pages(django_user_model):
    """Both forms were loaded while the application was 確認中 (a double-click, or two staff members);
    on PostgreSQL the posts run in parallel threads, so only the row lock keeps it to one set."""
    tree = build_catalog_tree()
    Problem.objects.create(name="組織の基盤を整えたい", slug="capacity-building")
    Area.objects.create(name="八王子市", slug="hachioji")
    SupportMenu.objects.create(name="経理改善", slug="accounting")
    SupportMenu.objects.create(name="ウェブサイト制作", slug="website")
    apply_page = add_page(tree.home, SupportApplicationPage(title="支援を申し込む", slug="apply"))
    apply(Client(), apply_page)
    application = SupportApplication.objects.get()
    SupportApplication.objects.filter(pk=application.pk).update(status="screening")
    user = make_user("office", "編集者", "事務局")

    def accept_once(_):
        try:
            return logged_in(user).post(edit_url(application), {"status": "accepted", "staff_notes": ""})
        finally:
            close_old_connections()
            connection.close()

    workers = 6 if connection.vendor == "postgresql" else 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        responses = list(pool.map(accept_once, range(6)))

    assert [response.status_code for response in responses] == [302] * 6
    assert ProjectPage.objects.count() == 1
    assert OrganizationPage.objects.count() == 1
    application.refresh_from_db()
    assert application.project_id == ProjectPage.objects.get().pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(REGISTRATION_RATE_LIMIT=None)
def test_the_same_application_sent_ten_times_at_once_is_one_application(mailoutbox):
    """On PostgreSQL the posts run in parallel threads: the unique submission key keeps one row."""
    tree = build_catalog_tree()
    Problem.objects.create(name="組織の基盤を整えたい", slug="capacity-building")
    Area.objects.create(name="八王子市", slug="hachioji")
    SupportMenu.objects.create(name="経理改善", slug="accounting")
    SupportMenu.objects.create(name="ウェブサイト制作", slug="website")
    apply_page = add_page(tree.home, SupportApplicationPage(title="支援を申し込む", slug="apply"))

    responses = run_together([lambda: apply(Client(), apply_page) for _ in range(10)], 10)

    assert [response["Location"] for response in responses] == ["/apply/thanks/"] * 10
    assert SupportApplication.objects.count() == 1
    assert [message.to for message in mailoutbox] == [["hanako@example.jp"]]  # no center address here


# Erasing personal data


def decided(application, status, days_ago):
    SupportApplication.objects.filter(pk=application.pk).update(
        status=status, decided_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


def purge(*args):
    out = StringIO()
    call_command("purge_applications", *args, stdout=out)
    return out.getvalue()


def test_purge_erases_contact_data_of_applications_decided_long_ago(apply_page):
    client = Client()
    for name in ("古い見送り", "古い支援決定", "最近の見送り", "確認中のまま", "新規のまま"):
        apply(client, apply_page, organization_name=name)
    old_declined, old_accepted, recent, screening, new = SupportApplication.objects.order_by("pk")
    decided(old_declined, "declined", 400)
    decided(old_accepted, "accepted", 366)
    decided(recent, "declined", 10)
    SupportApplication.objects.filter(pk=screening.pk).update(
        status="screening", created_at=timezone.now() - datetime.timedelta(days=900)
    )

    assert purge("--older-than-days", "365", "--dry-run") == (
        "匿名化の対象(試行のみ): 2 件(支援決定 1 件・見送り 1 件)。何も変更していません。\n"
    )
    assert SupportApplication.objects.filter(anonymized_at__isnull=False).count() == 0

    output = purge("--older-than-days", "365")

    assert "支援申込 2 件の担当者の個人情報を匿名化しました(支援決定 1 件・見送り 1 件)" in output
    for application in (old_declined, old_accepted):
        application.refresh_from_db()
        assert application.contact_name == "(削除済み)"
        assert application.contact_email == f"deleted-{application.pk}@invalid.example"
        assert application.contact_phone == ""
        assert application.anonymized_at is not None
        assert application.organization_name in ("古い見送り", "古い支援決定")
        assert application.description == ORGANIZATION["description"]
    for application in (recent, screening, new):
        application.refresh_from_db()
        assert (application.contact_name, application.anonymized_at) == ("佐藤 花子", None)
    assert "匿名化しました" in purge("--older-than-days", "365") and "0 件" in purge(
        "--older-than-days", "365"
    )


def test_an_anonymized_application_shows_no_contact_data_to_staff(office, application):
    triage(office, application, "declined")
    decided(application, "declined", 400)
    purge("--older-than-days", "365")

    details = parse(office.get(edit_url(application))).select_one(".application-details").get_text()

    assert "hanako" not in details and "佐藤" not in details
    assert "個人情報は" in details


@pytest.mark.parametrize("days", ["0", "-3", "abc", "1e3"])
def test_purge_wants_a_whole_number_of_days(days):
    with pytest.raises(CommandError, match="日数は1以上の整数で指定してください"):
        purge("--older-than-days", days)
