"""`manage.py accessibility_report` against the live demo: it samples a page of every type plus a random
one, runs axe in Chromium in each display condition, and leaves a draft 試験結果 page with every success
criterion judged (docs/accessibility.md)."""

from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from wagtail.models import Page, get_page_models

from home.accessibility import judging
from home.accessibility.browser import CONDITIONS
from home.accessibility.criteria import CRITERIA
from home.models import AccessibilityPolicyPage, AccessibilityReportPage
from home.visibility import visible

pytest.importorskip("axe_playwright_python.sync_playwright", reason="axe-playwright-python is not installed.")

pytestmark = pytest.mark.xdist_group("browser")


def public_page_types():
    """The verbose names of the page types that have a public page in the demo."""
    names = set()
    for model in get_page_models():
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        if model is not Page and visible(Page.objects.filter(content_type=content_type)).exists():
            names.add(str(model._meta.verbose_name))
    return names


def test_the_command_tests_every_page_type_and_leaves_a_draft_report(live_url, db, undo):
    undo(lambda: AccessibilityReportPage.objects.all().delete())
    out = StringIO()

    call_command("accessibility_report", "--base-url", live_url, "--random", "1", "--seed", "20", stdout=out)

    report = AccessibilityReportPage.objects.get()
    assert not report.live
    assert report.get_parent().specific_class is AccessibilityPolicyPage
    latest = report.get_latest_revision_as_object()
    rows = list(latest.criteria.all())
    assert [row.number for row in rows] == [criterion.number for criterion in CRITERIA]
    results = dict(judging.RESULT_CHOICES)
    methods = dict(judging.METHOD_CHOICES)
    assert all(row.result in results and row.method in methods and row.note for row in rows)

    record = latest.test_data
    pages = record["pages"]
    assert [page["sampling"] for page in pages].count("無作為") == 1
    types = {page["type"] for page in pages}
    assert public_page_types() <= types
    assert {"カタログの絞り込み", "サイト内検索の結果", "サイトマップ"} <= types
    assert [condition["key"] for condition in record["conditions"]] == [c.key for c in CONDITIONS]
    assert len(record["runs"]) == len(pages) * len(CONDITIONS)
    assert all(run["status"] == 200 for run in record["runs"]), record["runs"]
    assert all(run["passes"] for run in record["runs"])

    # The demo is axe-clean in every colour scheme and at 大, so nothing fails; the page language is
    # the one criterion judged 適合 by the machine, and no media means 1.2.x does not apply.
    judged = {row.number: row.result for row in rows}
    assert [number for number, result in judged.items() if result == judging.FAIL] == [], [
        (run["url"], run["condition"], run["rules"]) for run in record["runs"] if run["rules"]
    ]
    assert judged["3.1.1"] == judging.PASS
    assert {judged[number] for number in ("1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5")} == {
        judging.NOT_APPLICABLE
    }

    summary = out.getvalue()
    assert f"試験結果の下書きを作成しました: {report.title}" in summary
    assert "達成基準38件: 適合1件・不適合0件・非適用5件・未確認32件" in summary


def test_policy_and_report_pages_have_no_wcag_violations_in_each_condition(new_page, live_url, db, undo):
    from axe_playwright_python.sync_playwright import Axe
    from wagtail.models import Site

    from home.accessibility.report import save_report
    from home.accessibility.sampling import REPRESENTATIVE, Sample

    undo(lambda: AccessibilityReportPage.objects.all().delete())
    runs = [
        {
            "url": "/",
            "condition": c.key,
            "status": 200,
            "lang": "ja",
            "media": 0,
            "violations": [],
            "passes": [],
        }
        for c in CONDITIONS
    ]
    sample = Sample("/", "ホーム", "ホーム", REPRESENTATIVE)
    site = Site.objects.get(is_default_site=True)
    report, _created, _judgements = save_report(
        site, [sample], runs, conditions=CONDITIONS, seed=1, tool="axe-core", browser="Chromium"
    )
    report.get_latest_revision().publish()
    report_url = AccessibilityReportPage.objects.get(pk=report.pk).url
    policy_url = AccessibilityPolicyPage.objects.get().url

    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
    for condition in CONDITIONS:
        for viewport in ({"width": 1280, "height": 900}, {"width": 320, "height": 640}):
            page = new_page(viewport=viewport)
            page.context.add_cookies(condition.cookies(live_url))
            for url in (policy_url, report_url):
                assert page.goto(url).status == 200
                violations = (
                    Axe().run(page, options={**options, "resultTypes": ["violations"]}).response["violations"]
                )
                assert not violations, (url, condition.key, viewport, [v["id"] for v in violations])
