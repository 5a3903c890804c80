"""The support application page: the form (GET shows it, POST applies) and the generic thank-you step."""

from django.db import transaction

from home.navigation import privacy_policy_url
from home.public_forms import bound_form, submit
from projects.models import ApplicationStatus, SupportApplication

from . import emails
from .forms import SupportApplicationForm

DEFAULT_THANKS = (
    "お申込みありがとうございました。受付のお知らせを、ご担当者のメールアドレスにお送りしました。"
    "センターの担当者が内容を確認し、2週間ほどのうちにご連絡します。"
)


def application_form(page, request):
    form = bound_form(SupportApplicationForm, request)

    def accept(form):
        application = create_application(form.cleaned_data)
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


def create_application(data):
    with transaction.atomic():
        application = SupportApplication.objects.create(
            organization_name=data["organization_name"],
            legal_form=data["legal_form"],
            area=data["area"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            description=data["description"],
            status=ApplicationStatus.NEW,
        )
        application.problems.set(data["problems"])
        application.support_menus.set(data["support_menus"])
    return application
