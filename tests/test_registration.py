"""Registering for an event without an account: the form, seats and waitlist, emails, status and
cancellation links, and what happens to bad input."""

import datetime
import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client, override_settings
from django.utils import timezone
from icalendar import Calendar

from projects.models import Registration, RegistrationStatus
from projects.registration import services
from tests import builders
from tests.builders import PERSON, make_standard_page
from tests.html import parse

pytestmark = pytest.mark.django_db

CLOSED = "申込の受付は終了しました"


def upcoming_event(tree, **fields):
    """The shared upcoming event, with two seats unless told, so that a third person waits."""
    fields.setdefault("capacity", 2)
    return builders.upcoming_event(tree, **fields)


def register(client, event, HTTP_X_FORWARDED_FOR=None, **changes):  # noqa: N803 - a request header
    headers = {"HTTP_X_FORWARDED_FOR": HTTP_X_FORWARDED_FOR} if HTTP_X_FORWARDED_FOR else {}
    return client.post(event.url, {**PERSON, **changes}, **headers)


def statuses(event):
    return list(event.registrations.order_by("pk").values_list("email", "status"))


def link_in(message, route):
    return re.search(rf"http://testserver(/events/\S+/{route}/\S+/)", message.body).group(1)


def test_the_event_page_offers_the_form_with_its_fields_and_the_privacy_policy(client, tree):
    make_standard_page(tree.home, title="プライバシーポリシー", slug="privacy")
    event = upcoming_event(tree)

    form = parse(client.get(event.url)).select_one("form.registration-form")

    names = {field["name"] for field in form.select("input, textarea") if field.get("name")}
    assert {"name", "name_kana", "email", "phone", "note", "agree_privacy"} <= names
    assert form.select_one('a[href="/privacy/"]').get_text() == "個人情報の取り扱い"
    assert form.select_one('label[for="id_name"]').get_text(strip=True) == "氏名必須"


def test_registering_confirms_a_seat_and_shows_the_status_page(client, tree, mailoutbox):
    event = upcoming_event(tree)

    response = register(client, event)

    assert response.status_code == 302
    status_page = parse(client.get(response["Location"]))
    assert "参加確定" in status_page.select_one(".result-banner").get_text()
    assert statuses(event) == [("hanako@example.jp", RegistrationStatus.CONFIRMED)]
    assert len(mailoutbox) == 1


def test_the_confirmation_email_has_text_html_the_event_a_calendar_file_and_personal_links(
    client, tree, mailoutbox
):
    event = upcoming_event(tree, venue="クリエイトホール", address="東京都八王子市東町5-6")
    register(client, event)

    message = mailoutbox[0]
    assert message.to == ["hanako@example.jp"]
    assert message.subject == f"【参加確定】{event.title} のお申込みを受け付けました"
    assert "山田 花子 様" in message.body
    assert "クリエイトホール" in message.body and "東京都八王子市東町5-6" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "クリエイトホール" in html
    filename, content, _ = message.attachments[0]
    assert filename == f"{event.slug}.ics"
    (vevent,) = Calendar.from_ical(content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == event.title
    assert client.get(link_in(message, "cancel")).status_code == 200
    assert client.get(link_in(message, "registration")).status_code == 200


def test_a_full_event_with_a_waitlist_takes_people_on_the_waitlist(client, tree, mailoutbox):
    event = upcoming_event(tree, capacity=1, waitlist_enabled=True)
    register(client, event, email="first@example.jp")

    event_page = parse(client.get(event.url))
    assert "キャンセル待ち受付中" in event_page.select_one(".seats").get_text()
    response = register(client, event, email="second@example.jp")

    assert "キャンセル待ち" in parse(client.get(response["Location"])).select_one(".result-banner").get_text()
    assert statuses(event) == [
        ("first@example.jp", RegistrationStatus.CONFIRMED),
        ("second@example.jp", RegistrationStatus.WAITLISTED),
    ]
    assert mailoutbox[-1].subject.startswith("【キャンセル待ち】")


def test_a_full_event_without_a_waitlist_refuses_with_a_clear_message(client, tree):
    event = upcoming_event(tree, capacity=1)
    register(client, event, email="first@example.jp")

    assert parse(client.get(event.url)).select_one(".seats").get_text() == "満席"
    response = register(client, event, email="second@example.jp")

    assert response.status_code == 200
    assert "満席" in parse(response).select_one("#registration").get_text()
    assert parse(response).select_one("form.registration-form") is None
    assert len(statuses(event)) == 1


def test_seats_left_are_shown(client, tree):
    event = upcoming_event(tree, capacity=30)
    register(client, event)

    assert parse(client.get(event.url)).select_one(".seats").get_text() == "残り29席"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"registration_opens_at": timezone.now() + datetime.timedelta(days=1)}, "申込の受付は"),
        (
            {"registration_closes_at": timezone.now() - datetime.timedelta(hours=1)},
            "申込の受付は終了しました",
        ),
        ({"starts_at": timezone.now() - datetime.timedelta(minutes=30)}, "申込の受付は終了しました"),
    ],
    ids=["not-yet-open", "closed", "started"],
)
def test_outside_the_registration_window_the_form_is_replaced_and_a_post_refused(
    client, tree, fields, message
):
    event = upcoming_event(tree, **fields)

    assert parse(client.get(event.url)).select_one("form.registration-form") is None
    assert message in parse(client.get(event.url)).select_one("#registration").get_text()
    response = register(client, event)

    assert response.status_code == 200
    assert message in parse(response).select_one("#registration").get_text()
    assert Registration.objects.count() == 0


