"""Registering as a pro bono worker without an account: double opt-in, the manage link for someone
already registered, self-service by signed link (update, pause, withdraw), bad input, and the staff
side (who sees the register, the newsletter CSV)."""

import base64
import datetime
import re
import time
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from wagtail.models import PageViewRestriction

from projects.models import (
    Area,
    Skill,
    SupportApplicationPage,
    Worker,
    WorkerRegistrationPage,
    WorkerStatus,
)
from projects.talent.workers.tokens import CONFIRM, MANAGE, make_token
from tests.builders import add_page, make_event, make_standard_page
from tests.html import parse

pytestmark = pytest.mark.django_db

PERSON = {
    "name": "山田 花子",
    "name_kana": "やまだ はなこ",
    "email": "hanako@example.jp",
    "phone": "042-620-1234",
    "years_of_experience": "10",
    "availability": ["weekday_evenings"],
    "hours_per_month": "8",
    "introduction": "会計事務所で10年働いています。",
    "newsletter": "on",
    "agree_privacy": "on",
}


@pytest.fixture
def join(tree):
    """The registration page, two skills and two areas to choose from."""
    page = add_page(tree.home, WorkerRegistrationPage(title="プロボノワーカー登録", slug="join"))
    Skill.objects.create(name="経理・会計", slug="accounting", sort_order=1)
    Skill.objects.create(name="デザイン", slug="design", sort_order=2)
    Area.objects.create(name="八王子市", slug="hachioji", sort_order=1)
    Area.objects.create(name="高尾・浅川", slug="takao", sort_order=2)
    return page


