"""The support application page: the form (GET shows it, POST applies) and the generic thank-you step."""

from django.db import transaction
from django.http import HttpResponseRedirect

from home.navigation import privacy_policy_url
from projects.models import ApplicationStatus, SupportApplication
from projects.rate_limits import posted_too_often

from . import emails
from .forms import SupportApplicationForm

RATE_LIMITED = "短時間に多くの申込がありました。しばらく時間をおいて、もう一度お試しください。"
DEFAULT_THANKS = (
    "お申込みありがとうございました。受付のお知らせを、ご担当者のメールアドレスにお送りしました。"
    "センターの担当者が内容を確認し、2週間ほどのうちにご連絡します。"
)


def application_form(page, request):
    form = SupportApplicationForm(request.POST if request.method == "POST" else None)
    status_code = 200
    if request.method == "POST":
        if posted_too_often(request, "support-application"):
            form.add_error(None, RATE_LIMITED)
            status_code = 429
        elif form.is_valid():
            application = create_application(form.cleaned_data)
            site = page.get_site()
            emails.send_receipt(application, site)
            emails.send_notice(application, site)
            # POST/redirect/GET: reloading the thank-you page never applies twice.
            return HttpResponseRedirect(page.url + page.reverse_subpage("thanks_route"))
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
