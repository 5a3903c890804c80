"""/favicon.ico: browsers and feed readers ask for it at the root whatever the page's <link rel="icon">
says (templates/components/head_icons.html). It answers with the shipped icon (static/favicon.ico) rather
than a 404 page, and lets browsers keep it for a day."""

from functools import cache

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

MAX_AGE = 24 * 60 * 60


@cache
def _icon():
    path = finders.find("favicon.ico")
    if not path:
        return None
    with open(path, "rb") as file:
        return file.read()


@require_safe
def favicon(request):
    icon = _icon()
    if icon is None:
        raise Http404
    response = HttpResponse(icon, content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