def person(**changes):
    data = {
        **PERSON,
        "skills": [str(Skill.objects.get(slug="accounting").pk)],
        "areas": [str(Area.objects.get(slug="hachioji").pk)],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def submit(client, join, **changes):
    return client.post(join.url, person(**changes))


def link_in(message, route):
    return re.search(rf"http://testserver(/join/{route}/[^/\s]+/)", message.body).group(1)


def registered(client, join, mailoutbox, **changes):
    """Register and confirm; the worker and their manage link."""
    submit(client, join, **changes)
    response = client.get(link_in(mailoutbox[-1], "confirm"))
    assert response.status_code == 200
    email = changes.get("email", PERSON["email"])
    return Worker.objects.get(email=email), link_in(mailoutbox[-1], "manage")


# The form


def test_the_form_offers_every_field_grouped_and_the_privacy_policy(client, join, tree):
    make_standard_page(tree.home, title="プライバシーポリシー", slug="privacy")
    past = make_event(tree.events, title="説明会(第1回)", slug="briefing-1")
    make_event(
        tree.events,
        title="これからの説明会",
        slug="briefing-next",
        starts_at=timezone.now() + datetime.timedelta(days=10),
    )

    response = client.get(join.url)

    form = parse(response).select_one("form.worker-form")
    names = {field["name"] for field in form.select("input, textarea, select") if field.get("name")}
    assert {
        "name", "name_kana", "email", "phone", "skills", "years_of_experience", "availability",
        "hours_per_month", "areas", "briefing", "introduction", "newsletter", "agree_privacy", "leave_blank",
    } <= names  # fmt: skip
    legends = [legend.get_text(strip=True) for legend in form.select("fieldset > legend")]
    assert legends == ["生かせるスキル必須", "活動しやすい時間帯任意", "活動できる地域任意"]
    assert form.select_one('a[href="/privacy/"]').get_text() == "個人情報の取り扱い"
    briefings = [option.get_text() for option in form.select("#id_briefing option")]
    assert briefings == ["参加していない・覚えていない", "説明会(第1回)(2016年9月25日)"]
    assert form.select_one("#id_briefing option[value]:not([value=''])")["value"] == str(past.pk)


# Double opt-in


def test_registering_creates_a_pending_worker_and_emails_a_confirmation_link(client, join, mailoutbox):
    response = submit(client, join)

    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert "確認メールをお送りしました" in parse(thanks).select_one(".result-banner").get_text()
    worker = Worker.objects.get()
    assert worker.status == WorkerStatus.PENDING
    assert (worker.name, worker.email, worker.hours_per_month) == ("山田 花子", "hanako@example.jp", 8)
    assert (worker.weekday_evenings, worker.weekends, worker.newsletter) == (True, False, True)
    assert [skill.slug for skill in worker.skills.all()] == ["accounting"]
    assert [area.slug for area in worker.areas.all()] == ["hachioji"]
    message = mailoutbox[0]
    assert message.to == ["hanako@example.jp"]
    assert "【要確認】" in message.subject
    assert "山田 花子 様" in message.body
    assert link_in(message, "confirm") in message.alternatives[0][0]


def test_the_thanks_page_shows_the_pages_own_message(client, join):
    join.thanks = "説明会でお会いしましょう。"
    join.save_revision().publish()

    response = client.get(submit(client, join)["Location"])

    assert "説明会でお会いしましょう。" in parse(response).select_one("main").get_text()


def test_opening_the_link_activates_the_worker_once(client, join, mailoutbox):
    submit(client, join)
    confirm_link = link_in(mailoutbox[0], "confirm")

    response = client.get(confirm_link)

    assert "登録が完了しました" in parse(response).select_one(".result-banner").get_text()
    worker = Worker.objects.get()
    assert worker.status == WorkerStatus.ACTIVE and worker.confirmed_at is not None
    assert "【登録完了】" in mailoutbox[1].subject
    manage_link = link_in(mailoutbox[1], "manage")
    assert parse(response).select_one(f'a[href="{manage_link}"]')

    again = client.get(confirm_link)
    assert "すでに済んでいます" in parse(again).select_one(".result-banner").get_text()
    assert len(mailoutbox) == 2
    assert Worker.objects.get().confirmed_at == worker.confirmed_at


def signed_days_ago(days):
    class Signer(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - days * 24 * 3600)

    return Signer


def token_for(worker, purpose, signer=signing.TimestampSigner):
    signed = signer(salt=purpose).sign_object([worker.pk])
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def test_a_confirmation_link_expires_after_seven_days(client, join, mailoutbox):
    submit(client, join)
    worker = Worker.objects.get()

    response = client.get(f"{join.url}confirm/{token_for(worker, CONFIRM, signed_days_ago(8))}/")

    assert response.status_code == 404
    assert "有効期限が切れています" in parse(response).select_one("main").get_text()
    assert Worker.objects.get().status == WorkerStatus.PENDING

    # Days later (the day's one email per address long over), submitting again sends a fresh link.
    cache.clear()
    submit(client, join, email="ＨＡＮＡＫＯ@example.jp")
    assert Worker.objects.count() == 1
    assert client.get(link_in(mailoutbox[1], "confirm")).status_code == 200
    assert Worker.objects.get().status == WorkerStatus.ACTIVE


def test_a_six_day_old_confirmation_link_still_works(client, join):
    submit(client, join)
    worker = Worker.objects.get()

    response = client.get(f"{join.url}confirm/{token_for(worker, CONFIRM, signed_days_ago(6))}/")

    assert response.status_code == 200
    assert Worker.objects.get().status == WorkerStatus.ACTIVE


def test_a_manage_link_does_not_expire(client, join, mailoutbox):
    worker, _ = registered(client, join, mailoutbox)

    response = client.get(f"{join.url}manage/{token_for(worker, MANAGE, signed_days_ago(400))}/")

    assert response.status_code == 200
    assert parse(response).select_one("#id_name")["value"] == "山田 花子"


@pytest.mark.parametrize("token", ["nonsense", "WzEsOF0", "a" * 500, "V3pJ-_", "%E3%81%82"])
def test_a_tampered_or_invalid_link_is_refused_with_a_japanese_page(client, join, mailoutbox, token):
    submit(client, join)

    for url in (f"confirm/{token}/", f"manage/{token}/", f"manage/{token}/withdraw/"):
        response = client.get(join.url + url)
        assert response.status_code == 404
        assert "このリンクは無効です" in parse(response).select_one("main").get_text()
    assert client.post(f"{join.url}manage/{token}/withdraw/").status_code == 404
    assert Worker.objects.get().status == WorkerStatus.PENDING


def test_a_link_of_one_purpose_does_not_work_for_another(client, join, mailoutbox):
    submit(client, join)
    confirm_token = link_in(mailoutbox[0], "confirm").rstrip("/").rsplit("/", 1)[1]

    assert client.post(f"{join.url}manage/{confirm_token}/withdraw/").status_code == 404
    assert client.get(f"{join.url}manage/{confirm_token}/").status_code == 404
    # A token signed with another secret is refused too.
    with override_settings(SECRET_KEY="another secret key, long enough to be a real one 0123456789"):
        forged = signing.dumps([Worker.objects.get().pk], salt="projects.talent.worker.manage")
    forged = base64.urlsafe_b64encode(forged.encode()).decode().rstrip("=")
    assert client.get(f"{join.url}manage/{forged}/").status_code == 404
    assert Worker.objects.get().status == WorkerStatus.PENDING


# One registration per address


@pytest.mark.parametrize(
    "email", ["hanako@example.jp", "Hanako@EXAMPLE.jp", "ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ"]
)
def test_a_registered_address_gets_its_manage_link_and_no_new_row(client, join, mailoutbox, email):
    worker, manage_link = registered(client, join, mailoutbox)

    response = submit(client, join, email=email, name="別の名前")

    # The same thank-you page: whether an address is registered is never shown.
    assert response.status_code == 302 and response["Location"].endswith("/join/thanks/")
    assert Worker.objects.count() == 1
    assert Worker.objects.get().name == "山田 花子"
    message = mailoutbox[-1]
    assert "【ご案内】" in message.subject
    assert message.to == ["hanako@example.jp"]
    assert link_in(message, "manage")
    assert "confirm/" not in message.body


def test_a_pending_address_gets_one_confirmation_link_a_day(client, join, mailoutbox):
    responses = [submit(client, join) for _ in range(3)]

    assert {response["Location"] for response in responses} == {"/join/thanks/"}
    assert Worker.objects.count() == 1
    assert [message.subject[:5] for message in mailoutbox] == ["【要確認】"]


def test_a_registered_address_gets_its_manage_link_once_a_day_and_the_page_never_tells(
    client, join, mailoutbox
):
    registered(client, join, mailoutbox)
    mailoutbox.clear()
    stranger = Client()

    repeated = [submit(stranger, join, name=f"いたずら {number}") for number in range(5)]
    new_person = submit(stranger, join, email="new@example.jp")

    assert [message.to for message in mailoutbox] == [["hanako@example.jp"], ["new@example.jp"]]
    locations = {response["Location"] for response in [*repeated, new_person]}
    assert locations == {"/join/thanks/"}
    assert Worker.objects.count() == 2


def test_the_email_quotes_a_long_name_only_in_part(client, join, mailoutbox):
    submit(
        client, join, name="当選おめでとうございます 賞金は http://phish.example/claim からお受け取りください"
    )

    body = mailoutbox[0].body
    assert "当選おめでとうございます" in body and "phish.example/claim" not in body
    assert "phish.example/claim" not in mailoutbox[0].alternatives[0][0]


def test_while_the_cache_is_down_only_a_new_registration_is_emailed(client, join, mailoutbox):
    from tests.network import closed_port
    from tests.test_cache_outage import site_redis

    registered(client, join, mailoutbox)
    mailoutbox.clear()
    with override_settings(CACHES=site_redis(closed_port())):
        codes = [submit(client, join).status_code for _ in range(3)]
        codes.append(submit(client, join, email="new@example.jp").status_code)

    assert codes == [302] * 4
    assert [message.to for message in mailoutbox] == [["new@example.jp"]]


def test_after_withdrawing_the_address_may_register_again(client, join, mailoutbox):
    worker, manage_link = registered(client, join, mailoutbox)
    client.post(manage_link + "withdraw/")

    submit(client, join)

    assert Worker.objects.count() == 2
    assert Worker.objects.filter(status=WorkerStatus.PENDING, email="hanako@example.jp").exists()


# Self-service by link


def test_the_manage_page_shows_the_profile_and_updates_it(client, join, mailoutbox):
    worker, manage_link = registered(client, join, mailoutbox)
    design = Skill.objects.get(slug="design")
    takao = Area.objects.get(slug="takao")

    page = parse(client.get(manage_link))
    assert page.select_one("#id_name")["value"] == "山田 花子"
    assert page.select_one("#id_email") is None  # the address is not editable
    assert "hanako@example.jp" in page.select_one(".facts").get_text()

    response = client.post(
        manage_link,
        person(
            action="update",
            name="山田 はな子",
            skills=[str(design.pk)],
            areas=[str(takao.pk)],
            availability=["weekends"],
            email="someone-else@example.jp",
        ),
    )

    assert "変更しました" in parse(response).select_one(".result-banner").get_text()
    worker.refresh_from_db()
    assert (worker.name, worker.email, worker.weekends, worker.weekday_evenings) == (
        "山田 はな子",
        "hanako@example.jp",
        True,
        False,
    )
    assert list(worker.skills.all()) == [design] and list(worker.areas.all()) == [takao]
    assert worker.status == WorkerStatus.ACTIVE


def test_a_briefing_visitors_can_no_longer_see_stays_on_the_workers_own_page_and_is_kept(
    client, join, mailoutbox, tree
):
    briefing = make_event(tree.events, title="説明会(第1回)", slug="briefing-1")
    worker, manage_link = registered(client, join, mailoutbox, briefing=str(briefing.pk))
    PageViewRestriction.objects.create(page=briefing, restriction_type="login")

    chosen = parse(client.get(manage_link)).select_one("#id_briefing option[selected]")
    response = client.post(manage_link, person(action="update", name="山田 はな子", briefing=chosen["value"]))

    assert chosen.get_text() == "説明会(第1回)(2016年9月25日)"
    assert "変更しました" in parse(response).select_one(".result-banner").get_text()
    worker.refresh_from_db()
    assert (worker.name, worker.briefing_id) == ("山田 はな子", briefing.pk)
    assert "説明会(第1回)" not in parse(client.get(join.url)).select_one("#id_briefing").get_text()


def test_a_profile_saved_after_a_withdrawal_never_brings_the_data_back(client, join, mailoutbox):
    from projects.talent.workers import services as worker_services

    worker, manage_link = registered(client, join, mailoutbox)
    stale = Worker.objects.get(pk=worker.pk)  # the manage page loaded in another tab
    worker_services.withdraw(worker)

    assert worker_services.update(stale, {"name": "山田 花子", "skills": [], "areas": []}) is False
    worker.refresh_from_db()
    assert (worker.status, worker.name, worker.email) == (WorkerStatus.WITHDRAWN, "", "")


def test_an_invalid_update_keeps_the_profile_and_says_why(client, join, mailoutbox):
    worker, manage_link = registered(client, join, mailoutbox)

    response = client.post(manage_link, person(action="update", name="", hours_per_month="500"))

    assert response.status_code == 200
    page = parse(response)
    assert "氏名を入力してください" in page.select_one("#id_name_error").get_text()
    assert "200以下" in page.select_one("#id_hours_per_month_error").get_text()
    assert Worker.objects.get().name == "山田 花子"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("\u200b\ufeff", "氏名を入力してください。"),
        ("山田\x01花子", "表示できない文字"),
        ("\u202e子花田山", "表示できない文字"),
        ("山" * 101, "100 文字以下"),
    ],
)
def test_the_manage_form_refuses_hostile_names_the_same_way(client, join, mailoutbox, name, message):
    worker, manage_link = registered(client, join, mailoutbox)

    response = client.post(manage_link, person(action="update", name=name))

    assert response.status_code == 200
    assert message in parse(response).select_one("#id_name_error").get_text()
    assert Worker.objects.get().name == "山田 花子"


