"""The event page with its registration form, a registration's status page, and cancellation by link."""

from home import page_cache
from home.navigation import privacy_policy_url
from home.public_forms import bound_form, private_response, submit
from home.signed_links import InvalidLink
from projects.cache_keys import seats_key

from . import services
from .emails import cancel_url
from .forms import RegistrationForm
from .meeting import meeting_url
from .tokens import CANCEL, STATUS, make_token, registration_for_token


def event_page(page, request):
    """GET: the event with its registration form. POST: register, then show the registration's status."""
    form = bound_form(RegistrationForm, request)

    def accept(form):
        try:
            registration = services.register(page, form.details())
        except services.AlreadyReceived:
            return page.url + page.reverse_subpage("received_route")
        except services.RegistrationRefused as refusal:
            form.add_error(None, refusal.message)
            return None
        token = make_token(registration, STATUS)
        return page.url + page.reverse_subpage("registration_route", args=[token])

    status_code, redirect = submit(request, form, "event-registration", accept)
    if redirect:
        return redirect
    # Before the seats are read: a registration from now on drops this page from the page cache.
    page_cache.depends_on(request, seats_key(page.pk))
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


def registration_received(page, request):
    """Where the same registration sent again lands: received, with no personal data or links (whoever
    sends the same details must not get the person's cancellation link)."""
    return _private(request, "projects/registration_received.html", {"page": page}, found=True)


def registration_status(page, request, token):
    """A person's own registration: confirmed or waitlisted, with their cancellation link."""
    registration = _registration(token, STATUS, page)
    context = {"page": page, "registration": registration}
    if registration:
        context["cancel_url"] = cancel_url(registration)
        # Only a confirmed seat sees the online meeting's URL; the page is private and never cached.
        context["meeting_url"] = meeting_url(registration)
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
    return private_response(request, template, context, status=200 if found else 404)
