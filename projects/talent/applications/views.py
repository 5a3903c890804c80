"""The support application page: the form (GET shows it, POST applies) and the generic thank-you step."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from home import mail_policy
from home.navigation import privacy_policy_url
from home.public_forms import bound_form, submit
from projects.models import ApplicationStatus, SupportApplication

from . import emails
from .forms import SupportApplicationForm

CONTENT_FIELDS = ("organization_name", "legal_form", "contact_name", "contact_phone", "description")
DEFAULT_THANKS = (
    "お申込みありがとうございました。受付のお知らせを、ご担当者のメールアドレスにお送りしました。"
    "センターの担当者が内容を確認し、2週間ほどのうちにご連絡します。"
)


def application_form(page, request):
    form = bound_form(SupportApplicationForm, request)

    def accept(form):
        application, created = create_application(form.cleaned_data)
        if created:
            # The same application sent again (a double click, a reload) lands on the first row: the
            # same thank-you page, and no second email to anyone.
            site = page.get_site()
            emails.send_receipt(application, site)
            emails.send_notice(application, site)
        # POST/redirect/GET: reloading the thank-you page never applies twice.
        return page.url + page.reverse_subpage("thanks_route")

    status_code, redirect = submit(request, form, "support-application", accept)
    if redirect:
        return redirect
    response = page.render(
        request,
        template="projects/talent/application_form.html",
        context_overrides={"application_form": form, "privacy_policy_url": privacy_policy_url(request)},
    )
    response.status_code = status_code
    return response


def thanks(page, request):
    """The same for everyone (no personal data), so the page cache may keep it."""
    return page.render(
        request,
        template="projects/talent/application_thanks.html",
        context_overrides={"thanks_text": page.thanks or DEFAULT_THANKS},
    )


def submission_key(data):
    """What makes two submissions the same application: every field, the address without its case."""
    return mail_policy.submission_key(
        "support-application",
        {
            **{name: data[name] for name in CONTENT_FIELDS},
            "contact_email": data["contact_email"].casefold(),
            "area": data["area"].slug,
            "problems": sorted(term.slug for term in data["problems"]),
            "support_menus": sorted(term.slug for term in data["support_menus"]),
        },
    )


def create_application(data, now=None):
    """The new application, or the one the same submission made within the duplicate window; returns
    (application, created). The unique submission key settles two identical submissions at once."""
    now = now or timezone.now()
    key = submission_key(data)
    cutoff = now - timedelta(seconds=settings.PUBLIC_FORM_DUPLICATE_WINDOW)
    # An older twin no longer counts: it gives up its key, and the new submission is a new application.
    SupportApplication.objects.filter(submission_key=key, created_at__lt=cutoff).update(submission_key=None)
    existing = SupportApplication.objects.filter(submission_key=key).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            application = SupportApplication.objects.create(
                **{name: data[name] for name in CONTENT_FIELDS},
                contact_email=data["contact_email"],
                area=data["area"],
                status=ApplicationStatus.NEW,
                submission_key=key,
            )
            application.problems.set(data["problems"])
            application.support_menus.set(data["support_menus"])
    except IntegrityError:
        existing = SupportApplication.objects.filter(submission_key=key).first()
        if existing is None:
            raise
        return existing, False
    return application, True