def test_pausing_and_resuming_availability(client, join, mailoutbox):
    worker, manage_link = registered(client, join, mailoutbox)

    paused = client.post(manage_link, {"action": "pause"})
    assert "休止しました" in parse(paused).select_one(".result-banner").get_text()
    assert Worker.objects.get().status == WorkerStatus.PAUSED

    resumed = client.post(manage_link, {"action": "resume"})
    assert "再開しました" in parse(resumed).select_one(".result-banner").get_text()
    assert Worker.objects.get().status == WorkerStatus.ACTIVE


def test_a_pending_worker_cannot_pause(client, join, mailoutbox):
    submit(client, join)
    worker = Worker.objects.get()
    client.post(f"{join.url}manage/{make_token(worker, MANAGE)}/", {"action": "pause"})

    assert Worker.objects.get().status == WorkerStatus.PENDING


def test_an_unknown_action_is_refused_plainly(client, join, mailoutbox):
    worker, manage_link = registered(client, join, mailoutbox)

    response = client.post(manage_link, {"action": "<script>"})

    assert response.status_code == 400
    assert "操作を受け付けられませんでした" in parse(response).select_one(".form-errors").get_text()


def test_withdrawing_asks_first_then_erases_personal_data_and_keeps_the_count(client, join, mailoutbox):
    worker, manage_link = registered(client, join, mailoutbox)
    withdraw_link = manage_link + "withdraw/"

    asked = client.get(withdraw_link)
    assert "退会する" in parse(asked).select_one("main form button").get_text()
    assert Worker.objects.get().status == WorkerStatus.ACTIVE

    done = client.post(withdraw_link)

    assert "退会しました" in parse(done).select_one(".result-banner").get_text()
    worker = Worker.objects.get()
    assert worker.status == WorkerStatus.WITHDRAWN and worker.withdrawn_at is not None
    assert (worker.name, worker.name_kana, worker.email, worker.phone, worker.introduction) == ("",) * 5
    assert (worker.newsletter, worker.briefing, worker.skills.count(), worker.areas.count()) == (
        False,
        None,
        0,
        0,
    )
    assert Worker.objects.count() == 1
    goodbye = mailoutbox[-1]
    assert "【退会完了】" in goodbye.subject and goodbye.to == ["hanako@example.jp"]
    assert "山田" not in goodbye.body

    # The links now say so, and change nothing.
    assert "退会済み" in parse(client.get(manage_link)).select_one(".result-banner").get_text()
    assert "退会済み" in parse(client.post(withdraw_link)).select_one(".result-banner").get_text()
    assert client.post(manage_link, person(action="update")).status_code == 200
    assert Worker.objects.get().name == ""
    assert len(mailoutbox) == 3


