"""The search boxes' suggestions in a real browser: a combobox (WAI-ARIA APG, list autocomplete) that the
keyboard and the mouse drive, axe-clean while open, fitting a phone, and a plain search form without
JavaScript."""

import re
from urllib.parse import quote

import pytest

from tests.browser.test_accessibility import assert_no_violations

SKIP_REASON = "Browser tests skipped: Playwright is not installed (pip install -r requirements-dev.txt)."
expect = pytest.importorskip("playwright.sync_api", reason=SKIP_REASON).expect

pytestmark = pytest.mark.xdist_group("browser")

PROJECT = "経理業務の効率化"  # a demo project's title
PROJECT_URL = "/projects/cat-homes-accounting/"
PHONE = {"width": 375, "height": 812}


def header_box(page):
    return page.locator("#site-search-q")


def suggestions_of(page, box):
    return page.locator(f"#{box.get_attribute('aria-controls')}")


def type_and_wait(page, text, box=None):
    """Types `text` into the box as a visitor does, and waits for the suggestions."""
    box = box or header_box(page)
    box.click()
    box.press_sequentially(text, delay=30)
    listbox = page.get_by_role("listbox", name="検索候補").filter(visible=True)
    expect(listbox.get_by_role("option").first).to_be_visible()
    return box, listbox


def test_the_keyboard_chooses_a_suggestion_and_opens_its_page(page):
    page.goto("/")
    box = header_box(page)
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")

    box, listbox = type_and_wait(page, "経理")
    options = listbox.get_by_role("option")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-autocomplete", "list")
    expect(box).to_have_attribute("aria-controls", listbox.get_attribute("id"))
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    count = options.count()
    expect(page.locator("header").get_by_role("status")).to_have_text(
        f"候補が{count}件あります。上下キーで選べます。"
    )
    expect(options.filter(has_text=PROJECT)).to_contain_text("プロジェクト")

    box.press("ArrowDown")
    first = options.nth(0)
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(first).to_have_attribute("aria-selected", "true")
    box.press("ArrowUp")  # from the first, Up wraps to the last
    expect(box).to_have_attribute("aria-activedescendant", options.nth(count - 1).get_attribute("id"))
    expect(first).to_have_attribute("aria-selected", "false")
    box.press("ArrowDown")
    expect(box).to_be_focused()

    target = options.filter(has_text=PROJECT)
    while box.get_attribute("aria-activedescendant") != target.get_attribute("id"):
        box.press("ArrowDown")
    box.press("Enter")

    expect(page).to_have_url(re.compile(re.escape(PROJECT_URL) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PROJECT)
    assert page.js_errors == []


def test_escape_closes_the_list_and_a_second_escape_empties_the_box(page):
    page.goto("/")
    box, listbox = type_and_wait(page, "経理")
    box.press("ArrowDown")

    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    expect(box).to_have_value("経理")

    box.press("ArrowDown")  # opens the list again on its first option
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute(
        "aria-activedescendant", listbox.get_by_role("option").first.get_attribute("id")
    )

    box.press("Escape")
    box.press("Escape")
    expect(box).to_have_value("")
    expect(listbox).to_be_hidden()


def test_enter_with_no_suggestion_highlighted_searches_as_usual(page):
    page.goto("/")
    box, _listbox = type_and_wait(page, "経理")

    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=" + re.escape(quote("経理"))))
    expect(page.locator("#results")).to_contain_text(PROJECT)


def test_tab_leaves_the_box_and_closes_the_list(page):
    page.goto("/")
    box, listbox = type_and_wait(page, "経理")

    box.press("Tab")

    expect(listbox).to_be_hidden()
    expect(page.locator("form.site-search button[type=submit]")).to_be_focused()


@pytest.mark.parametrize("leave", ["Tab", "blur"])
def test_a_list_still_on_its_way_stays_closed_once_the_box_is_left(page, leave):
    page.goto("/")
    box = header_box(page)
    listbox = suggestions_of(page, box)
    box.click()

    box.press_sequentially("経理")  # the suggestions are asked for 150 ms after the last key
    if leave == "Tab":
        box.press("Tab")
    else:
        page.locator("body").click(position={"x": 5, "y": 5})
    page.wait_for_timeout(400)  # long past the debounce and a local answer

    expect(box).not_to_be_focused()
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert page.js_errors == []


def test_a_click_on_a_suggestion_opens_its_page(page):
    page.goto("/")
    _box, listbox = type_and_wait(page, "八王子市")

    option = listbox.get_by_role("option").filter(has_text="地域")
    expect(option).to_contain_text("八王子市")
    option.click()

    expect(page).to_have_url(re.compile(r"/projects/area/hachioji/$"))


def test_an_emptied_box_shows_no_suggestions(page):
    page.goto("/")
    box, listbox = type_and_wait(page, "経理")

    box.fill("")

    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")


def test_the_search_pages_own_box_suggests_too(page):
    page.goto("/search/")
    box = page.locator("#search-page-q")

    _box, listbox = type_and_wait(page, "経理", box)

    expect(listbox).to_have_attribute("id", box.get_attribute("aria-controls"))
    expect(header_box(page)).to_have_attribute("aria-expanded", "false")


def test_the_open_list_has_no_wcag_violations(page):
    page.goto("/")
    box, _listbox = type_and_wait(page, "経理")
    box.press("ArrowDown")

    assert_no_violations(page)


def test_the_open_list_fits_a_phone(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/")
    _box, listbox = type_and_wait(page, "八王子")

    box = listbox.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_no_violations(page)


def test_without_javascript_the_box_is_a_plain_search_form(new_page):
    page = new_page(java_script_enabled=False)
    page.goto("/")
    box = header_box(page)
    for attribute in ("role", "aria-expanded", "aria-controls", "aria-autocomplete", "autocomplete"):
        assert box.get_attribute(attribute) is None, attribute
    expect(page.get_by_role("listbox")).to_have_count(0)

    box.fill("経理")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=" + re.escape(quote("経理"))))
    expect(page.locator("#results")).to_contain_text(PROJECT)
