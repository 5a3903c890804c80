"""Keeps a session that passed the password but not the second step out of the admin.

Such a session is sent to the code (or, for a required user without an authenticator, to the enrolment)
from every page of both admins, and is anonymous everywhere else, so that pages restricted to signed-in
users stay closed too. Only the second step's own screens and signing out see the user.
"""

from functools import cache
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from .policy import ENROL, pending_step

STEP_URL_NAMES = {ENROL: "staff_signin_enrol", "verify": "staff_signin_verify"}


@cache
def _admin_prefixes():
    return (reverse("wagtailadmin_home"), reverse("admin:index"))


@cache
def _open_paths():
    """The second step's screens, signing out, and the admin's translations and icons its screens load."""
    names = [
        "staff_signin_verify",
        "staff_signin_enrol",
        "staff_signin_recovery",
        "wagtailadmin_logout",
        "admin:logout",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
    ]
    return frozenset(reverse(name) for name in names)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A visitor without a session cookie (most public page views) is not signed in: no query.
        if request.session.session_key is None:
            return self.get_response(request)
        step = pending_step(request.user)
        if step is None or request.path_info in _open_paths():
            return self.get_response(request)
        if request.path_info.startswith(_admin_prefixes()):
            next_url = request.get_full_path() if request.method == "GET" else reverse("wagtailadmin_home")
            return redirect(f"{reverse(STEP_URL_NAMES[step])}?{urlencode({'next': next_url})}")
        request.user = AnonymousUser()

        async def anonymous():
            return request.user

        request.auser = anonymous
        return self.get_response(request)
