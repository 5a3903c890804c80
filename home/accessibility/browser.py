"""Running axe in Chromium over a list of pages, in each display condition (背景色 × 文字サイズ).

The browser runs in a thread of its own: Playwright's sync API keeps an event loop running in the thread
that starts it, which would refuse a caller that already has one (a test with its own browser) and
which Django takes for an async context. This module reads no database; it only fetches pages over HTTP.
"""

import os
import threading
from dataclasses import dataclass

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM") or "/usr/bin/chromium"
# No calls to Google's services on a closed network. Chromium's sandbox needs user namespaces, which root
# (a container, a CI runner) rarely has; as any other user the browser keeps its sandbox.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
] + (["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])
WCAG20_TAGS = ["wcag2a", "wcag2aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG20_TAGS}, "resultTypes": ["violations", "incomplete"]}
MEDIA_SELECTOR = "video, audio, iframe, object, embed"
PAGE_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class Condition:
    key: str
    label: str
    scheme: str
    text_size: str
    furigana: bool = False

    def cookies(self, url):
        """The display cookies of home/display.py for this condition, for the site at `url`."""
        values = {
            "display_scheme": self.scheme,
            "display_text_size": self.text_size,
            "display_furigana": "on" if self.furigana else "off",
        }
        return [{"name": name, "value": value, "url": url} for name, value in values.items()]

    def as_dict(self):
        return {
            "key": self.key,
            "label": self.label,
            "scheme": self.scheme,
            "text_size": self.text_size,
            "furigana": self.furigana,
        }


# The default display, then each colour scheme at the largest text size with ふりがな on: the hardest case
# for contrast and layout that a visitor can choose.
CONDITIONS = (
    Condition("white-normal", "白・標準", "white", "normal"),
    Condition("white-large", "白・大・ふりがな", "white", "large", furigana=True),
    Condition("black-large", "黒・大・ふりがな", "black", "large", furigana=True),
    Condition("blue-large", "青・大・ふりがな", "blue", "large", furigana=True),
)


class BrowserUnavailable(Exception):
    """Playwright, axe or Chromium is missing or does not start; the message says what to install."""


def browser_problem(chromium=CHROMIUM):
    """Why the browser cannot run here (a Japanese sentence), or None."""
    try:
        import axe_playwright_python.sync_playwright  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "Playwright または axe-playwright-python がインストールされていません"
            "(pip install -r requirements-dev.txt)。"
        )
    if not (os.path.isfile(chromium) and os.access(chromium, os.X_OK)):
        return (
            f"Chromium が見つかりません({chromium})。Debian では apt-get install chromium fonts-noto-cjk で"
            "インストールするか、--chromium または環境変数 PLAYWRIGHT_CHROMIUM で場所を指定してください。"
        )
    return None


def run_axe(base_url, paths, conditions=CONDITIONS, chromium=CHROMIUM, progress=None):
    """axe's results for every path in every condition, as run dicts (home/accessibility/judging.py),
    plus the browser's version: (runs, version). Raises BrowserUnavailable."""
    problem = browser_problem(chromium)
    if problem:
        raise BrowserUnavailable(problem)
    outcome = {}

    def work():
        try:
            outcome["value"] = _run(base_url, paths, conditions, chromium, progress)
        except BaseException as error:  # handed to the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=work, name="accessibility-axe", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _run(base_url, paths, conditions, chromium, progress):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    axe = Axe()
    runs = []
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            raise BrowserUnavailable(f"Chromium を起動できませんでした({chromium}): {error}") from error
        try:
            version = browser.version
            for condition in conditions:
                context = browser.new_context(
                    base_url=base_url,
                    locale="ja-JP",
                    timezone_id="Asia/Tokyo",
                    viewport={"width": 1280, "height": 900},
                )
                context.add_cookies(condition.cookies(base_url))
                context.set_default_timeout(PAGE_TIMEOUT_MS)
                page = context.new_page()
                for path in paths:
                    runs.append(_check(page, axe, path, condition))
                    if progress:
                        progress(path, condition, runs[-1])
                context.close()
        finally:
            browser.close()
    return runs, version


def _check(page, axe, path, condition):
    from playwright.sync_api import Error as PlaywrightError

    run = {"url": path, "condition": condition.key, "status": 0, "lang": "", "media": 0}
    try:
        response = page.goto(path, wait_until="load")
        run["status"] = response.status if response else 0
        if run["status"] != 200:
            return run
        run["lang"] = page.evaluate("document.documentElement.lang")
        run["media"] = page.evaluate(f"document.querySelectorAll({MEDIA_SELECTOR!r}).length")
        results = axe.run(page, options=AXE_OPTIONS).response
    except PlaywrightError as error:
        run["error"] = str(error).splitlines()[0]
        return run
    for kind in ("violations", "passes", "incomplete"):
        run[kind] = [
            {
                "id": rule["id"],
                "tags": [tag for tag in rule.get("tags", []) if tag.startswith("wcag")],
                "nodes": len(rule.get("nodes", [])),
            }
            for rule in results.get(kind, [])
        ]
    return run


def summary(run):
    """What the report keeps of a run: counts and the violated rules' ids."""
    violations = run.get("violations", [])
    return {
        "url": run["url"],
        "condition": run["condition"],
        "status": run["status"],
        "violations": len(violations),
        "nodes": sum(rule["nodes"] for rule in violations),
        "rules": [rule["id"] for rule in violations],
        "incomplete": len(run.get("incomplete", [])),
        "passes": len(run.get("passes", [])),
    }
