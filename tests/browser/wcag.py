"""What the accessibility and display tests measure on a rendered page: axe's WCAG rules, AA contrast of
every text and control (contrast.js), the focus indicator (focus.js), both on the colour helpers of
colour.js, and the page types of the demo."""

from pathlib import Path

import pytest

SKIP_REASON = "Browser tests skipped: Playwright or axe is missing (pip install -r requirements-dev.txt)."
Axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason=SKIP_REASON).Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def _measuring_script(name):
    """One expression for page.evaluate: the shared colour helpers (colour.js), then the script `name`."""
    here = Path(__file__).parent
    colour = (here / "colour.js").read_text(encoding="utf-8")
    script = (here / name).read_text(encoding="utf-8")
    return f"(() => {{\n{colour}\nreturn (\n{script}\n);\n}})()"


CONTRAST_SCRIPT = _measuring_script("contrast.js")
FOCUS_SCRIPT = _measuring_script("focus.js")

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
    "accessibility-policy": "/accessibility/",
    "open-data": "/opendata/",
}

# 表示の設定 as home/display.py keeps them, in cookies.
SCHEMES = ["white", "black", "blue"]


def choose_display(page, live_url, **choices):
    """Sets the display cookies (text_size=, scheme=, furigana=) as /display/ would."""
    page.context.add_cookies(
        [{"name": f"display_{name}", "value": value, "url": live_url} for name, value in choices.items()]
    )


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


def assert_aa_contrast(page):
    """Every visible text against the background it is drawn on (4.5:1, large text 3:1), and every
    control's border or fill against the background around it (3:1), as rendered."""
    measured = page.evaluate(CONTRAST_SCRIPT)
    assert measured["measured"] > 20, f"too little measured on {page.url}: {measured}"
    assert measured["failures"] == [], f"below AA contrast on {page.url}:\n" + "\n".join(measured["failures"])


def focus_indicator(page):
    """The focused element's focus indicator: {element, ratio, width}, or None when nothing is focused."""
    return page.evaluate(FOCUS_SCRIPT)
