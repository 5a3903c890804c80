"""The second step of the staff sign-in for the demo accounts that must use it, in the browser."""

import re

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from projects.demo.accounts import demo_code


def needs_second_step(account):
    return account.superuser or account.group in settings.STAFF_TWO_FACTOR_GROUPS


def pass_the_second_step(page, account):
    """On the code page after the password: type the demo key's current code. Each code works once, and
    these tests sign the same account in more than once a minute, so the demo authenticator first forgets
    the last code it took (an authenticator app would just show the next one 30 seconds later)."""
    from playwright.sync_api import expect  # the browser tests skip without Playwright; so may this

    expect(page).to_have_url(re.compile(r"/admin/two-factor/verify/"))
    TOTPDevice.objects.filter(user__username=account.username).update(last_t=-1, throttling_failure_count=0)
    page.get_by_label("確認コード(6桁の数字)").fill(demo_code())
    page.get_by_role("button", name="確認する").click()
