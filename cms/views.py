"""The page shown when the site itself fails (handler500)."""

import html
import logging

from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)

# Used when even 500.html cannot be rendered (a broken template, missing static manifest).
FALLBACK_PAGE = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8"><meta name="robots" content="noindex"><title>エラーが発生しました | {name}</title>
</head>
<body>
<h1>エラーが発生しました</h1>
<p>申し訳ありません。システムで問題が発生したため、ページを表示できませんでした。時間をおいてから、もう一度お試しください。</p>
<p><a href="/">トップページへ</a></p>
</body>
</html>
"""


def server_error(request):
    """Render 500.html from Django's settings alone: no request context, so no context processor, site
    setting or menu, none of which may be read while the database may be what failed."""
    site_name = settings.WAGTAIL_SITE_NAME
    try:
        body = loader.get_template("500.html").render({"site_name": site_name})
    except Exception:
        logger.exception("Could not render 500.html; serving the plain fallback page")
        body = FALLBACK_PAGE.format(name=html.escape(site_name))
    return HttpResponseServerError(body)
