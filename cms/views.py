"""The pages shown when the site itself fails (handler500): 503 while the database is unreachable, 507 when
the disk has no room for an upload, 500 otherwise; and 413 when a request is too large to accept
(cms/size_limits.py)."""

import errno
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
FALLBACK_507 = {
    "title": "ファイルを保存できませんでした",
    "message": "保存先の空き容量が足りないため、ファイルを保存できませんでした。内容は保存されていません。"
    "サイトの管理者にお知らせください。",
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


def storage_full(error):
    """True when `error` says the disk (or the site's quota) has no room for what was being written."""
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


def server_error(request):
    """Render 500.html, 503.html during a database outage, or 507.html when the disk is full, from Django's
    settings alone: no request context, so no context processor, site setting or menu, none of which may be
    read while the database may be what failed.

    Django calls this inside its `except` block, so the exception being handled tells them apart.
    """
    site_name = settings.WAGTAIL_SITE_NAME
    error = sys.exc_info()[1]
    if database_outage(error):
        # One line per request, naming the error but not the address (it may hold a personal link's token)
        # nor the visitor; Django's own traceback for each request is left out.
        reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
        logger.error("Database unavailable, answering 503: %s %s", type(error).__name__, reason)
        response = _known_failure(_render("503.html", site_name, FALLBACK_503), 503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if storage_full(error):
        # Nothing was saved (home/media_storage.py removes the partial file); the operator needs the line,
        # not a traceback of the upload view.
        logger.error("Storage full, answering 507: %s", error.strerror)
        return _known_failure(_render("507.html", site_name, FALLBACK_507), 507)
    return HttpResponseServerError(_render("500.html", site_name, FALLBACK_500))


def _known_failure(page, status):
    response = HttpResponse(page, status=status)
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
