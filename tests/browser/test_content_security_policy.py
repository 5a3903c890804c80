"""The Content-Security-Policy holds in a real browser: Chromium reports no violation on the public pages
(strict: this site's own scripts, styles and fonts, nothing inline) nor in the Wagtail admin (which may also
run inline scripts and styles, cms/csp.py), while visitors and editors do what they usually do.

Every document the browser opens reports its `securitypolicyviolation` events (also kept in
`window.__cspViolations`), and console messages about the policy are recorded too.
"""

import re

import pytest

from home.models import ArticlePage
from projects.demo.accounts import DEMO_ADMIN
from projects.models import ProjectPage
from tests.browser.signin import pass_the_second_step

SKIP_REASON = "Browser tests skipped: Playwright is not installed (pip install -r requirements-dev.txt)."
expect = pytest.importorskip("playwright.sync_api", reason=SKIP_REASON).expect

pytestmark = pytest.mark.xdist_group("browser")

WEEKEND_BRIEFING = "/events/upcoming-briefing-weekend/"
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    const violation = {
        directive: event.effectiveDirective || event.violatedDirective,
        blocked: event.blockedURI,
        document: event.documentURI,
        source: event.sourceFile,
        line: event.lineNumber,
        sample: event.sample,
    };
    window.__cspViolations.push(violation);
    window.__reportCspViolation(violation);
});
"""


@pytest.fixture
def csp_page(new_page):
    """A page whose browser context records every CSP violation of every document it opens, with the step
    (`page.step`) the test was at."""

    def open_page():
        page = new_page()
        page.step = "start"
        page.violations = []
        page.context.expose_function(
            "__reportCspViolation", lambda violation: page.violations.append({"step": page.step, **violation})
        )
        page.context.add_init_script(RECORD_VIOLATIONS)
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and page.violations.append({"step": page.step, "console": message.text})
            ),
        )
        return page

    return open_page


def visit(page, step, url):
    """Go to `url` as step `step`; returns the Content-Security-Policy header of the document."""
    page.step = step
    response = page.goto(url)
    assert response is not None and response.ok, f"{step}: {url} answered {response and response.status}"
    policy = response.header_value("content-security-policy")
    assert policy, f"{step}: {url} has no Content-Security-Policy header"
    return policy


def directive(policy, name):
    for part in policy.split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    return None


def settle(page):
    """Let the last reports arrive: they are sent asynchronously after the blocked load or script."""
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)


def describe(violations):
    return "\n".join(
        f"[{found['step']}] "
        + (
            found["console"]
            if "console" in found
            else f"{found['directive']} blocked {found['blocked']!r} in {found['document']} "
            f"({found['source']}:{found['line']}) {found['sample']!r}"
        )
        for found in violations
    )


def assert_public_policy(policy):
    for name in ("script-src", "style-src"):
        assert directive(policy, name) == ["'self'"], policy
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, policy


def sign_in_as_admin(page):
    policy = visit(page, "login", "/admin/login/")
    page.locator("#id_username").fill(DEMO_ADMIN.username)
    page.locator("#id_password").fill(DEMO_ADMIN.password)
    page.get_by_role("button", name="サインイン").click()
    page.step = "second step"
    pass_the_second_step(page, DEMO_ADMIN)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return policy


def filter_group(page, facet):
    group = page.locator("details.filter-group").filter(has=page.locator("summary", has_text=facet))
    if group.get_attribute("open") is None:
        group.locator("summary").click()
    return group


def test_public_pages_run_under_the_strict_policy_without_a_violation(csp_page):
    page = csp_page()

    assert_public_policy(visit(page, "home", "/"))
    expect(page.get_by_role("region", name="新着情報")).to_be_visible()

    assert_public_policy(visit(page, "catalog", "/projects/"))
    page.step = "catalog filtered"
    filter_group(page, "カテゴリ").get_by_role("checkbox", name=re.compile(r"^子ども・子育て")).check()
    expect(page).to_have_url(re.compile(r"category=children"))  # updated by catalog.js, without a reload
    expect(page.get_by_role("list", name="選択中の条件")).to_contain_text("子ども・子育て")

    project = ProjectPage.objects.live().public().order_by("-started_on").first()
    assert_public_policy(visit(page, "project", project.url))
    expect(page.get_by_role("heading", level=1)).to_have_text(project.title)

    assert_public_policy(visit(page, "event", WEEKEND_BRIEFING))
    page.step = "event text size"  # a plain form to /display/, which comes back to the event
    page.get_by_role("banner").get_by_role("group", name="文字サイズ").get_by_role(
        "button", name="大"
    ).click()
    expect(page).to_have_url(re.compile(re.escape(WEEKEND_BRIEFING) + "$"))
    expect(page.locator("html")).to_have_attribute("data-text-size", "large")

    assert_public_policy(visit(page, "search", "/search/?q=会計"))
    expect(page.get_by_role("main")).to_contain_text("会計")

    settle(page)
    assert page.evaluate("window.__cspViolations") == []
    assert page.violations == [], describe(page.violations)
    assert page.js_errors == []


def test_the_admin_runs_under_its_allowance_without_a_violation(csp_page):
    page = csp_page()
    policy = sign_in_as_admin(page)
    assert "'unsafe-inline'" in directive(policy, "script-src"), policy
    assert "'unsafe-inline'" in directive(policy, "style-src"), policy

    visit(page, "dashboard", "/admin/")
    settle(page)
    visit(page, "page explorer", "/admin/pages/")
    home = ArticlePage.objects.live().first().get_parent().get_parent()
    visit(page, "page explorer (home)", f"/admin/pages/{home.pk}/")
    settle(page)

    article = ArticlePage.objects.live().order_by("-first_published_at").first()
    visit(page, "article edit", f"/admin/pages/{article.pk}/edit/")
    expect(page.locator("#id_title")).to_have_value(article.title)
    page.step = "article edit: promote tab"
    page.get_by_role("tab", name="プロモート").click()
    expect(page.locator("#id_slug")).to_be_visible()
    page.step = "article edit: image chooser"
    page.get_by_role("tab", name="コンテンツ").click()
    chooser = page.locator("#id_hero_image-chooser")
    if (
        "blank" not in chooser.get_attribute("class").split()
    ):  # an image is chosen: 別の画像を選択 is in a menu
        chooser.locator(".chosen button").first.click()
        chooser.locator(".chosen [data-chooser-action-choose]").click()
    else:
        chooser.locator(".unchosen [data-chooser-action-choose]").click()
    modal = page.locator(".modal-dialog")
    expect(modal).to_be_visible()
    expect(modal.locator("a.image-choice, [data-chooser-modal-choice]").first).to_be_visible()
    settle(page)

    visit(page, "images", "/admin/images/")
    settle(page)
    visit(page, "registrations", "/admin/projects/registration/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("参加申込")

    settle(page)
    assert page.violations == [], describe(page.violations)
    assert page.js_errors == []


def test_the_admin_loads_nothing_from_other_sites(csp_page):
    page = csp_page()
    sign_in_as_admin(page)
    visit(page, "dashboard", "/admin/")
    settle(page)
    assert page.violations == [], describe(page.violations)