def test_personal_pages_are_private_and_the_form_page_cacheable(client, join, mailoutbox):
    worker, manage_link = registered(client, join, mailoutbox)
    confirm_link = link_in(mailoutbox[0], "confirm")

    for url in (manage_link, manage_link + "withdraw/", confirm_link, join.url + "thanks/"):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url
        assert response["X-Robots-Tag"] == "noindex"
        head = parse(response).head
        assert head.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        assert head.find("link", rel="canonical") is None
    form_page = client.get(join.url)
    assert "no-store" not in form_page.get("Cache-Control", "")


# Bad input


def test_input_is_normalized(client, join):
    submit(
        client,
        join,
        name="　山田　　花子 ",
        name_kana="ヤマダ ﾊﾅｺ",
        email="ｈａｎａｋｏ＠ＥＸＡＭＰＬＥ．ｊｐ",
        phone="０４２ー６２０ー１２３４",
        years_of_experience="１２",
    )

    worker = Worker.objects.get()
    assert (worker.name, worker.name_kana) == ("山田 花子", "ヤマダ ハナコ")
    assert (worker.email, worker.phone, worker.years_of_experience) == (
        "hanako@example.jp",
        "042-620-1234",
        12,
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "氏名を入力してください。"),
        ({"email": "hanako@"}, "email", "メールアドレスの形式が正しくありません"),
        ({"email": "a" * 300 + "@example.jp"}, "email", ""),
        ({"name_kana": "Yamada"}, "name_kana", "ひらがな、またはカタカナ"),
        ({"phone": "abc"}, "phone", "電話番号は"),
        ({"skills": []}, "skills", "スキルを1つ以上選んでください。"),
        ({"skills": ["999999"]}, "skills", "選択肢の中から選んでください。"),
        ({"skills": ["abc"]}, "skills", "選択肢の中から選んでください。"),
        ({"skills": ["99999999999999999999999"]}, "skills", "選択肢の中から選んでください。"),
        ({"areas": ["-1"]}, "areas", "選択肢の中から選んでください。"),
        ({"availability": ["always"]}, "availability", "選択肢の中から選んでください。"),
        ({"briefing": "abc"}, "briefing", "選択肢の中から選んでください。"),
        ({"briefing": "99999999999999999999999"}, "briefing", "選択肢の中から選んでください。"),
        ({"areas": ["１"]}, "areas", "選択肢の中から選んでください。"),
        ({"years_of_experience": ""}, "years_of_experience", "数字で入力してください。"),
        ({"years_of_experience": "ten"}, "years_of_experience", "数字で入力してください"),
        ({"years_of_experience": "71"}, "years_of_experience", "70以下"),
        ({"years_of_experience": "-1"}, "years_of_experience", "0以上"),
        ({"years_of_experience": "9" * 400}, "years_of_experience", ""),
        ({"hours_per_month": "1e9"}, "hours_per_month", ""),
        ({"introduction": "あ" * 1001}, "introduction", "1000"),
        ({"introduction": "㌀" * 300}, "introduction", "1000文字以内"),
        ({"name": "山田\x00花子"}, "name", ""),
        ({"agree_privacy": ""}, "agree_privacy", "同意が必要です"),
        ({"name": "\u200b\u200c\u200d\u2060\ufeff"}, "name", "氏名を入力してください。"),
        ({"name": " \u3000\t"}, "name", "氏名を入力してください。"),
        ({"name": "山田\t花子"}, "name", "表示できない文字"),
        ({"name": "山田\x9b花子"}, "name", "表示できない文字"),
        ({"name": "\u202e子花田山"}, "name", "表示できない文字"),
        ({"introduction": "よろしく\x08お願いします"}, "introduction", "表示できない文字"),
        ({"introduction": "\u2067よろしく"}, "introduction", "表示できない文字"),
        ({"email": '"a\x01b"@example.jp'}, "email", "メールアドレスに使えない文字"),
        ({"email": "hanako@example.jp\nBcc: x@example.jp"}, "email", "メールアドレスに使えない文字"),
    ],
)
def test_bad_input_gets_a_japanese_error_and_keeps_what_was_typed(client, join, changes, field, message):
    response = submit(client, join, **changes)

    assert response.status_code == 200
    form = parse(response).select_one("form.worker-form")
    assert message in form.select_one(f"#id_{field}_error").get_text()
    assert form.select_one(f".form-errors a[href='#id_{field}']")
    described = form.select_one(f"#id_{field}")["aria-describedby"]
    assert described.endswith(f"id_{field}_error")
    if field != "email":
        assert form.select_one("#id_email")["value"] == PERSON["email"]
    assert Worker.objects.count() == 0


