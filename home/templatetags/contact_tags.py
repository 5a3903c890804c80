"""The center's contact pages as the footer links to them: {% contact_pages as contact %} gives
`contact.contact_url` (the お問い合わせ page) and `contact.access_url` (the アクセス page), "" for a page the
site does not have or visitors may not see. Cached with the content version, like the menus."""

from django import template
from wagtail.models import Site

from home.invalidation import cached

register = template.Library()

CACHE_KEY = "home:contact-pages:v1:{site_id}"
# The same catch-up time as the menus (home/navigation.py) for a cache local to each process.
TIMEOUT = 60


def contact_pages_of(site, request=None):
    from wagtail.models import Page

    from home.models import AccessPage, ContactPage
    from home.visibility import visible

    def build():
        # Both pages in one query, the first of each type in tree order.
        pages = visible(Page.objects.type(ContactPage, AccessPage).descendant_of(site.root_page))
        first = {}
        for page in pages.select_related("content_type").order_by("path"):
            first.setdefault(page.content_type.model_class(), page)
        return {
            name: (first[model].get_url(request=request) or "") if model in first else ""
            for name, model in (("contact_url", ContactPage), ("access_url", AccessPage))
        }

    return cached(CACHE_KEY.format(site_id=site.pk), build, TIMEOUT)


@register.simple_tag(takes_context=True)
def contact_pages(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return {"contact_url": "", "access_url": ""}
    return contact_pages_of(site, request)


@register.simple_tag
def contact_page_address(center):
    """The お問い合わせ page's full address for an email signed by `center` (its CenterSettings), or ""."""
    from home.origin import absolute_url

    site = getattr(center, "site", None)
    if site is None:
        return ""
    url = contact_pages_of(site)["contact_url"]
    return absolute_url(url) if url else ""


@register.filter
def one_line(value):
    """Text an editor wrote over several lines, on one line (for an email's signature)."""
    return " ".join(str(value or "").split())
