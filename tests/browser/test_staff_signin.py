"""A member of 事務局 without an authenticator signs in, is sent to set one up, and does so through the page:
QR code and key, the code typed with the keyboard, the recovery codes shown once. axe checks the enrolment
page, and the admin's Content-Security-Policy lets it render (the QR code is inline SVG)."""

import base64
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.oath import totp

from tests.browser.test_accessibility import assert_no_violations

SKIP_REASON = "Browser tests skipped: Playwright is not installed (pip install -r requirements-dev.txt)."
expect = pytest.importorskip("playwright.sync_api", reason=SKIP_REASON).expect

pytestmark = pytest.mark.xdist_group("browser")

USERNAME = "browser-jimu"
PASSWORD = "browser-jimu-password"


@pytest.fixture
def office_member(undo):
    user = get_user_model().objects.create_user(USERNAME, f"{USERNAME}@example.jp", PASSWORD)
    user.groups.add(Group.objects.get(name="事務局"))
    undo(lambda: get_user_model().objects.filter(username=USERNAME).delete())
    return user


def test_a_required_user_enrols_an_authenticator_through_the_page(page, office_member):
    violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and violations.append(message.text),
    )
    page.goto("/admin/login/")
    page.locator("#id_username").fill(USERNAME)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="サインイン").click()

    expect(page).to_have_url(re.compile(r"/admin/two-factor/enrol/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("二段階認証の設定")
    expect(page.get_by_role("img", name="認証アプリで読み取るQRコード")).to_be_visible()
    assert_no_violations(page)

    key = page.locator("#manual-key").inner_text().replace(" ", "")
    code = f"{totp(base64.b32decode(key)):06d}"
    field = page.get_by_label("確認コード(6桁の数字)")
    expect(field).to_be_focused()  # autofocus: the keyboard starts in the field
    page.keyboard.type(code)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/admin/two-factor/new-codes/"))
    codes = page.locator(".staff-signin-codes code")
    expect(codes).to_have_count(10)
    assert_no_violations(page)
    page.get_by_role("link", name="控えました。管理画面へ進む").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    assert violations == []