def test_a_briefing_that_has_not_happened_cannot_be_chosen(client, join, tree):
    upcoming = make_event(
        tree.events, slug="briefing-next", starts_at=timezone.now() + datetime.timedelta(days=3)
    )

    response = submit(client, join, briefing=str(upcoming.pk))

    assert "選択肢の中から" in parse(response).select_one("#id_briefing_error").get_text()
    assert Worker.objects.count() == 0


def test_a_briefing_visitors_cannot_see_is_neither_offered_nor_accepted(client, join, tree):
    restricted = make_event(tree.events, title="関係者限定の説明会", slug="briefing-staff")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    draft = make_event(tree.events, title="公開前の説明会", slug="briefing-draft")
    draft.unpublish()

    page = parse(client.get(join.url))
    refused = [submit(client, join, briefing=str(event.pk)) for event in (restricted, draft)]

    assert "関係者限定" not in page.get_text() and "公開前" not in page.get_text()
    for response in refused:
        assert "選択肢の中から" in parse(response).select_one("#id_briefing_error").get_text()
    assert Worker.objects.count() == 0


def test_hostile_text_is_stored_as_text_and_escaped_everywhere(client, join, mailoutbox):
    hostile = "<script>alert(1)</script>' OR 1=1 --"

    submit(client, join, name=hostile, introduction=hostile)
    response = client.get(link_in(mailoutbox[0], "confirm"))

    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "&lt;script&gt;" in response.content.decode()
    assert Worker.objects.get().introduction == hostile
    assert "<script>alert(1)</script>" not in mailoutbox[0].alternatives[0][0]
    assert hostile in mailoutbox[0].body


