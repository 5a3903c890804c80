"""What visitors and editors do on the demo site, in a real browser: the journeys of issue 7."""

import re

import pytest

from home.models import ArticleIndexPage, ArticlePage
from projects.demo.accounts import DEMO_EDITOR, DEMO_MODERATOR
from projects.models import ProjectPage, Registration
from tests.browser.signin import needs_second_step, pass_the_second_step

SKIP_REASON = "Browser tests skipped: Playwright is not installed (pip install -r requirements-dev.txt)."
expect = pytest.importorskip("playwright.sync_api", reason=SKIP_REASON).expect

pytestmark = pytest.mark.xdist_group("browser")

WEEKEND_BRIEFING = "/events/upcoming-briefing-weekend/"
WEEKNIGHT_BRIEFING = "/events/upcoming-briefing-weeknight/"


def filter_group(page, facet):
    """The filter panel's group for one facet, opened if it is folded."""
    group = page.locator("details.filter-group").filter(has=page.locator("summary", has_text=facet))
    if group.get_attribute("open") is None:
        group.locator("summary").click()
    return group


# A visitor filters the catalog by two facets, opens a project and sees its timeline


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_visitor_filters_the_catalog_by_two_facets_and_opens_a_projects_timeline(new_page, javascript):
    expected = ProjectPage.objects.live().public().filter(categories__slug="children")
    expected = expected.filter(areas__slug="hachioji").distinct()
    titles = sorted(expected.values_list("title", flat=True))
    assert len(titles) >= 2, "the demo should leave several projects for this filter"
    page = new_page(java_script_enabled=javascript)
    page.goto("/")

    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="プロジェクト").click()
    filter_group(page, "カテゴリ").get_by_role("checkbox", name=re.compile(r"^子ども・子育て")).check()
    if javascript:  # the catalog updates as soon as an option is ticked
        expect(page).to_have_url(re.compile(r"category=children"))
    filter_group(page, "地域").get_by_role("checkbox", name=re.compile(r"^八王子市")).check()
    if not javascript:
        page.get_by_role("button", name=re.compile(r"件を表示$")).click()

    expect(page).to_have_url(re.compile(r"/projects/\?(?=.*category=children)(?=.*area=hachioji)"))
    expect(page.get_by_role("main").get_by_role("status")).to_contain_text(f"{len(titles)}件")
    chips = page.get_by_role("list", name="選択中の条件")
    expect(chips).to_contain_text("カテゴリ: 子ども・子育て")
    expect(chips).to_contain_text("地域: 八王子市")
    results = page.locator("#results").get_by_role("heading")
    expect(results).to_have_count(len(titles))
    assert sorted(results.all_inner_texts()) == titles
    assert page.js_errors == []

    project = next(project for project in expected if project.progress_entries())
    page.get_by_role("link", name=project.title, exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(project.title)
    timeline = page.get_by_role("region", name="進捗状況")
    entries = timeline.get_by_role("listitem")
    expect(entries).to_have_count(len(project.progress_entries()))
    first = project.progress_entries()[0]
    expect(entries.first).to_contain_text(first["title"])
    expect(entries.first.locator("time")).to_have_attribute("datetime", first["date"].isoformat())


def test_catalog_result_count_is_announced_by_a_live_region_that_stays_in_place(page):
    page.goto("/projects/")
    status = page.get_by_role("main").get_by_role("status")
    expect(status).to_have_count(1)
    unfiltered = status.inner_text()
    live_region = status.element_handle()

    filter_group(page, "カテゴリ").get_by_role("checkbox", name=re.compile(r"^子ども・子育て")).check()

    expect(page).to_have_url(re.compile(r"category=children"))
    expect(status).not_to_have_text(unfiltered)
    assert live_region.evaluate("node => node.isConnected"), "the live region was replaced, not updated"
    assert live_region.inner_text() == status.inner_text()
    assert page.js_errors == []


# A visitor searches for a Japanese word and opens a hit


def test_visitor_searches_for_a_japanese_word_and_opens_a_hit(page):
    page.goto("/")

    # With JavaScript the search box is a combobox that suggests as one types (search-combobox.js).
    box = page.get_by_role("search", name="サイト内検索").get_by_role("combobox")
    box.fill("会計")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=%E4%BC%9A%E8%A8%88"))
    expect(page.locator(".result-count")).to_contain_text("「会計」の検索結果")
    hits = page.locator(".search-result")
    expect(hits.first).to_be_visible()
    # Found in the body too: this project's title does not contain the word.
    expect(hits.filter(has_text="経理業務の効率化")).to_have_count(1)
    expect(hits.locator("mark").first).to_have_text("会計")

    hit = hits.first.get_by_role("link")
    title = hit.inner_text()
    hit.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("main")).to_contain_text("会計")


# A visitor registers for an upcoming briefing and sees the confirmation


def forget_registration(undo, email):
    undo(lambda: Registration.objects.filter(email=email).delete())