def test_an_event_without_registration_shows_no_form_and_refuses_a_post(client, tree):
    event = upcoming_event(tree, registration_enabled=False)

    assert parse(client.get(event.url)).select_one("#registration") is None
    register(client, event)
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    "email", ["hanako@example.jp", "HANAKO@Example.JP", "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ"]
)
def test_one_email_holds_one_active_registration_per_event(client, tree, mailoutbox, email):
    event = upcoming_event(tree, capacity=5)
    register(client, event)

    responses = [register(client, event, email=email, name=f"別の名前 {number}") for number in range(3)]

    assert {response.status_code for response in responses} == {200}
    errors = parse(responses[-1]).select_one(".form-errors").get_text()
    assert "すでにこのイベントに申し込まれています" in errors
    assert Registration.objects.count() == 1
    assert len(mailoutbox) == 1  # trying again never emails the address again


def test_the_same_registration_sent_again_lands_on_a_received_page_without_a_second_email(
    client, tree, mailoutbox
):
    event = upcoming_event(tree, capacity=5)
    first = register(client, event)

    again = [register(Client(), event, email="HANAKO@example.jp") for _ in range(3)]

    assert first["Location"].startswith(f"{event.url}registration/")
    assert {response["Location"] for response in again} == {f"{event.url}received/"}
    assert Registration.objects.count() == 1 and len(mailoutbox) == 1
    received = Client().get(f"{event.url}received/")
    assert received.status_code == 200
    assert "受け付けています" in parse(received).select_one(".result-banner").get_text()
    text = received.content.decode()
    assert "山田" not in text and "hanako" not in text and "/cancel/" not in text
    assert "private" in received["Cache-Control"] and received["X-Robots-Tag"] == "noindex"


def test_the_same_registration_after_the_window_is_refused_as_a_second_one(client, tree, mailoutbox):
    event = upcoming_event(tree, capacity=5)
    register(client, event)
    Registration.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))

    response = register(client, event)

    assert "すでにこのイベントに申し込まれています" in parse(response).select_one(".form-errors").get_text()
    assert Registration.objects.count() == 1 and len(mailoutbox) == 1


def test_the_email_quotes_a_long_name_only_in_part(client, tree, mailoutbox):
    event = upcoming_event(tree)

    register(
        client,
        event,
        name="当選おめでとうございます 賞金は http://phish.example/claim からお受け取りください",
    )

    message = mailoutbox[0]
    assert "当選おめでとうございます" in message.body
    assert "phish.example/claim" not in message.body + message.alternatives[0][0]


def test_the_database_itself_refuses_a_second_active_registration(tree):
    event = upcoming_event(tree)
    Registration.objects.create(event=event, name="山田", email="hanako@example.jp")

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, name="山田", email="Hanako@example.jp")


def test_after_cancelling_the_same_email_may_register_again(client, tree):
    event = upcoming_event(tree)
    register(client, event)
    services.cancel(Registration.objects.get())

    assert register(client, event).status_code == 302
    assert event.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 1


