"""Saving a test as a draft 試験結果 page below the accessibility policy page, for editors to complete
and publish."""

from django.db import transaction
from django.utils.text import slugify

from home.dates import today
from home.models.accessibility import (
    AccessibilityCriterionResult,
    AccessibilityPolicyPage,
    AccessibilityReportPage,
    AccessibilitySettings,
)
from home.visibility import visible

from . import judging
from .browser import summary


class NoPolicyPage(Exception):
    pass


def policy_page(site):
    """The site's policy page: a public one first, else any (a draft policy can hold draft reports)."""
    pages = AccessibilityPolicyPage.objects.descendant_of(site.root_page).order_by("path")
    page = visible(pages).first() or pages.first()
    if page is None:
        raise NoPolicyPage
    return page


def newest_draft(policy):
    """The newest report below `policy` that was never published, as its latest revision, or None."""
    draft = AccessibilityReportPage.objects.child_of(policy).filter(live=False).order_by("-pk").first()
    return draft.get_latest_revision_as_object() if draft is not None else None


@transaction.atomic
def save_report(site, samples, runs, *, conditions, seed, tool, browser):
    """Judge the criteria from `runs` and store them with the record of the test in the newest draft
    report, or in a new draft. Returns (report page, created, judgements)."""
    policy = policy_page(site)
    settings = AccessibilitySettings.for_site(site)
    report = newest_draft(policy)
    created = report is None
    judgements = judging.judge(runs)
    if not created:
        judgements = judging.merge(list(report.criteria.all()), judgements)
    day = today()
    if created:
        report = AccessibilityReportPage(
            title=f"アクセシビリティ試験結果({day.year}年{day.month}月{day.day}日)",
            slug=_free_slug(policy, f"report-{day:%Y%m%d}"),
            live=False,
        )
    report.test_date = day
    report.target_level = settings.target_level
    report.target = settings.scope or "このサイトの公開しているすべてのページ"
    report.test_data = {
        "tool": tool,
        "browser": browser,
        "seed": seed,
        "conditions": [condition.as_dict() for condition in conditions],
        "pages": [sample.as_dict() for sample in samples],
        "runs": [summary(run) for run in runs],
    }
    report.criteria = [
        AccessibilityCriterionResult(
            number=judgement.number,
            result=judgement.result,
            method=judgement.method,
            note=judgement.note,
            sort_order=position,
        )
        for position, judgement in enumerate(judgements)
    ]
    if created:
        policy.add_child(instance=report)
    report.save_revision(log_action=True)
    return report, created, judgements


def _free_slug(parent, base):
    slug = slugify(base)
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate
