"""Site navigation: the main and footer menus, the breadcrumb trail and the footer's contact links, all
resolved against the current Wagtail Site."""

import re
import unicodedata

from django import template
from django.http import QueryDict
from django.urls import reverse
from wagtail.models import Page, Site

from home import navigation
from home.navigation import site_chrome

register = template.Library()


def _site(request):
    return Site.find_for_request(request) if request is not None else None


def _marked(links, path):
    """Menu links as dicts, the current page's marked `current` and the section it lies in `active`."""
    items = []
    for link in links:
        current = path == link.url
        active = current or (link.url.startswith("/") and link.url != "/" and path.startswith(link.url))
        items.append({"url": link.url, "title": link.title, "current": current, "active": active})
    return items


def _navigation(context):
    request = context.get("request")
    site = _site(request)
    return (site_chrome(site, request) if site is not None else None), getattr(request, "path", "")


@register.inclusion_tag("components/main_nav.html", takes_context=True)
def main_nav(context):
    """The editors' main menu, or the catalog sections then the home page's children shown in menus."""
    navigation, path = _navigation(context)
    return {"items": _marked(navigation.main if navigation else (), path)}


@register.simple_tag(takes_context=True)
def footer_nav(context):
    """The editors' footer links, then the privacy policy's and the サイトマップ's addresses unless one of
    those links is already one of them."""
    navigation, path = _navigation(context)
    sitemap_url = reverse("sitemap_page")
    if navigation is None:
        return {"links": [], "privacy_url": "", "sitemap_url": sitemap_url, "sitemap_current": False}
    links = _marked(navigation.footer, path)
    listed = {link["url"] for link in links}
    return {
        "links": links,
        "privacy_url": "" if navigation.privacy_url in listed else navigation.privacy_url,
        "sitemap_url": "" if sitemap_url in listed else sitemap_url,
        "sitemap_current": path == sitemap_url,
    }


@register.simple_tag(takes_context=True)
def section_url(context, page_type):
    """The address of the site's section of `page_type` ("projects.EventIndexPage"), "" when visitors have
    none: {% section_url "projects.EventIndexPage" as events_url %}."""
    site = _site(context.get("request"))
    return navigation.section_url(site, page_type, context.get("request")) if site is not None else ""


@register.filter
def tel_uri(number):
    """A phone number as typed by an editor ("042-000-0000", full-width digits) as a tel: address."""
    number = unicodedata.normalize("NFKC", number or "").strip()
    digits = re.sub(r"\D", "", number)
    return f"tel:{'+' if number.startswith('+') else ''}{digits}" if digits else ""


@register.simple_tag(takes_context=True)
def breadcrumb_ancestors(context, page):
    """Ancestors of `page` from the site's home page down, excluding the page itself."""
    if not isinstance(page, Page):
        return []
    site = _site(context.get("request"))
    min_depth = site.root_page.depth if site is not None else 2
    return list(page.get_ancestors().filter(depth__gte=min_depth))


@register.simple_tag
def elided_page_range(page_obj):
    """Page numbers around the current page; None marks a gap (…)."""
    paginator = page_obj.paginator
    return [
        None if number == paginator.ELLIPSIS else number
        for number in paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    ]


@register.simple_tag(takes_context=True)
def page_query(context, number):
    """A link to page `number` of the current listing that keeps the other query parameters."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    if number == 1:
        params.pop("page", None)
    else:
        params["page"] = number
    query = params.urlencode()
    if query:
        return f"?{query}"
    return getattr(request, "path", "") or "?"