def test_input_is_normalized(client, tree):
    event = upcoming_event(tree)

    register(
        client,
        event,
        name="　山田　　花子 ",
        name_kana="ヤマダ ﾊﾅｺ",
        email="ｈａｎａｋｏ＠ＥＸＡＭＰＬＥ．ｊｐ",
        phone="０４２ー６２０ー１２３４",
    )

    registration = Registration.objects.get()
    assert (registration.name, registration.name_kana) == ("山田 花子", "ヤマダ ハナコ")
    assert (registration.email, registration.phone) == ("hanako@example.jp", "042-620-1234")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "氏名を入力してください。"),
        ({"name": "   "}, "name", "氏名を入力してください。"),
        ({"email": ""}, "email", "メールアドレスを入力してください。"),
        ({"email": "hanako@"}, "email", "メールアドレスの形式が正しくありません"),
        ({"email": "a" * 300 + "@example.jp"}, "email", ""),
        ({"name_kana": "Yamada"}, "name_kana", "ひらがな、またはカタカナ"),
        ({"name_kana": "山田"}, "name_kana", "ひらがな、またはカタカナ"),
        ({"phone": "042-620"}, "phone", "電話番号は"),
        ({"phone": "abc"}, "phone", "電話番号は"),
        ({"agree_privacy": ""}, "agree_privacy", "同意が必要です"),
        ({"name": "山" * 101}, "name", ""),
        ({"note": "あ" * 1001}, "note", ""),
        ({"name": "山田\x00花子"}, "name", ""),
        ({"name": "ﷺ" * 100}, "name", "100文字以内"),  # NFKC makes each of these 18 characters
        ({"name_kana": "㌀" * 100}, "name_kana", "100文字以内"),
        ({"phone": "0-4-2-6-2-0-1-2-3-4-5-6-7"}, "phone", ""),
        # Nothing visible, control characters, bidi overrides (home.text's rules).
        ({"name": "\u200b\u200c\u200d\u2060\ufeff"}, "name", "氏名を入力してください。"),
        ({"name": "\u3164\u00ad"}, "name", "氏名を入力してください。"),
        ({"name": "山田\x01花子"}, "name", "表示できない文字"),
        ({"name": "山田\x85花子"}, "name", "表示できない文字"),
        ({"name": "山田\n花子"}, "name", "表示できない文字"),
        ({"name": "\u202e子花田山"}, "name", "表示できない文字"),
        ({"name": "山田\u2066花子\u2069"}, "name", "表示できない文字"),
        ({"name_kana": "やまだ\x1b[31m"}, "name_kana", "表示できない文字"),
        ({"note": "よろしく\x07お願いします"}, "note", "表示できない文字"),
        ({"note": "\u202dよろしく"}, "note", "表示できない文字"),
        ({"email": '"a\x01b"@example.jp'}, "email", "メールアドレスに使えない文字"),
        ({"email": "hanako\u200b@example.jp"}, "email", "メールアドレスに使えない文字"),
        ({"email": "hanako@example.jp\r\nBcc: x@example.jp"}, "email", "メールアドレスに使えない文字"),
        ({"email": "hanako@exam\u202eple.jp"}, "email", "メールアドレスに使えない文字"),
    ],
)
def test_bad_input_gets_a_japanese_error_and_keeps_what_was_typed(client, tree, changes, field, message):
    event = upcoming_event(tree)

    response = register(client, event, **changes)

    assert response.status_code == 200
    form = parse(response).select_one("form.registration-form")
    errors = form.select_one(f"#id_{field}_error").get_text()
    assert message in errors
    assert form.select_one(f"#id_{field}")["aria-invalid"] == "true"
    assert form.select_one(f"#id_{field}")["aria-describedby"].endswith(f"id_{field}_error")
    if field != "email":
        assert form.select_one("#id_email")["value"] == PERSON["email"]
    assert Registration.objects.count() == 0


def test_a_note_of_nothing_visible_is_stored_empty_and_line_breaks_are_kept(client, tree):
    event = upcoming_event(tree)

    register(client, event, note="\u200b\ufeff")
    register(client, event, email="taro@example.jp", note="一行目\r\n\t二行目")

    notes = Registration.objects.order_by("pk").values_list("note", flat=True)
    assert list(notes) == ["", "一行目\r\n\t二行目"]


