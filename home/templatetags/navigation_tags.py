"""Site navigation: the main menu and the breadcrumb trail, both resolved against the current Wagtail Site."""

from django import template
from django.http import QueryDict
from wagtail.models import Page, Site

from home.navigation import menu_pages

register = template.Library()

# The catalog's sections lead the menu, under these names, whenever their index page is live.
SECTIONS = (
    ("/projects/", "プロジェクト"),
    ("/organizations/", "団体"),
    ("/events/", "イベント"),
    ("/news/", "お知らせ"),
)


def _site(request):
    return Site.find_for_request(request) if request is not None else None


@register.inclusion_tag("components/main_nav.html", takes_context=True)
def main_nav(context):
    """The catalog sections that exist, then the home page's other children marked 'show in menus'."""
    request = context.get("request")
    site = _site(request)
    children = menu_pages(site, request) if site is not None else []
    existing_urls = {url for url, _title, _in_menu in children}
    items = [{"url": url, "title": title} for url, title in SECTIONS if url in existing_urls]
    known_urls = {item["url"] for item in items}
    for url, title, in_menu in children:
        if in_menu and url and url not in known_urls:
            items.append({"url": url, "title": title})
            known_urls.add(url)
    path = getattr(request, "path", "")
    for item in items:
        item["current"] = path == item["url"]
        item["active"] = item["current"] or (item["url"] != "/" and path.startswith(item["url"]))
    return {"items": items}


@register.simple_tag
def catalog_facets():
    """The five catalog facets, for the 探す links; no database query."""
    from projects.models import FACETS

    return FACETS


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