def test_non_utf8_bytes_get_a_form_error_not_a_server_error(client, join):
    response = client.post(
        join.url,
        b"name=%FF%FE&email=hanako%40example.jp&skills=%FF",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code in (200, 400)
    assert Worker.objects.count() == 0


def test_an_oversized_post_is_refused_without_a_server_error(client, join):
    response = submit(client, join, introduction="あ" * 3_000_000)

    assert response.status_code == 413  # the site's page, tests/test_size_limits.py
    assert Worker.objects.count() == 0


def test_a_filled_honeypot_saves_nothing_and_sends_nothing(client, join, mailoutbox):
    response = submit(client, join, leave_blank="http://spam.example")

    assert response.status_code == 200
    assert "送信できませんでした" in parse(response).select_one(".form-errors").get_text()
    assert Worker.objects.count() == 0 and mailoutbox == []


@override_settings(REGISTRATION_RATE_LIMIT="3/h")
def test_too_many_submissions_from_one_address_are_slowed_down(client, join, mailoutbox):
    for number in range(3):
        assert submit(client, join, email=f"person{number}@example.jp").status_code == 302

    response = submit(client, join, email="person4@example.jp")

    assert response.status_code == 429
    assert "しばらく時間をおいて" in parse(response).select_one(".form-errors").get_text()
    assert Worker.objects.count() == 3
    assert parse(response).select_one("#id_email")["value"] == "person4@example.jp"


def test_a_post_without_the_csrf_token_is_refused(join, mailoutbox):
    csrf_client = Client(enforce_csrf_checks=True)

    assert csrf_client.post(join.url, person()).status_code == 403
    assert Worker.objects.count() == 0


def test_the_form_carries_a_csrf_token_that_works(join):
    csrf_client = Client(enforce_csrf_checks=True)
    token = parse(csrf_client.get(join.url)).select_one("input[name=csrfmiddlewaretoken]")["value"]

    response = csrf_client.post(join.url, {**person(), "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert Worker.objects.count() == 1


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=9
)
def test_an_email_failure_is_logged_without_personal_data_and_the_person_may_resubmit(client, join, caplog):
    response = submit(client, join)

    assert response.status_code == 302
    assert Worker.objects.get().status == WorkerStatus.PENDING
    assert "Could not send the worker confirm email" in caplog.text
    assert "hanako" not in caplog.text and "山田" not in caplog.text
    assert submit(client, join).status_code == 302
    assert Worker.objects.count() == 1


# The staff side


def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def office(django_user_model):
    """A member of 事務局, the group the migrations create."""
    user = django_user_model.objects.create_user("jimukyoku", "office@example.com", "x")
    user.groups.add(Group.objects.get(name="事務局"))
    return admin_client(user)


@pytest.fixture
def editor(django_user_model):
    """A member of 編集者: writes pages and manages terms, but is not 事務局."""
    user = django_user_model.objects.create_user("henshu", "editor@example.com", "x")
    user.groups.add(Group.objects.get(name="編集者"))
    return admin_client(user)


@pytest.fixture
def workers(client, join, mailoutbox):
    """Three workers: active with the newsletter, active without it, and pending with it."""
    registered(client, join, mailoutbox, email="hanako@example.jp", name="山田 花子")
    registered(client, join, mailoutbox, email="taro@example.jp", name="佐藤 太郎", newsletter=None)
    submit(client, join, email="jiro@example.jp", name="鈴木 次郎")
    return Worker.objects.order_by("pk")


WORKERS_URL = "/admin/projects/workers/"
CSV_URL = "/admin/projects/workers/newsletter.csv"


def test_office_lists_searches_filters_and_inspects_workers(office, workers):
    listing = office.get(WORKERS_URL)
    assert listing.status_code == 200
    text = parse(listing).select_one("main").get_text()
    assert "山田 花子" in text and "佐藤 太郎" in text and "鈴木 次郎" in text

    found = parse(office.get(WORKERS_URL, {"q": "taro@"})).select_one("main").get_text()
    assert "佐藤 太郎" in found and "山田 花子" not in found

    pending = parse(office.get(WORKERS_URL, {"status": "pending"})).select_one("main").get_text()
    assert "鈴木 次郎" in pending and "山田 花子" not in pending

    design = Skill.objects.get(slug="design")
    workers.get(name="佐藤 太郎").skills.add(design)
    by_skill = parse(office.get(WORKERS_URL, {"skills": design.pk})).select_one("main").get_text()
    assert "佐藤 太郎" in by_skill and "山田 花子" not in by_skill

    hanako = workers.get(name="山田 花子")
    assert parse(listing).select_one(f'main a[href="{WORKERS_URL}inspect/{hanako.pk}/"]')  # not edit
    inspect = office.get(f"{WORKERS_URL}inspect/{hanako.pk}/")
    assert inspect.status_code == 200
    assert "hanako@example.jp" in inspect.content.decode()


def test_the_admin_adds_and_edits_no_worker(office, workers):
    worker = workers.first()

    assert office.get(f"{WORKERS_URL}new/").status_code in (302, 403)
    assert office.post(f"{WORKERS_URL}edit/{worker.pk}/", {"name": "x"}).status_code in (302, 403)
    assert Worker.objects.get(pk=worker.pk).name == "山田 花子"
    assert Worker.objects.count() == 3


def test_office_withdraws_a_worker_on_request_erasing_the_data_and_keeping_the_row(
    office, workers, mailoutbox
):
    worker = workers.get(name="山田 花子")
    url = f"{WORKERS_URL}delete/{worker.pk}/"

    asked = office.get(url)
    assert asked.status_code == 200
    assert "個人情報" in asked.content.decode() and "退会として記録します" in asked.content.decode()

    response = office.post(url)

    assert response.status_code == 302
    worker.refresh_from_db()
    assert worker.status == WorkerStatus.WITHDRAWN and worker.withdrawn_at is not None
    assert (worker.name, worker.email, worker.phone, worker.skills.count()) == ("", "", "", 0)
    assert Worker.objects.count() == 3
    assert mailoutbox[-1].to == ["hanako@example.jp"] and "【退会完了】" in mailoutbox[-1].subject
    # Once withdrawn there is nothing left to erase.
    assert office.post(url).status_code in (302, 403)
    assert len([m for m in mailoutbox if "【退会完了】" in m.subject]) == 1


def test_an_editor_sees_no_worker_data_anywhere_in_the_admin(editor, workers):
    for url in (WORKERS_URL, f"{WORKERS_URL}inspect/{workers.first().pk}/", CSV_URL):
        response = editor.get(url)
        assert response.status_code in (302, 403), url
        assert "hanako" not in response.content.decode()
    assert editor.post(f"{WORKERS_URL}delete/{workers.first().pk}/").status_code in (302, 403)
    assert Worker.objects.get(pk=workers.first().pk).name == "山田 花子"
    dashboard = editor.get("/admin/").content.decode()
    assert WORKERS_URL not in dashboard and "hanako@example.jp" not in dashboard
    search = editor.get("/admin/pages/search/", {"q": "山田"}).content.decode()
    assert "山田 花子" not in search and "hanako@example.jp" not in search
    # 分類 still lets an editor manage the skills themselves.
    assert editor.get("/admin/snippets/projects/skill/").status_code == 200


def test_office_has_the_menu_item(office, workers):
    assert WORKERS_URL in office.get("/admin/").content.decode()


def test_the_newsletter_csv_lists_active_subscribers_for_excel(office, workers):
    hanako = workers.get(name="山田 花子")
    hanako.introduction = "=HYPERLINK(1)"
    hanako.name = "=cmd|' /C calc'!A0"
    hanako.save()

    response = office.get(CSV_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="newsletter-')
    assert "no-store" in response["Cache-Control"]
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "氏名,ふりがな,メールアドレス,スキル,活動できる地域,登録日時"
    assert lines[1].startswith("'=cmd|' /C calc'!A0,やまだ はなこ,hanako@example.jp,経理・会計,八王子市,")
    assert lines[2:] == [""]  # 佐藤 declined the newsletter, 鈴木 has not confirmed


def test_paused_and_withdrawn_workers_are_not_in_the_newsletter_csv(office, workers, client, mailoutbox):
    manage_link = link_in(mailoutbox[1], "manage")  # 山田 花子's welcome email
    client.post(manage_link, {"action": "pause"})

    assert office.get(CSV_URL).content.decode("utf-8-sig").split("\r\n")[1:] == [""]

    client.post(manage_link, {"action": "resume"})
    assert "hanako@example.jp" in office.get(CSV_URL).content.decode("utf-8-sig")
    client.post(manage_link + "withdraw/")
    assert "hanako" not in office.get(CSV_URL).content.decode("utf-8-sig")


# The demo


@pytest.mark.demo
def test_the_demo_has_skills_for_the_support_menus_a_registration_page_and_workers(client):
    call_command("load_demo", stdout=StringIO())  # a second run duplicates nothing

    assert Skill.objects.count() == 11
    accounting = Skill.objects.get(name="経理・会計")
    assert set(accounting.support_menus.values_list("slug", flat=True)) == {
        "accounting",
        "business-plan",
        "fundraising-plan",
    }
    statuses = sorted(Worker.objects.values_list("status", flat=True))
    assert statuses == ["active"] * 5 + ["paused", "pending"]
    assert parse(client.get("/probono/")).select_one('main a[href="/probono/join/"]')
    join = parse(client.get("/probono/join/"))
    assert join.select_one("h1").get_text() == "プロボノワーカー登録"
    assert len(join.select("input[name=skills]")) == 11
    assert "プロボノワーカー募集説明会(第1回)" in join.select_one("#id_briefing").get_text()
    assert SupportApplicationPage.objects.live().get().url == "/probono/apply/"
    privacy = parse(client.get("/privacy/")).select_one("main").get_text()
    assert "プロボノワーカーの登録情報" in privacy and "退会すると" in privacy


# Simultaneous submissions


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_simultaneous_registrations_with_one_address_make_one_worker(settings, mailoutbox):
    """On PostgreSQL the requests run in parallel threads, each with its own connection, so the unique
    constraint (and the view's handling of its error) is what keeps one row; SQLite runs them in turn."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import close_old_connections, connection

    from tests.builders import home_page

    settings.REGISTRATION_RATE_LIMIT = None
    page = add_page(home_page(), WorkerRegistrationPage(title="プロボノワーカー登録", slug="join"))
    skill = Skill.objects.create(name="経理・会計", slug="accounting")
    data = {**PERSON, "skills": [str(skill.pk)]}

    def post(number):
        try:
            email = "hanako@example.jp" if number % 2 else "HANAKO@example.jp"
            return Client().post(page.url, {**data, "email": email}).status_code
        finally:
            close_old_connections()
            connection.close()

    workers = 20 if connection.vendor == "postgresql" else 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        codes = list(pool.map(post, range(20)))

    assert codes == [302] * 20
    assert Worker.objects.count() == 1
    assert len(mailoutbox) == 1  # one confirmation link for the one pending worker


def test_sign_ups_never_confirmed_are_deleted_after_the_link_expires(client, join, mailoutbox):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    submit(client, join, email="old@example.jp")
    submit(client, join, email="recent@example.jp")
    confirmed, _link = registered(client, join, mailoutbox, email="confirmed@example.jp")
    Worker.objects.exclude(email="recent@example.jp").update(created_at=timezone.now() - timedelta(days=8))

    output = StringIO()
    call_command("purge_unconfirmed_workers", "--dry-run", stdout=output)
    assert "1 件" in output.getvalue() and Worker.objects.count() == 3
    call_command("purge_unconfirmed_workers", stdout=output)

    remaining = sorted(Worker.objects.values_list("email", flat=True))
    assert remaining == ["confirmed@example.jp", "recent@example.jp"]