def test_hostile_text_is_stored_as_text_and_escaped_everywhere(client, tree, mailoutbox):
    event = upcoming_event(tree)
    hostile = "<script>alert(1)</script>' OR 1=1 --"

    response = register(client, event, name=hostile, note=hostile)

    status = client.get(response["Location"]).content.decode()
    assert "<script>alert(1)</script>" not in status
    assert "&lt;script&gt;" in status
    assert Registration.objects.get().name == hostile
    assert "<script>alert(1)</script>" not in mailoutbox[0].alternatives[0][0]
    assert hostile in mailoutbox[0].body  # plain text is not HTML-escaped


def test_a_filled_honeypot_saves_nothing(client, tree):
    event = upcoming_event(tree)

    response = register(client, event, leave_blank="http://spam.example")

    assert response.status_code == 200
    assert "送信できませんでした" in parse(response).select_one(".form-errors").get_text()
    assert Registration.objects.count() == 0


@override_settings(REGISTRATION_RATE_LIMIT="3/h")
def test_too_many_submissions_from_one_address_are_slowed_down(client, tree):
    event = upcoming_event(tree, capacity=10)
    for number in range(3):
        assert register(client, event, email=f"person{number}@example.jp").status_code == 302

    response = register(client, event, email="person4@example.jp")

    assert response.status_code == 429
    assert "しばらく時間をおいて" in parse(response).select_one(".form-errors").get_text()
    assert Registration.objects.count() == 3
    assert parse(response).select_one("#id_email")["value"] == "person4@example.jp"


