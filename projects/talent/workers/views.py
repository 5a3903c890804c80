"""The pro bono worker registration page: the form, the thank-you page, and the personal pages reached by
emailed links — confirming the address, then managing the profile (update, pause, withdraw).

Whether an address is already registered is never shown: a second registration gets the same thank-you
page, and the email tells the person the rest. Personal pages are private, no-store and noindex.
"""

import enum

from home.navigation import privacy_policy_url
from home.public_forms import (
    bound_form,
    make_private,
    posted_too_often,
    private_response,
    rate_limited_message,
    submit,
)
from home.signed_links import ExpiredLink, InvalidLink

from . import emails, services
from .forms import WorkerForm, initial_for
from .tokens import CONFIRM, MANAGE, worker_for_token

RATE_LIMITED = rate_limited_message("送信")
TEMPLATES = "projects/talent/"


class LinkProblem(enum.Enum):
    """Why a personal link did not open: the page says how to get a new one."""

    INVALID = "invalid"
    EXPIRED = "expired"


def registration_form(page, request):
    """GET: the form. POST: register (or email the already registered), then the thank-you page."""
    form = bound_form(WorkerForm, request)

    def accept(form):
        registered = services.register(form.profile())
        # The same thank-you page whatever happened: registered now, already registered, or emailed
        # already today (home/mail_policy.py).
        emails.send_registration_email(page, registered.worker, created=registered.created)
        return page.url + page.reverse_subpage("thanks_route")

    status_code, redirect = submit(request, form, "worker-registration", accept, what="送信")
    if redirect:
        return redirect
    response = page.render(
        request,
        template=TEMPLATES + "worker_registration_page.html",
        context_overrides={"worker_form": form, "privacy_policy_url": privacy_policy_url(request)},
    )
    response.status_code = status_code
    if request.method == "POST":
        make_private(response)
    return response


def thanks(page, request):
    return _private(request, "worker_thanks.html", {"page": page})


def confirm(page, request, token):
    """Opening the emailed link activates a pending worker; opening it again just says so."""
    worker, problem = _worker(token, CONFIRM)
    if worker is not None and worker.status == "withdrawn":
        worker, problem = None, LinkProblem.INVALID
    context = {"page": page, "worker": worker, "problem": problem, "activated_now": False}
    if worker is not None:
        context["activated_now"] = services.confirm(worker)
        if context["activated_now"]:
            emails.send_activated_email(page, worker)
        context["manage_url"] = emails.manage_url(page, worker)
    return _private(request, "worker_confirm.html", context, found=worker is not None)


def manage(page, request, token):
    """The worker's own profile: update it, or pause and resume their availability."""
    worker, problem = _worker(token, MANAGE)
    context = {"page": page, "worker": worker, "problem": problem, "token": token}
    if worker is None or worker.status == "withdrawn":
        return _private(request, "worker_manage.html", context, found=worker is not None)
    form = WorkerForm(initial=initial_for(worker), editing=True, current_briefing=worker.briefing_id)
    status_code = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if posted_too_often(request, "worker-registration"):
            context["error"] = RATE_LIMITED
            status_code = 429
        elif action in ("pause", "resume"):
            if services.set_paused(worker, paused=action == "pause"):
                context["done"] = action
        elif action == "update":
            form = WorkerForm(request.POST, editing=True, current_briefing=worker.briefing_id)
            if form.is_valid():
                if services.update(worker, form.profile()):
                    context["done"] = "update"
                form = WorkerForm(
                    initial=initial_for(worker), editing=True, current_briefing=worker.briefing_id
                )
        else:
            context["error"] = "操作を受け付けられませんでした。もう一度お試しください。"
            status_code = 400
    context.update(
        worker_form=form,
        withdraw_url=emails.page_path(page, "withdraw_route", token),
        privacy_policy_url=privacy_policy_url(request),
    )
    return _private(request, "worker_manage.html", context, status=status_code)


def withdraw(page, request, token):
    """GET asks to confirm (mail scanners follow links); POST erases the worker's personal data."""
    worker, problem = _worker(token, MANAGE)
    context = {"page": page, "worker": worker, "problem": problem, "withdrawn_now": False}
    if worker is not None and request.method == "POST" and worker.status != "withdrawn":
        email = services.withdraw(worker)
        if email:
            context["withdrawn_now"] = True
            emails.send_withdrawn_email(page, worker.pk, email)
    context["manage_url"] = emails.page_path(page, "manage_route", token)
    return _private(request, "worker_withdraw.html", context, found=worker is not None)


def _worker(token, purpose):
    """(worker, None) for a valid link, else (None, the LinkProblem)."""
    try:
        return worker_for_token(token, purpose), None
    except ExpiredLink:
        return None, LinkProblem.EXPIRED
    except InvalidLink:
        return None, LinkProblem.INVALID


def _private(request, template, context, found=True, status=None):
    return private_response(request, TEMPLATES + template, context, status=status or (200 if found else 404))
