"""The skeleton every public form shares (event registration, pro bono worker registration, support
application): a rate limit per form and address (429 with a message in the form), POST/redirect/GET after
an accepted submission, and the private, never-cached pages that personal links open.

REGISTRATION_RATE_LIMIT is how often one address may post each form, counted separately per form.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django_ratelimit.core import is_ratelimited


def rate_limited_message(what="申込"):
    """What a person over the limit reads; `what` names what they sent (申込, 送信)."""
    return f"短時間に多くの{what}がありました。しばらく時間をおいて、もう一度お試しください。"


def posted_too_often(request, form_name):
    """True when this POST goes over the limit; it counts towards it either way."""
    rate = settings.REGISTRATION_RATE_LIMIT
    if not rate:
        return False
    return is_ratelimited(request, group=form_name, key="ip", rate=rate, method="POST", increment=True)


def bound_form(form_class, request, **kwargs):
    """The form bound to the POST, or unbound for a GET."""
    return form_class(request.POST if request.method == "POST" else None, **kwargs)


def submit(request, form, form_name, accept, what="申込"):
    """Handle a public form's POST; returns (status, redirect), redirect None when the form shows again.

    Over the rate limit, the form carries the message and the status is 429. A valid form goes to
    `accept(form)`, which returns the URL to redirect to, or None when it refused (the reason added to
    the form). A GET, or an invalid form, shows the form again with status 200.
    """
    if request.method != "POST":
        return 200, None
    if posted_too_often(request, form_name):
        form.add_error(None, rate_limited_message(what))
        return 429, None
    if form.is_valid():
        url = accept(form)
        if url:
            return 200, HttpResponseRedirect(url)
    return 200, None


def make_private(response):
    """Never cached, never indexed: for pages that hold personal data or are reached by a private link."""
    add_never_cache_headers(response)
    response["Cache-Control"] += ", private"
    response["X-Robots-Tag"] = "noindex"
    return response


def private_response(request, template, context, status=200):
    """A page reached by a private link: private and noindex, and never naming its own address in the
    head (no canonical, no og:url), so sharing it does not hand the link on."""
    context = {**context, "noindex": True}
    return make_private(TemplateResponse(request, template, context, status=status))
