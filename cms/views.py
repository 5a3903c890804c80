"""The pages shown when the site itself fails (handler500): 503 while the database is unreachable, 500
otherwise; and 413 when a request is too large to accept (cms/size_limits.py)."""

import html
import logging
import sys

from django.conf import settings
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.template.defaultfilters import filesizeformat

logger = logging.getLogger(__name__)

# How long browsers, crawlers and proxies are asked to wait before trying again during an outage.
RETRY_AFTER_SECONDS = 60

# Used when even 500.html or 503.html cannot be rendered (a broken template, missing static manifest).
FALLBACK_PAGE = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8"><meta name="robots" content="noindex"><title>{title} | {name}</title>
</head>
<body>
<h1>{title}</h1>
<p>{message}</p>
<p><a href="/">トップページへ</a></p>
</body>
</html>
"""
FALLBACK_500 = {
    "title": "エラーが発生しました",
    "message": "申し訳ありません。システムで問題が発生したため、ページを表示できませんでした。"
    "時間をおいてから、もう一度お試しください。",
}
FALLBACK_503 = {
    "title": "ただいまご利用いただけません",
    "message": "申し訳ありません。ただいまメンテナンス中、または一時的にご利用いただけない状態です。"
    "しばらくしてから、もう一度お試しください。",
}

FALLBACK_413 = {
    "title": "送信できる大きさを超えています",
    "message": "送信された内容が大きすぎるため、受け付けられませんでした。"
    "ファイルを小さくするか、入力を短くしてから、もう一度お試しください。",
}


def _render(template_name, site_name, fallback, **context):
    try:
        return loader.get_template(template_name).render({"site_name": site_name, **context})
    except Exception:
        logger.exception("Could not render %s; serving the plain fallback page", template_name)
        return FALLBACK_PAGE.format(name=html.escape(site_name), **fallback)


def database_outage(error):
    """True when `error` says the database cannot be reached, rather than that the code is wrong."""
    return isinstance(error, (OperationalError, InterfaceError))


def server_error(request):
    """Render 500.html, or 503.html during a database outage, from Django's settings alone: no request
    context, so no context processor, site setting or menu, none of which may be read while the database
    may be what failed.

    Django calls this inside its `except` block, so the exception being handled tells the two apart.
    """
    site_name = settings.WAGTAIL_SITE_NAME
    error = sys.exc_info()[1]
    if not database_outage(error):
        return HttpResponseServerError(_render("500.html", site_name, FALLBACK_500))

    # One line per request, naming the error but not the address (it may hold a personal link's token)
    # nor the visitor; Django's own traceback for each request is left out.
    reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
    logger.error("Database unavailable, answering 503: %s %s", type(error).__name__, reason)
    response = HttpResponse(_render("503.html", site_name, FALLBACK_503), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # django.core.handlers.exception.response_for_exception would otherwise log the full traceback again.
    response._has_been_logged = True
    return response


def request_too_large(limit):
    """413 for a request whose body is over `limit` bytes, from the settings alone like the pages above."""
    body = _render("413.html", settings.WAGTAIL_SITE_NAME, FALLBACK_413, limit=filesizeformat(limit))
    response = HttpResponse(body, status=413)
    response["Cache-Control"] = "no-store"
    return response