def test_visitor_registers_for_an_upcoming_briefing_and_sees_the_confirmation(page, mailoutbox, undo):
    forget_registration(undo, "hanako.journey@example.jp")
    page.goto("/events/")
    upcoming = page.get_by_role("region", name="開催予定のイベント")
    upcoming.get_by_role("link", name="プロボノワーカー募集説明会(土曜午後)").click()
    expect(page).to_have_url(re.compile(re.escape(WEEKEND_BRIEFING) + "$"))
    seats = int(re.search(r"残り(\d+)席", page.locator(".registration__seats").inner_text())[1])

    form = page.get_by_role("region", name="参加申込")
    form.get_by_label("氏名").fill("八王子 花子")
    form.get_by_label("ふりがな").fill("はちおうじ はなこ")
    form.get_by_label("メールアドレス").fill("hanako.journey@example.jp")
    form.get_by_label("電話番号").fill("042-000-0000")
    form.get_by_role("checkbox", name=re.compile("個人情報の取り扱いに同意します")).check()
    form.get_by_role("button", name="申し込む").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("お申込みの状況")
    expect(page.get_by_role("main")).to_contain_text("参加確定")
    expect(page.get_by_role("main")).to_contain_text("八王子 花子 様のご参加が確定しています")
    registration = Registration.objects.get(email="hanako.journey@example.jp")
    assert registration.event.url_path.endswith(WEEKEND_BRIEFING)
    [message] = [message for message in mailoutbox if message.to == ["hanako.journey@example.jp"]]
    assert any(name.endswith(".ics") for name, _content, _type in message.attachments)
    page.goto(WEEKEND_BRIEFING)
    expect(page.locator(".registration__seats")).to_have_text(f"残り{seats - 1}席")


# A visitor registers by keyboard alone


def tab_to_next_control(page, limit=80):
    """Presses Tab until a form control (not a link) has the focus; returns its id or button text."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
                const element = document.activeElement;
                if (!element.matches("input, select, textarea, button")) return null;
                return element.id || element.textContent.trim();
            }"""
        )
        if focused:
            return focused
    raise AssertionError(f"no form control took the focus in {limit} presses of Tab")


def test_visitor_registers_with_the_keyboard_alone(page, undo):
    forget_registration(undo, "jiro.keyboard@example.jp")
    page.goto(WEEKNIGHT_BRIEFING)

    # From the top of the page, past the header's own controls (表示の設定's eight buttons, the search box and
    # its button), to the form's first field.
    for _ in range(20):
        if tab_to_next_control(page) == "id_name":
            break
    else:
        raise AssertionError("Tab never reached the name field")
    page.keyboard.type("多摩 次郎")
    assert tab_to_next_control(page) == "id_name_kana"
    page.keyboard.type("たま じろう")
    assert tab_to_next_control(page) == "id_email"
    page.keyboard.type("jiro.keyboard@example.jp")
    assert tab_to_next_control(page) == "id_phone"
    assert tab_to_next_control(page) == "id_note"
    page.keyboard.type("キーボードだけで申し込みました。")
    # The honeypot field is skipped: the next stop is the consent checkbox.
    assert tab_to_next_control(page) == "id_agree_privacy"
    page.keyboard.press("Space")
    expect(page.locator("#id_agree_privacy")).to_be_checked()
    assert tab_to_next_control(page) == "申し込む"
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("お申込みの状況")
    expect(page.get_by_role("main")).to_contain_text("多摩 次郎 様")
    registration = Registration.objects.get(email="jiro.keyboard@example.jp")
    assert (registration.name, registration.note) == ("多摩 次郎", "キーボードだけで申し込みました。")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_main_content(page):
    page.goto("/projects/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="本文へ移動")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"#main$"))
    # The next Tab starts inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


# An editor writes an article, a moderator approves it, and it appears on the home page


def sign_in(new_page, account):
    page = new_page()
    page.goto("/admin/login/")
    page.locator("#id_username").fill(account.username)
    page.locator("#id_password").fill(account.password)
    page.get_by_role("button", name="サインイン").click()
    if needs_second_step(account):
        pass_the_second_step(page, account)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return page


def test_editor_submits_an_article_that_appears_on_the_home_page_once_approved(new_page, undo):
    title = "ブラウザから届いたお知らせ"
    undo(lambda: ArticlePage.objects.filter(title=title).delete())
    news = ArticleIndexPage.objects.get()
    editor = sign_in(new_page, DEMO_EDITOR)

    editor.goto(f"/admin/pages/add/home/articlepage/{news.pk}/")
    editor.locator("#id_title").fill(title)
    editor.locator("#id_lead").fill("承認フローを通って公開されるお知らせです。")
    editor.get_by_role("button", name="他のアクション").click()
    editor.get_by_role("button", name="承認フローに提出する").click()
    expect(editor.locator(".messages")).to_contain_text("承認依頼を提出しました")

    visitor = new_page()
    visitor.goto("/")
    updates = visitor.get_by_role("region", name="新着情報")
    expect(updates).to_be_visible()
    expect(updates.get_by_role("link", name=title)).to_have_count(0)

    moderator = sign_in(new_page, DEMO_MODERATOR)
    awaiting = moderator.locator("#awaiting-review-content tr").filter(has_text=title)
    awaiting.get_by_role("button", name="操作").click()
    awaiting.get_by_role("button", name="承認", exact=True).click()
    expect(awaiting).to_have_count(0)

    visitor.goto("/")
    updates.get_by_role("link", name=title).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(title)
