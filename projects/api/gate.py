"""The one door of every API request, before Ninja reads a parameter: the request is anonymous, it counts
towards the address's rate limit, and only GET (and HEAD) are answered.

Anonymous because what the API returns must never depend on who asks: a staff member's session cookie is
set aside (Wagtail API v3's `AllowAnonymous` normalising), so nothing reads the session and no answer
varies by cookie.
"""

import functools

from django.conf import settings
from django.utils.module_loading import import_string
from django_ratelimit.core import get_usage
from wagtail.api.v3.auth import AllowAnonymous

from .errors import error_response

RATE_LIMIT_GROUP = "open-data-api"
RATE_LIMITED = "短時間に多くのリクエストがありました。しばらく時間をおいて、もう一度お試しください。"
METHOD_NOT_ALLOWED = "このAPIはデータの取得(GET)だけを受け付けます。"
ALLOWED_METHODS = ("GET", "HEAD")

_anonymous = AllowAnonymous()


def _no_address(group, request):
    return "no-address"


def over_rate_limit(request):
    """The seconds until the address's window ends when this request goes over API_RATE_LIMIT, else None.
    Every request counts, whatever it asks for."""
    rate = settings.API_RATE_LIMIT
    if not rate:
        return None
    # Counted per address (RATELIMIT_IP_META_KEY: cms.client_ip); a request that carries no address at
    # all (some WSGI test clients, a misconfigured proxy) shares one count instead of failing.
    key = "ip" if import_string(settings.RATELIMIT_IP_META_KEY)(request) else _no_address
    usage = get_usage(
        request, group=RATE_LIMIT_GROUP, key=key, rate=rate, method=get_usage.ALL, increment=True
    )
    if usage is None or not usage["should_limit"]:
        return None
    return max(int(usage["time_left"]), 1)


def gate(view):
    @functools.wraps(view)
    def gated(request, *args, **kwargs):
        _anonymous(request)
        retry_after = over_rate_limit(request)
        if retry_after is not None:
            response = error_response(429, RATE_LIMITED, Retry_After=str(retry_after))
            response["Cache-Control"] = "no-store"
            return response
        if request.method not in ALLOWED_METHODS:
            return error_response(405, METHOD_NOT_ALLOWED, Allow=", ".join(ALLOWED_METHODS))
        if request.method == "HEAD":
            # Answered as GET; the server leaves the body out.
            request.method = "GET"
            try:
                return view(request, *args, **kwargs)
            finally:
                request.method = "HEAD"
        return view(request, *args, **kwargs)

    return gated
