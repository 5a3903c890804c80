"""表示の設定 (文字サイズ・背景色・ふりがな) in a real browser, with and without JavaScript; the phone-first
header, catalog and project page; reflow at 320px and at 400% zoom; the focus indicator and the AA contrast
of the folded panels in each colour scheme."""

import re
from pathlib import Path

import pytest

SKIP_REASON = "Browser tests skipped: Playwright is not installed (pip install -r requirements-dev.txt)."
expect = pytest.importorskip("playwright.sync_api", reason=SKIP_REASON).expect

from projects.models import ProjectPage  # noqa: E402 (after the skip)
from tests.browser.wcag import (  # noqa: E402
    PAGES,
    SCHEMES,
    assert_aa_contrast,
    assert_no_violations,
    choose_display,
    focus_indicator,
)

pytestmark = pytest.mark.xdist_group("browser")

PHONE = {"width": 375, "height": 812}
# WCAG 1.4.10: a 1280 x 1024 window at 400% zoom lays the page out in 320 x 256 CSS pixels.
ZOOM_400 = {"width": 320, "height": 256}
HEADER_MAX_HEIGHT = 120
JAVASCRIPT = pytest.mark.parametrize(
    "javascript", [True, False], ids=["with-javascript", "without-javascript"]
)


def font_size(page, selector):
    return page.locator(selector).first.evaluate("element => parseFloat(getComputedStyle(element).fontSize)")


def header_height(page):
    return page.get_by_role("banner").evaluate("element => element.getBoundingClientRect().height")


def switches(page, name):
    return page.get_by_role("banner").get_by_role("group", name=name)


def display_cookies(page):
    return {
        cookie["name"]: cookie["value"]
        for cookie in page.context.cookies()
        if cookie["name"].startswith("display_")
    }


def sideways_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


BEYOND_THE_EDGE = (Path(__file__).parent / "reflow.js").read_text(encoding="utf-8")


def assert_fits_the_width(page):
    assert sideways_overflow(page) <= 0, f"{page.url} scrolls sideways by {sideways_overflow(page)}px"
    beyond = page.evaluate(BEYOND_THE_EDGE)
    assert beyond == [], f"text beyond the window's edge on {page.url}: {beyond}"


def filter_group(page, facet):
    group = page.locator("details.filter-group").filter(has=page.locator("summary", has_text=facet))
    if group.get_attribute("open") is None:
        group.locator("summary").click()
    return group


# The switches: 小・標準・大, 白・黒・青, つける・はずす, the current choice pressed


def test_switches_come_in_the_usual_order_with_the_defaults_pressed(page):
    page.goto("/")

    for name, labels, pressed in [
        ("文字サイズ", ["小", "標準", "大"], "標準"),
        ("背景色", ["白", "黒", "青"], "白"),
        ("ふりがな", ["つける", "はずす"], "はずす"),
    ]:
        buttons = switches(page, name).get_by_role("button")
        expect(buttons).to_have_text(labels)
        for label in labels:
            expect(switches(page, name).get_by_role("button", name=label, exact=True)).to_have_attribute(
                "aria-pressed", "true" if label == pressed else "false"
            )
    html = page.locator("html")
    expect(html).to_have_attribute("data-text-size", "normal")
    expect(html).to_have_attribute("data-scheme", "white")