@override_settings(REGISTRATION_RATE_LIMIT="2/h", TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize("proxy_saw", ["10.0.0.1", "2001:db8::1", "not an address", "x" * 300])
def test_behind_a_proxy_the_limit_counts_the_address_the_proxy_saw(client, tree, proxy_saw):
    event = upcoming_event(tree, capacity=10)

    # The visitor may send any X-Forwarded-For; the proxy appends the address it saw. Unparsable
    # entries fall back to the connection's address, so they are limited all the same.
    codes = [
        client.post(
            event.url,
            {**PERSON, "email": f"p{number}@example.jp"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, {proxy_saw}",
        ).status_code
        for number in range(3)
    ]

    assert codes == [302, 302, 429]


@override_settings(REGISTRATION_RATE_LIMIT="1/h", TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_two_visitors_are_counted_apart(client, tree):
    event = upcoming_event(tree, capacity=10)

    first = register(client, event, email="a@example.jp", HTTP_X_FORWARDED_FOR="203.0.113.1")
    second = register(client, event, email="b@example.jp", HTTP_X_FORWARDED_FOR="203.0.113.2")

    assert (first.status_code, second.status_code) == (302, 302)


def test_a_post_without_the_csrf_token_is_refused(tree):
    event = upcoming_event(tree)

    response = Client(enforce_csrf_checks=True).post(event.url, PERSON)

    assert response.status_code == 403
    assert Registration.objects.count() == 0


def test_an_oversized_post_is_refused_without_a_server_error(client, tree):
    event = upcoming_event(tree)

    response = register(client, event, note="あ" * 3_000_000)

    assert response.status_code == 413  # the site's page, tests/test_size_limits.py
    assert Registration.objects.count() == 0


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=9
)
def test_an_email_failure_keeps_the_registration_and_says_so(client, tree, caplog):
    event = upcoming_event(tree)

    response = register(client, event)

    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.status_email_sent_at is None
    assert "まだお送りできていません" in parse(client.get(response["Location"])).get_text()
    assert "Could not send the confirmed email" in caplog.text


def test_cancelling_by_the_link_frees_the_seat_for_the_oldest_waitlisted_person(client, tree, mailoutbox):
    event = upcoming_event(tree, capacity=1, waitlist_enabled=True)
    register(client, event, email="first@example.jp")
    register(client, event, email="second@example.jp")
    register(client, event, email="third@example.jp")
    cancel_link = link_in(mailoutbox[0], "cancel")

    confirm_page = parse(client.get(cancel_link))
    assert confirm_page.select_one("main form button").get_text() == "キャンセルする"
    assert statuses(event)[0][1] == RegistrationStatus.CONFIRMED  # a GET changes nothing
    response = client.post(cancel_link)

    assert "キャンセルしました" in parse(response).select_one(".result-banner").get_text()
    assert statuses(event) == [
        ("first@example.jp", RegistrationStatus.CANCELLED),
        ("second@example.jp", RegistrationStatus.CONFIRMED),
        ("third@example.jp", RegistrationStatus.WAITLISTED),
    ]
    subjects = [message.subject for message in mailoutbox[3:]]
    assert subjects == [
        f"【キャンセル完了】{event.title} のお申込みを取り消しました",
        f"【参加確定】{event.title} キャンセル待ちから参加が確定しました",
    ]
    assert mailoutbox[4].to == ["second@example.jp"]
    again = client.post(cancel_link)
    assert "すでに取り消されています" in parse(again).select_one(".result-banner").get_text()
    assert len(mailoutbox) == 5


@pytest.mark.parametrize("token", ["nonsense", "WzEsOF0", "a" * 500, "V3pJ-_"])
def test_an_invalid_link_shows_a_clear_message(client, tree, token):
    event = upcoming_event(tree)
    register(client, event)

    for route in ("cancel", "registration"):
        for response in (
            client.get(f"{event.url}{route}/{token}/"),
            client.post(f"{event.url}{route}/{token}/"),
        ):
            assert response.status_code == 404
            assert "このリンクは無効です" in parse(response).select_one("main").get_text()
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED


def test_a_link_with_characters_no_token_has_is_not_found(client, tree):
    event = upcoming_event(tree)

    assert client.get(f"{event.url}cancel/%00/").status_code == 404


def test_a_status_link_cannot_cancel_and_a_link_belongs_to_its_event(client, tree, mailoutbox):
    event = upcoming_event(tree)
    other = upcoming_event(tree, slug="another-briefing")
    register(client, event)
    status_link = link_in(mailoutbox[0], "registration")
    cancel_link = link_in(mailoutbox[0], "cancel")
    status_token = status_link.rstrip("/").rsplit("/", 1)[1]
    cancel_token = cancel_link.rstrip("/").rsplit("/", 1)[1]

    assert client.post(f"{event.url}cancel/{status_token}/").status_code == 404
    assert client.post(f"{other.url}cancel/{cancel_token}/").status_code == 404
    assert Registration.objects.get().status == RegistrationStatus.CONFIRMED


def test_an_editor_can_preview_a_new_event_before_saving_it(client, tree, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("editor", "editor@example.org", "x"))
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=7))
    form = {
        "title": "新しい説明会",
        "slug": "new-briefing",
        "kind": "briefing",
        "starts_at": start.strftime("%Y-%m-%d %H:%M"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
        "registration_enabled": "on",
        "capacity": "20",
        "related_projects-TOTAL_FORMS": "0",
        "related_projects-INITIAL_FORMS": "0",
        "related_projects-MIN_NUM_FORMS": "0",
        "related_projects-MAX_NUM_FORMS": "1000",
    }
    preview_url = f"/admin/pages/add/projects/eventpage/{tree.events.pk}/preview/"

    assert client.post(preview_url, form).json()["is_valid"] is True
    response = client.get(preview_url)

    assert response.status_code == 200
    assert "残り20席" in response.content.decode()


def test_status_and_cancel_pages_are_private(client, tree, mailoutbox):
    event = upcoming_event(tree)
    register(client, event)

    response = client.get(link_in(mailoutbox[0], "registration"))

    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    # The head names no address of the page, so sharing it does not pass the private link on.
    head = parse(response).head
    assert head.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert head.find("link", rel="canonical") is None
    assert head.find("meta", property="og:url") is None
    assert link_in(mailoutbox[0], "registration").rstrip("/").rsplit("/", 1)[1] not in str(head)


def test_publishing_more_seats_promotes_the_waitlist_once_committed(
    client, tree, mailoutbox, django_capture_on_commit_callbacks
):
    event = upcoming_event(tree, capacity=1, waitlist_enabled=True)
    register(client, event, email="first@example.jp")
    register(client, event, email="second@example.jp")
    register(client, event, email="third@example.jp")

    event.capacity = 2
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event.save_revision().publish()
    assert statuses(event)[1][1] == RegistrationStatus.WAITLISTED  # nothing before the commit
    for callback in callbacks:
        callback()

    assert [status for _, status in statuses(event)] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]
    assert mailoutbox[-1].to == ["second@example.jp"]
