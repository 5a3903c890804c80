"""Triage of support applications: which status changes are allowed, and what accepting creates.

Every change locks the application's row (select_for_update) and looks at its status again under the
lock, so a double-click or two staff members at once cannot accept twice: the second finds the
application already accepted and changes nothing.
"""

import html
import unicodedata

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.rich_text import RichText

from projects.models import (
    ApplicationStatus,
    LegalForm,
    OrganizationIndexPage,
    OrganizationPage,
    ProjectIndexPage,
    ProjectPage,
    ProjectStatus,
    SupportApplication,
)
from projects.models.projects import RESERVED_SLUGS

NEW, SCREENING = ApplicationStatus.NEW, ApplicationStatus.SCREENING
ACCEPTED, DECLINED = ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED
FINAL = {ACCEPTED, DECLINED}
# new → screening → accepted / declined; an application plainly out of scope may be declined at once.
TRANSITIONS = {NEW: {SCREENING, DECLINED}, SCREENING: {ACCEPTED, DECLINED}, ACCEPTED: set(), DECLINED: set()}
# How the organization page names the legal form (its field is free text, as in the catalog).
LEGAL_FORM_LABELS = {
    LegalForm.NPO: "NPO法人",
    LegalForm.GENERAL_INCORPORATED: "一般社団法人・一般財団法人",
    LegalForm.PUBLIC_INTEREST: "公益社団法人・公益財団法人",
    LegalForm.VOLUNTARY: "任意団体",
    LegalForm.OTHER: "",
}


class TransitionRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def refusal(current, wanted):
    current_label, wanted_label = ApplicationStatus(current).label, ApplicationStatus(wanted).label
    if current in FINAL:
        return (
            f"この申込はすでに「{current_label}」です。支援決定と見送りは最終の状態のため、"
            "状態は変えられません(事務局メモは書き足せます)。"
        )
    if wanted == ACCEPTED:
        return "支援決定にできるのは「確認中」の申込だけです。先に「確認中」にして、内容を確認してください。"
    return f"「{current_label}」から「{wanted_label}」には変えられません。"


def allowed_statuses(current):
    """The statuses a staff member may choose for an application now in `current` (itself included)."""
    return [current, *[value for value in ApplicationStatus.values if value in TRANSITIONS[current]]]


def name_key(name):
    """Organization names compared loosely: width, case and spaces folded (ＮＰＯ法人 Ａ = npo法人a)."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def matching_organization(application):
    """The catalog's organization page with the application's organization name, if there is one."""
    key = name_key(application.organization_name)
    for page in OrganizationPage.objects.order_by("-live", "pk").only("pk", "title"):
        if name_key(page.title) == key:
            return page
    return None


def change_status(pk, wanted, *, user, staff_notes, organization=None):
    """Set an application's status and notes; accepting creates the draft pages. Returns
    (application, changed) where `changed` is False when the application already had that status.
    Raises TransitionRefused for a change the triage does not allow."""
    with transaction.atomic():
        application = SupportApplication.objects.select_for_update().get(pk=pk)
        current = application.status
        application.staff_notes = staff_notes
        changed = wanted != current
        if changed:
            if wanted not in TRANSITIONS[current]:
                raise TransitionRefused(refusal(current, wanted))
            if wanted == ACCEPTED:
                _create_pages(application, user, organization)
            application.status = wanted
            if wanted in FINAL:
                application.decided_at = timezone.now()
        application.save()
    return application, changed


def _create_pages(application, user, organization):
    organization_index = OrganizationIndexPage.objects.live().order_by("path").first()
    project_index = ProjectIndexPage.objects.live().order_by("path").first()
    if project_index is None or (organization is None and organization_index is None):
        raise TransitionRefused(
            "公開中の団体一覧ページとプロジェクト一覧ページが見つからないため、下書きを作れません。"
            "先にページを用意してください。"
        )
    if organization is None:
        organization = _add_draft(
            organization_index,
            OrganizationPage(
                title=application.organization_name,
                legal_form=LEGAL_FORM_LABELS.get(application.legal_form, ""),
                area=application.area,
            ),
            user,
            fallback_slug=f"organization-application-{application.pk}",
        )
    problems = list(application.problems.all())
    project = ProjectPage(
        title=project_title(application, problems),
        organization=organization,
        status=ProjectStatus.PREPARING,
        summary=" ".join(application.description.split())[:300],
        body=[("paragraph", RichText(description_html(application.description)))],
    )
    project.problems = problems
    project.support_menus = list(application.support_menus.all())
    project.areas = [application.area] if application.area else []
    _add_draft(project_index, project, user, fallback_slug=f"project-application-{application.pk}")
    application.organization = organization
    application.project = project


def project_title(application, problems):
    challenge = "・".join(problem.name for problem in problems) or "プロボノ支援"
    return f"{challenge}({application.organization_name})"[:255]


def description_html(text):
    """The applicant's text as rich text: a paragraph per blank-line block, line breaks kept."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    return "".join(f"<p>{html.escape(block).replace(chr(10), '<br/>')}</p>" for block in blocks)


def _add_draft(parent, page, user, fallback_slug):
    """Add `page` under `parent` as a draft with one revision, as the admin's create view does."""
    base = slugify(page.title, allow_unicode=True)[:200]
    if not base or base in RESERVED_SLUGS:
        base = fallback_slug  # a title of symbols only, or a word the catalog's URLs use
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    page.slug, page.live, page.owner = slug, False, user
    parent.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    return page
