"""axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on any page type of the demo site, in every display
setting (背景色 白・黒・青, 文字サイズ 大, ふりがな), and every text and control keeps AA contrast there."""

import pytest

SKIP_REASON = "Browser tests skipped: Playwright or axe is missing (pip install -r requirements-dev.txt)."
expect = pytest.importorskip("playwright.sync_api", reason=SKIP_REASON).expect

from tests.browser.wcag import (  # noqa: E402 (after the skip)
    PAGES,
    assert_aa_contrast,
    assert_no_violations,
    choose_display,
)

pytestmark = pytest.mark.xdist_group("browser")

# Each scheme at the default size, and each scheme at the largest text size with ふりがな on.
DISPLAYS = {
    "black": {"scheme": "black"},
    "blue": {"scheme": "blue"},
    **{
        f"{scheme}-large-furigana": {"scheme": scheme, "text_size": "large", "furigana": "on"}
        for scheme in ("white", "black", "blue")
    },
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_type_has_no_wcag_violations(page, path):
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    expect(page.locator("html")).to_have_attribute("data-scheme", "white")
    assert_aa_contrast(page)
    assert_no_violations(page)


@pytest.mark.parametrize("display", DISPLAYS.keys())
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_type_keeps_aa_contrast_and_has_no_wcag_violations_in_each_display(
    new_page, live_url, path, display
):
    page = new_page()
    choose_display(page, live_url, **DISPLAYS[display])
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    html = page.locator("html")
    expect(html).to_have_attribute("data-scheme", DISPLAYS[display].get("scheme", "white"))
    expect(html).to_have_attribute("data-text-size", DISPLAYS[display].get("text_size", "normal"))
    assert_aa_contrast(page)
    assert_no_violations(page)


def test_registration_form_showing_errors_has_no_wcag_violations(page):
    page.goto("/events/upcoming-briefing-weekend/")
    page.get_by_role("button", name="申し込む").click()

    expect(page.get_by_role("alert")).to_contain_text("入力内容を確認してください")
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    assert_no_violations(page)


@pytest.mark.parametrize(
    ("path", "button"),
    [("/probono/join/", "確認メールを受け取る"), ("/probono/apply/", "申し込む"), ("/contact/", "送信する")],
    ids=["worker-registration", "support-application", "contact"],
)
def test_talent_forms_showing_errors_have_no_wcag_violations(page, path, button):
    page.goto(path)
    page.get_by_role("button", name=button).click()

    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
    assert_no_violations(page)


def test_not_found_page_has_no_wcag_violations(page):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert_no_violations(page)
