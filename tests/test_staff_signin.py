"""Staff sign-in through the real login forms: lockout after failed passwords, and the second step.

Every login here is a POST to /admin/login/ or /django-admin/login/ with CSRF checks on, from a given
address; codes are computed from the device's key as an authenticator app would.
"""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import PageViewRestriction

from tests.builders import make_article, make_user

pytestmark = pytest.mark.django_db

OFFICE = "203.0.113.10"
ELSEWHERE = "198.51.100.20"
ADMIN_LOGINS = ["/admin/login/", "/django-admin/login/"]
LOCKED_HEADING = "サインインを一時停止しています"


def browser():
    return Client(enforce_csrf_checks=True)


def sign_in(client, username, password, *, login="/admin/login/", ip=OFFICE, **extra):
    """The login form's POST, with the CSRF token the form page set."""
    client.get(login, REMOTE_ADDR=ip, **extra)
    next_url = "/django-admin/" if login.startswith("/django-admin/") else "/admin/"
    return client.post(
        login,
        {
            "username": username,
            "password": password,
            "next": next_url,
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
        REMOTE_ADDR=ip,
        **extra,
    )


def post_form(client, url, data):
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def signed_in(client):
    return "_auth_user_id" in client.session


def text_of(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def errors(response):
    """The messages next to the field and above the form."""
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(node.get_text(" ", strip=True) for node in soup.select(".error-message, .messages li"))


def code_for(device, steps_ahead=0):
    """The code an authenticator app shows now (or `steps_ahead` 30-second steps later)."""
    return f"{totp(device.bin_key, drift=steps_ahead):06d}"


def staff(username, *groups, is_staff=False, superuser=False):
    user = make_user(username, *groups)
    user.set_password("correct-horse")
    user.is_staff = is_staff or superuser
    user.is_superuser = superuser
    user.save()
    return user


@pytest.fixture
def editor(db):
    """編集者: two-factor authentication is optional; is_staff so the Django admin also lets them in."""
    return staff("henshu", "編集者", is_staff=True)


@pytest.fixture
def office(db):
    """事務局: two-factor authentication is required."""
    return staff("jimu", "事務局")


def fail(client, username, times, **kwargs):
    return [sign_in(client, username, "wrong-password", **kwargs) for _ in range(times)]


# Lockout of failed passwords


@pytest.mark.parametrize("login", ADMIN_LOGINS)
def test_the_right_password_after_too_many_wrong_ones_is_refused_with_a_japanese_page(login, editor):
    client = browser()
    first, *_, last = fail(client, "henshu", settings.AXES_FAILURE_LIMIT, login=login)
    assert first.status_code == 200  # the form again, with its error

    assert last.status_code == 429
    response = sign_in(client, "henshu", "correct-horse", login=login)

    assert response.status_code == 429
    assert LOCKED_HEADING in text_of(response)
    assert "15分ほど待ってから" in text_of(response)
    assert response["Retry-After"] == "900"
    assert not signed_in(client)


def test_below_the_limit_the_right_password_still_signs_in(editor):
    client = browser()
    fail(client, "henshu", settings.AXES_FAILURE_LIMIT - 1)

    assert sign_in(client, "henshu", "correct-horse")["Location"] == "/admin/"
    assert signed_in(client)


def test_the_lockout_holds_across_requests_for_the_same_username_and_address_only(editor):
    fail(browser(), "henshu", settings.AXES_FAILURE_LIMIT)

    # A fresh browser (no cookie) from the same address is still refused…
    assert sign_in(browser(), "henshu", "correct-horse").status_code == 429
    # …but the same person from another address is not, so an attacker cannot lock staff out everywhere.
    elsewhere = browser()
    assert sign_in(elsewhere, "henshu", "correct-horse", ip=ELSEWHERE).status_code == 302
    assert signed_in(elsewhere)
    # And other people at the attacked address can still sign in.
    staff("hoka", "編集者")
    assert sign_in(browser(), "hoka", "correct-horse").status_code == 302


def test_the_lockout_ends_after_the_cool_off(editor):
    fail(browser(), "henshu", settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )

    client = browser()
    assert sign_in(client, "henshu", "correct-horse").status_code == 302
    assert signed_in(client)


def test_a_successful_sign_in_resets_the_count(editor):
    fail(browser(), "henshu", settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(browser(), "henshu", "correct-horse").status_code == 302

    fail(browser(), "henshu", settings.AXES_FAILURE_LIMIT - 1)
    assert sign_in(browser(), "henshu", "correct-horse").status_code == 302


def test_behind_a_proxy_the_visitors_address_is_counted_not_the_proxys(editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    # The attacker also sends a forged first entry; only the one the proxy appended counts.
    fail(
        browser(), "henshu", settings.AXES_FAILURE_LIMIT, ip=proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {OFFICE}"
    )

    assert AccessAttempt.objects.get().ip_address == OFFICE
    locked = sign_in(browser(), "henshu", "correct-horse", ip=proxy, HTTP_X_FORWARDED_FOR=OFFICE)
    assert locked.status_code == 429
    other = sign_in(browser(), "henshu", "correct-horse", ip=proxy, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert other.status_code == 302


def test_hostile_usernames_are_counted_without_an_error(db):
    client = browser()
    for username in ["x" * 5000, "admin\x00", "' OR 1=1 --", "<script>alert(1)</script>"]:
        response = sign_in(client, username, "whatever")
        assert response.status_code in (200, 429)
    assert not signed_in(client)


def test_administrators_see_and_clear_lockouts_in_the_admin(editor):
    fail(browser(), "henshu", settings.AXES_FAILURE_LIMIT)
    admin = Client()
    admin.force_login(staff("kanri", superuser=True))

    page = admin.get("/admin/sign-in-lockouts/")
    assert page.status_code == 200
    row = BeautifulSoup(page.content, "html.parser").select_one("table.listing tbody tr").get_text(" ")
    assert "henshu" in row and OFFICE in row and "5回" in row and "ロック中" in row

    attempt = AccessAttempt.objects.get()
    cleared = admin.post("/admin/sign-in-lockouts/", {"attempt": str(attempt.pk)}, follow=True)
    assert "ロックを解除しました(1件)" in text_of(cleared)
    assert sign_in(browser(), "henshu", "correct-horse").status_code == 302


@pytest.mark.parametrize("attempt", ["", "abc", "１", "9" * 40, "-1"])
def test_clearing_a_lockout_with_a_hostile_row_id_says_so(attempt, db):
    admin = Client()
    admin.force_login(staff("kanri", superuser=True))
    response = admin.post("/admin/sign-in-lockouts/", {"attempt": attempt}, follow=True)
    assert response.status_code == 200


def test_only_administrators_see_the_lockouts_and_the_two_factor_accounts(office):
    client = Client()
    client.force_login(office)
    for url in ["/admin/sign-in-lockouts/", "/admin/two-factor/accounts/"]:
        response = client.get(url)
        assert response.status_code == 403
        assert "サイトの管理者だけ" in text_of(response)


# Two-factor authentication: enrolment


def enrolment_device(user):
    return TOTPDevice.objects.get(user=user, confirmed=False)


def test_a_required_user_without_an_authenticator_is_sent_to_enrol_from_every_admin_page(office):
    client = browser()
    response = sign_in(client, "jimu", "correct-horse")
    assert response.status_code == 302
    for page in ["/admin/", "/admin/pages/", "/django-admin/", "/admin/two-factor/"]:
        redirect = client.get(page)
        assert redirect.status_code == 302, page
        assert redirect["Location"].startswith("/admin/two-factor/enrol/?next="), page

    enrol = client.get("/admin/two-factor/enrol/")
    assert enrol.status_code == 200
    soup = BeautifulSoup(enrol.content, "html.parser")
    qr = soup.select_one(".staff-signin-qr svg")
    assert qr is not None and qr["role"] == "img" and qr["aria-label"]
    assert not soup.select(".staff-signin-qr img")
    key = soup.select_one("#manual-key").get_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", key)
    field = soup.select_one("input[name=code]")
    assert field["autocomplete"] == "one-time-code" and field["inputmode"] == "numeric"
    assert soup.find("label", attrs={"for": field["id"]}) is not None


def test_enrolment_with_a_wrong_code_fails_in_japanese_and_the_right_one_completes_it(office):
    client = browser()
    sign_in(client, "jimu", "correct-horse")
    client.get("/admin/two-factor/enrol/")
    device = enrolment_device(office)

    wrong = post_form(
        client, "/admin/two-factor/enrol/", {"code": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert "確認コードが正しくありません" in errors(wrong)
    assert client.get("/admin/").status_code == 302

    device.refresh_from_db()
    device.throttle_reset()
    done = post_form(client, "/admin/two-factor/enrol/", {"code": code_for(device), "next": "/admin/pages/"})
    assert done.status_code == 302
    assert done["Location"].startswith("/admin/two-factor/new-codes/")

    codes_page = client.get(done["Location"])
    codes = [
        code.get_text()
        for code in BeautifulSoup(codes_page.content, "html.parser").select(".staff-signin-codes code")
    ]
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    assert "一度しか表示されません" in text_of(codes_page)
    # Shown once: a reload no longer shows them.
    again = client.get(done["Location"], follow=True)
    assert not BeautifulSoup(again.content, "html.parser").select(".staff-signin-codes")

    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/").status_code in (200, 302)  # a 302 to its login: not is_staff


def enrolled(user):
    """The user with a confirmed authenticator and recovery codes, as after enrolment."""
    from home.staff_signin import devices

    device = TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)
    return device, devices.new_recovery_codes(user)


def test_after_enrolment_each_sign_in_needs_the_code(office):
    device, _ = enrolled(office)
    client = browser()
    sign_in(client, "jimu", "correct-horse")

    for page in ["/admin/", "/django-admin/", "/admin/two-factor/enrol/"]:
        assert client.get(page)["Location"].startswith("/admin/two-factor/verify/"), page
    verify = client.get("/admin/two-factor/verify/?next=/admin/pages/")
    assert "確認コードの入力" in text_of(verify)

    response = post_form(
        client, "/admin/two-factor/verify/", {"code": code_for(device), "next": "/admin/pages/"}
    )
    assert response["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


def test_the_same_code_does_not_work_twice(office):
    device, _ = enrolled(office)
    code = code_for(device)
    first = browser()
    sign_in(first, "jimu", "correct-horse")
    assert post_form(first, "/admin/two-factor/verify/", {"code": code}).status_code == 302

    second = browser()
    sign_in(second, "jimu", "correct-horse")
    replay = post_form(second, "/admin/two-factor/verify/", {"code": code})
    assert replay.status_code == 200 and "確認コードが正しくありません" in errors(replay)


def test_full_width_digits_and_spaces_are_accepted(office):
    device, _ = enrolled(office)
    client = browser()
    sign_in(client, "jimu", "correct-horse")
    code = code_for(device)
    typed = " ".join([code[:3].translate(str.maketrans("0123456789", "０１２３４５６７８９")), code[3:]])

    assert post_form(client, "/admin/two-factor/verify/", {"code": typed})["Location"] == "/admin/"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "コードを入力してください。"),
        ("1" * 5000, "コードが長すぎます"),
        ("abcdef", "6桁の数字です"),
        ("12345", "6桁の数字です"),
        ("1234567", "6桁の数字です"),
        ("12\x003456", "6桁の数字です"),
        ("<script>", "6桁の数字です"),
        ("١٢٣٤٥٦", "6桁の数字です"),  # Arabic-Indic digits are not what any authenticator shows
    ],
)
def test_malformed_codes_get_a_clear_message(typed, message, office):
    enrolled(office)
    client = browser()
    sign_in(client, "jimu", "correct-horse")
    response = post_form(client, "/admin/two-factor/verify/", {"code": typed})
    assert response.status_code == 200
    assert message in errors(response)
    assert client.get("/admin/").status_code == 302


def test_a_hostile_next_address_is_ignored(office):
    device, _ = enrolled(office)
    client = browser()
    sign_in(client, "jimu", "correct-horse")
    response = post_form(
        client, "/admin/two-factor/verify/", {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"


def test_wrong_codes_are_throttled(office, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device, _ = enrolled(office)
    client = browser()
    sign_in(client, "jimu", "correct-horse")
    wrong = "000000" if code_for(device) != "000000" else "111111"
    post_form(client, "/admin/two-factor/verify/", {"code": wrong})

    # Even the right code is refused until the wait is over, and the wait is said.
    refused = post_form(client, "/admin/two-factor/verify/", {"code": code_for(device)})
    assert refused.status_code == 200
    assert "しばらく受け付けません" in errors(refused) and "60秒ほど" in errors(refused)
    for _ in range(20):
        post_form(client, "/admin/two-factor/verify/", {"code": wrong})
    assert client.get("/admin/").status_code == 302

    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=F("throttling_failure_timestamp") - datetime.timedelta(minutes=2)
    )
    assert post_form(client, "/admin/two-factor/verify/", {"code": code_for(device)})["Location"] == "/admin/"


def test_a_recovery_code_works_once(office):
    _, codes = enrolled(office)
    client = browser()
    sign_in(client, "jimu", "correct-horse")
    page = client.get("/admin/two-factor/recovery/")
    field = BeautifulSoup(page.content, "html.parser").select_one("input[name=code]")
    assert field["autocomplete"] == "one-time-code"

    used = post_form(client, "/admin/two-factor/recovery/", {"code": codes[0].upper()})
    assert used["Location"] == "/admin/"
    assert "残りの回復コードは9個です" in text_of(client.get("/admin/"))

    again = browser()
    sign_in(again, "jimu", "correct-horse")
    replay = post_form(again, "/admin/two-factor/recovery/", {"code": codes[0]})
    assert replay.status_code == 200
    assert "すでに使われています" in errors(replay)
    assert again.get("/admin/").status_code == 302


def test_recovery_codes_can_be_made_again_and_the_old_ones_stop_working(office):
    _, old = enrolled(office)
    client = Client()
    client.force_login(office)

    made = client.post("/admin/two-factor/recovery-codes/", follow=True)
    new = [
        code.get_text()
        for code in BeautifulSoup(made.content, "html.parser").select(".staff-signin-codes code")
    ]
    assert len(new) == 10 and not set(new) & set(old)
    assert StaticToken.objects.filter(device__user=office).count() == 10


def test_an_optional_user_signs_in_without_a_code_and_may_turn_it_on_and_off(editor):
    client = browser()
    assert sign_in(client, "henshu", "correct-horse")["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    account = client.get("/admin/account/")
    assert "二段階認証" in text_of(account)
    overview = client.get("/admin/two-factor/")
    assert "二段階認証は設定されていません" in text_of(overview)

    client.get("/admin/two-factor/enrol/")
    device = enrolment_device(editor)
    post_form(client, "/admin/two-factor/enrol/", {"code": code_for(device)})
    assert "二段階認証は有効です" in text_of(client.get("/admin/two-factor/"))

    later = browser()
    sign_in(later, "henshu", "correct-horse")
    assert later.get("/admin/")["Location"].startswith("/admin/two-factor/verify/")

    disabled = post_form(client, "/admin/two-factor/disable/", {})
    assert disabled.status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()


def test_a_required_user_cannot_turn_it_off(office):
    enrolled(office)
    client = Client()
    client.force_login(office)
    response = client.post("/admin/two-factor/disable/", follow=True)
    assert "無効にできません" in text_of(response)
    assert TOTPDevice.objects.filter(user=office, confirmed=True).exists()


def test_superusers_must_use_it_too(db):
    staff("kanri", superuser=True)
    client = browser()
    sign_in(client, "kanri", "correct-horse", login="/django-admin/login/")
    assert client.get("/django-admin/")["Location"].startswith("/admin/two-factor/enrol/")


def test_the_required_groups_are_a_setting(editor, settings):
    settings.STAFF_TWO_FACTOR_GROUPS = ["編集者"]
    client = browser()
    sign_in(client, "henshu", "correct-horse")
    assert client.get("/admin/")["Location"].startswith("/admin/two-factor/enrol/")


def test_a_half_signed_in_session_is_anonymous_on_the_public_site(office, tree):
    members_only = make_article(tree.news, slug="members", title="会員限定")
    PageViewRestriction.objects.create(page=members_only, restriction_type="login")
    client = browser()
    sign_in(client, "jimu", "correct-horse")

    response = client.get(members_only.url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_administrator_resets_a_lost_authenticator(office):
    enrolled(office)
    admin = Client()
    admin.force_login(staff("kanri", superuser=True))
    listing = text_of(admin.get("/admin/two-factor/accounts/"))
    assert "jimu" in listing and "必須" in listing and "設定済み" in listing

    assert "リセットする" in text_of(admin.get(f"/admin/two-factor/accounts/{office.pk}/reset/"))
    done = admin.post(f"/admin/two-factor/accounts/{office.pk}/reset/", follow=True)
    assert "jimu の二段階認証をリセットしました" in text_of(done)

    client = browser()
    sign_in(client, "jimu", "correct-horse")
    assert client.get("/admin/")["Location"].startswith("/admin/two-factor/enrol/")


def test_the_reset_command(office, capsys):
    enrolled(office)
    call_command("reset_two_factor", "jimu")
    assert "リセットしました" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=office).exists()
    assert not StaticToken.objects.filter(device__user=office).exists()


def test_the_second_steps_pages_load_the_admins_icons_and_translations(office):
    """Wagtail's scripts fetch these on every admin page; sent to the code page instead, the icon sprite
    would paste that page into itself."""
    client = browser()
    sign_in(client, "jimu", "correct-horse")
    assert client.get("/admin/sprite/").status_code == 200
    assert client.get("/admin/jsi18n/").status_code == 200
