"""axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on any page type of the demo site."""

import pytest

SKIP_REASON = "Browser tests skipped: Playwright or axe is missing (pip install -r requirements-dev.txt)."
expect = pytest.importorskip("playwright.sync_api", reason=SKIP_REASON).expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason=SKIP_REASON).Axe

pytestmark = pytest.mark.xdist_group("browser")

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

# Demo pages by their stable slugs (projects/demo): one of each page type and state the visitor meets.
PAGES = {
    "home": "/",
    "standard-page": "/about/",
    "news-index": "/news/",
    "article": "/news/report-meeting-2017/",
    "organization-index": "/organizations/",
    "organization": "/organizations/katatsumuri/",
    "project-catalog": "/projects/",
    "project": "/projects/katatsumuri-facebook/",
    "catalog-two-filters": "/projects/?category=children&area=hachioji",
    "facet-index": "/projects/category/",
    "facet-term": "/projects/category/children/",
    "event-index": "/events/",
    "event-registration-open": "/events/upcoming-briefing-weekend/",
    "past-events": "/events/past/",
    "annual-results": "/projects/results/",
    "annual-results-year": "/projects/results/2016/",
    "search-results": "/search/?q=説明会",
    "human-sitemap": "/sitemap/",
    "worker-registration": "/probono/join/",
    "support-application": "/probono/apply/",
    "contact": "/contact/",
    "contact-thanks": "/contact/thanks/",
    "access": "/access/",
}


def describe(violations):
    """One paragraph per violated rule: id, impact, help and every offending element's selector."""
    lines = []
    for violation in violations:
        rule = f"{violation['id']} ({violation['impact']})"
        lines.append(f"{rule}: {violation['help']} <{violation['helpUrl']}>")
        lines.extend(f"    {' >> '.join(map(str, node['target']))}" for node in violation["nodes"])
    return "\n".join(lines)


def assert_no_violations(page):
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, f"axe found {len(violations)} violated rule(s) on {page.url}:\n" + describe(
        violations
    )


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_page_type_has_no_wcag_violations(page, path):
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
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
