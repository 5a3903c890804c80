"""The event page with its registration form, a registration's status page, and cancellation by link."""

from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from home import page_cache
from home.navigation import privacy_policy_url
from home.signed_links import InvalidLink
from projects.rate_limits import posted_too_often

from . import services
from .emails import cancel_url
from .forms import RegistrationForm
from .tokens import CANCEL, STATUS, make_token, registration_for_token

RATE_LIMITED = "短時間に多くの申込がありました。しばらく時間をおいて、もう一度お試しください。"


def event_page(page, request):
    """GET: the event with its registration form. POST: register, then show the registration's status."""
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    status_code = 200
    if request.method == "POST":
        if posted_too_often(request, "event-registration"):
            form.add_error(None, RATE_LIMITED)
            status_code = 429
        elif form.is_valid():
            try:
                registration = services.register(page, form.details())
            except services.RegistrationRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                token = make_token(registration, STATUS)
                return HttpResponseRedirect(
                    page.url + page.reverse_subpage("registration_route", args=[token])
                )
    # Before the seats are read: a registration from now on drops this page from the page cache.
    page_cache.depends_on(request, page_cache.seats_key(page.pk))
    confirmed = page.confirmed_count()
    response = page.render(
        request,
        context_overrides={
            "registration_form": form,
            "confirmed_count": confirmed,
            "registration_state": page.registration_state(confirmed=confirmed),
            "seats_left": page.seats_left(confirmed),
            "privacy_policy_url": privacy_policy_url(request),
        },
    )
    response.status_code = status_code
    return response


def registration_status(page, request, token):
    """A person's own registration: confirmed or waitlisted, with their cancellation link."""
    registration = _registration(token, STATUS, page)
    context = {"page": page, "registration": registration}
    if registration:
        context["cancel_url"] = cancel_url(registration)
    return _private(request, "projects/registration_status.html", context, found=registration is not None)


def cancel_registration(page, request, token):
    """GET asks to confirm (mail scanners follow links); POST cancels."""
    registration = _registration(token, CANCEL, page)
    context = {"page": page, "registration": registration, "cancelled_now": False}
    if registration and request.method == "POST":
        context["cancelled_now"] = services.cancel(registration)
    return _private(request, "projects/registration_cancel.html", context, found=registration is not None)


def _registration(token, purpose, page):
    try:
        return registration_for_token(token, purpose, page)
    except InvalidLink:
        return None


def _private(request, template, context, found):
    """A page reached by a private link: never cached, never listed, and never naming its own address in
    the head (no canonical, no og:url), so sharing it does not hand the link on."""
    context = {**context, "noindex": True}
    response = TemplateResponse(request, template, context, status=200 if found else 404)
    add_never_cache_headers(response)
    response["Cache-Control"] += ", private"
    response["X-Robots-Tag"] = "noindex"
    return response
