"""`{% page_cache_csrf_token %}`: a form's CSRF field that still works on a page served from the cache."""

from django import template
from django.middleware.csrf import get_token
from django.utils.html import format_html

from home.page_cache import CSRF_PLACEHOLDER, wants_placeholder

register = template.Library()


@register.simple_tag(takes_context=True)
def page_cache_csrf_token(context):
    request = context.get("request")
    if request is None:
        return ""
    # On a page the cache may keep, the middleware puts each visitor's token in place of the placeholder.
    token = CSRF_PLACEHOLDER if wants_placeholder(request) else get_token(request)
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
