"""Full-page screenshots of the main page types at phone and desktop widths, for people to look at.

Every browser run writes them to test-artifacts/screenshots/ (ignored by git); the tests also check that
each page fits its width without sideways scrolling.
"""

import struct

import pytest
from django.conf import settings

SKIP_REASON = "Browser tests skipped: Playwright is not installed (pip install -r requirements-dev.txt)."
pytest.importorskip("playwright.sync_api", reason=SKIP_REASON)

pytestmark = pytest.mark.xdist_group("browser")

PAGES = {
    "home": "/",
    "catalog": "/projects/",
    "project": "/projects/katatsumuri-facebook/",
    "event": "/events/upcoming-briefing-weekend/",
    "search": "/search/?q=説明会",
}
WIDTHS = [375, 1280]
SCREENSHOTS_DIR = settings.BASE_DIR / "test-artifacts" / "screenshots"


def load_everything(page):
    """Loads the lazy images too (a full-page capture does not scroll) and waits for images and fonts."""
    page.locator("img[loading=lazy]").evaluate_all("images => images.forEach(i => { i.loading = 'eager' })")
    # Polled from here: wait_for_function compiles its predicate with eval, which the site's CSP forbids.
    for _ in range(100):
        if page.evaluate("Array.from(document.images).every(image => image.complete)"):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("images still loading after 10 s")
    page.evaluate("document.fonts.ready.then(() => true)")


def png_width(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", data[16:20])[0]


@pytest.mark.parametrize("width", WIDTHS, ids=[f"{width}px" for width in WIDTHS])
@pytest.mark.parametrize("name", PAGES.keys())
def test_page_fits_the_width_and_is_captured(new_page, name, width):
    page = new_page(viewport={"width": width, "height": 900})
    response = page.goto(PAGES[name])
    assert response.status == 200
    load_everything(page)

    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{PAGES[name]} scrolls sideways by {overflow}px at {width}px"
    broken = page.evaluate("Array.from(document.images).filter(i => !i.naturalWidth).map(i => i.src)")
    assert broken == [], f"images that did not load: {broken}"

    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS_DIR / f"{name}-{width}.png"
    data = page.screenshot(path=path, full_page=True)
    assert png_width(data) == width
    assert path.read_bytes() == data