@JAVASCRIPT
def test_visitor_chooses_size_scheme_and_furigana_and_finds_them_kept(new_page, javascript):
    page = new_page(java_script_enabled=javascript)
    page.goto("/projects/?category=children")
    html = page.locator("html")
    normal = font_size(page, "main p")

    # On a desktop the switches show at once, with or without JavaScript.
    switches(page, "文字サイズ").get_by_role("button", name="大").click()

    expect(page).to_have_url(re.compile(r"/projects/\?category=children$"))
    expect(html).to_have_attribute("data-text-size", "large")
    expect(switches(page, "文字サイズ").get_by_role("button", name="大")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(switches(page, "文字サイズ").get_by_role("button", name="標準")).to_have_attribute(
        "aria-pressed", "false"
    )
    assert font_size(page, "main p") >= 1.5 * normal - 0.5

    switches(page, "背景色").get_by_role("button", name="黒").click()
    expect(html).to_have_attribute("data-scheme", "black")
    assert page.locator("body").evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(0, 0, 0)"
    assert page.locator("body").evaluate("b => getComputedStyle(b).color") == "rgb(255, 255, 255)"

    switches(page, "ふりがな").get_by_role("button", name="つける").click()
    expect(switches(page, "ふりがな").get_by_role("button", name="つける")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert display_cookies(page) == {
        "display_text_size": "large",
        "display_scheme": "black",
        "display_furigana": "on",
    }

    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="イベント").click()
    expect(page).to_have_url(re.compile(r"/events/$"))
    expect(html).to_have_attribute("data-text-size", "large")
    expect(html).to_have_attribute("data-scheme", "black")

    fresh = new_page(java_script_enabled=javascript)  # another visitor, who chose nothing
    fresh.goto("/events/")
    expect(fresh.locator("html")).to_have_attribute("data-text-size", "normal")
    expect(fresh.locator("html")).to_have_attribute("data-scheme", "white")

    switches(page, "文字サイズ").get_by_role("button", name="小").click()
    switches(page, "背景色").get_by_role("button", name="白").click()
    switches(page, "ふりがな").get_by_role("button", name="はずす").click()
    expect(html).to_have_attribute("data-text-size", "small")
    expect(html).to_have_attribute("data-scheme", "white")
    assert font_size(page, "main p") < font_size(fresh, "main p")
    assert display_cookies(page)["display_furigana"] == "off"
    if javascript:
        assert page.js_errors == []


def test_text_sizes_are_seven_eighths_standard_and_half_as_large_again(new_page, live_url):
    sizes = {}
    for size in ("small", "normal", "large"):
        page = new_page()
        choose_display(page, live_url, text_size=size)
        page.goto("/")
        sizes[size] = font_size(page, "html")
    assert sizes["small"] == pytest.approx(0.875 * sizes["normal"])
    assert sizes["large"] >= 1.5 * sizes["normal"]


# On a phone: a compact header, the settings folded


@JAVASCRIPT
def test_on_a_phone_the_header_is_compact_and_the_settings_fold(new_page, javascript):
    page = new_page(viewport=PHONE, java_script_enabled=javascript)
    page.goto("/news/")
    size = switches(page, "文字サイズ")

    if javascript:  # without JavaScript the main menu cannot fold, so it shows in full
        assert header_height(page) <= HEADER_MAX_HEIGHT
        menu = page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="団体")
        expect(menu).to_be_hidden()
        page.get_by_role("button", name="メニュー").click()
        expect(menu).to_be_visible()
    expect(size).to_be_hidden()
    page.get_by_role("banner").get_by_text("表示の設定").click()
    expect(size).to_be_visible()
    assert_fits_the_width(page)

    size.get_by_role("button", name="大").click()

    expect(page).to_have_url(re.compile(r"/news/$"))
    expect(page.locator("html")).to_have_attribute("data-text-size", "large")
    expect(switches(page, "文字サイズ")).to_be_hidden()  # folded again on the new page
    assert_fits_the_width(page)


# On a phone the catalog shows its results first; the filters fold into 「絞り込み（n）」


@JAVASCRIPT
def test_on_a_phone_the_catalog_shows_results_first_and_its_filters_fold(new_page, javascript):
    children = ProjectPage.objects.live().public().filter(categories__slug="children").distinct().count()
    page = new_page(viewport=PHONE, java_script_enabled=javascript)
    page.goto("/projects/")
    toggle = page.locator("summary", has_text="絞り込み")
    keyword = page.get_by_label("キーワード")
    first_card = page.locator("#results .card").first

    expect(toggle).to_have_text(re.compile(r"^絞り込み（0"))
    expect(keyword).to_be_hidden()
    assert toggle.bounding_box()["y"] < first_card.bounding_box()["y"]
    if javascript:  # without JavaScript the main menu shows in full above, and pushes the results down
        assert header_height(page) <= HEADER_MAX_HEIGHT
        expect(first_card).to_be_in_viewport()
        assert first_card.get_by_role("heading").bounding_box()["y"] < PHONE["height"] - 40

    toggle.click()
    expect(keyword).to_be_visible()
    filter_group(page, "カテゴリ").get_by_role("checkbox", name=re.compile(r"^子ども・子育て")).check()
    show = page.get_by_role("button", name=re.compile(r"件を表示$"))
    if javascript:  # the button counts what the options leave before it is pressed
        expect(show).to_have_text(f"{children}件を表示")
    show.click()

    expect(page).to_have_url(re.compile(r"category=children"))
    expect(page.get_by_role("main").get_by_role("status")).to_have_text(f"{children}件のプロジェクト")
    expect(toggle).to_have_text(re.compile(r"^絞り込み（1"))
    expect(keyword).to_be_hidden()
    expect(page.locator("#results .card").first).to_be_in_viewport()
    if javascript:
        expect(page).to_have_url(re.compile(r"/projects/\?category=children$"))
        assert page.js_errors == []
    else:
        expect(page).to_have_url(re.compile(r"#catalog-results$"))


def test_catalog_addresses_leave_out_empty_values_and_the_default_order(page):
    page.goto("/projects/")

    filter_group(page, "カテゴリ").get_by_role("checkbox", name=re.compile(r"^子ども・子育て")).check()
    expect(page).to_have_url(re.compile(r"/projects/\?category=children$"))
    page.get_by_label("並び順").select_option(label="タイトル順")
    expect(page).to_have_url(re.compile(r"/projects/\?category=children&sort=title$"))
    page.get_by_label("並び順").select_option(index=0)
    expect(page).to_have_url(re.compile(r"/projects/\?category=children$"))
    page.get_by_label("キーワード").fill("   ")
    page.get_by_label("キーワード").press("Enter")
    expect(page.get_by_role("main").get_by_role("status")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/projects/\?category=children$"))
    assert page.js_errors == []


def test_on_a_phone_a_projects_classification_and_organization_come_before_related_projects(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/projects/katatsumuri-facebook/")

    def top(name):
        return page.get_by_role("heading", name=name, exact=True).bounding_box()["y"]

    related = top("関連するプロジェクト")
    assert top("プロジェクトの分類") < related
    assert top("団体基本情報") < related
    assert top("進捗状況") < top("プロジェクトの分類")


# Reflow (WCAG 1.4.10): one column without sideways scrolling at 320px, at 400% zoom, and at 大


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_reflows_at_320px_at_400_percent_zoom_and_with_large_text(new_page, live_url, path):
    page = new_page(viewport={"width": 320, "height": 640})
    assert page.goto(path).status == 200
    assert_fits_the_width(page)

    zoomed = new_page(viewport=ZOOM_400)
    zoomed.goto(path)
    assert_fits_the_width(zoomed)

    large = new_page(viewport=ZOOM_400)
    choose_display(large, live_url, text_size="large")
    large.goto(path)
    expect(large.locator("html")).to_have_attribute("data-text-size", "large")
    assert_fits_the_width(large)


def test_open_panels_reflow_at_400_percent_zoom(new_page, live_url):
    page = new_page(viewport=ZOOM_400)
    choose_display(page, live_url, text_size="large")
    page.goto("/projects/")
    page.get_by_role("banner").get_by_text("表示の設定").click()
    page.get_by_role("button", name="メニュー").click()
    page.locator("summary", has_text="絞り込み").click()

    expect(switches(page, "背景色").get_by_role("button", name="青")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"件を表示$"))).to_be_visible()
    assert_fits_the_width(page)


# Each colour scheme: the focus ring, and the folded panels of a phone


def press_tab_and_measure(page, presses):
    measured = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        indicator = focus_indicator(page)
        if indicator:
            measured.append(indicator)
    return measured


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_focus_indicator_keeps_3_to_1_in_each_scheme(new_page, live_url, scheme):
    page = new_page()
    choose_display(page, live_url, scheme=scheme)
    weak = []
    for path in ("/projects/", "/events/upcoming-briefing-weekend/"):
        page.goto(path)
        measured = press_tab_and_measure(page, 45)
        assert len(measured) >= 40
        weak += [item for item in measured if item["ratio"] < 3 or item["width"] < 2]
    assert weak == []


@pytest.mark.parametrize("scheme", SCHEMES)
def test_phone_panels_keep_aa_contrast_and_have_no_violations_in_each_scheme(new_page, live_url, scheme):
    page = new_page(viewport=PHONE)
    choose_display(page, live_url, scheme=scheme)
    page.goto("/projects/?category=children")
    page.get_by_role("banner").get_by_text("表示の設定").click()
    page.get_by_role("button", name="メニュー").click()
    page.locator("summary", has_text="絞り込み").click()
    expect(page.get_by_label("キーワード")).to_be_visible()

    assert_aa_contrast(page)
    assert_no_violations(page)
    measured = press_tab_and_measure(page, 30)
    assert [item for item in measured if item["ratio"] < 3 or item["width"] < 2] == []
