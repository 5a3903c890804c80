"""The catalog's links for templates outside it: the five 探す pages of the request's site."""

from dataclasses import dataclass

from django import template
from wagtail.models import Site

from home.invalidation import cached
from home.visibility import visible
from projects.models import ProjectIndexPage

register = template.Library()

CACHE_KEY = "projects:browse-links:{site_id}"
TIMEOUT = 300


@dataclass(frozen=True)
class BrowseLink:
    key: str
    label: str
    url: str


@register.simple_tag(takes_context=True)
def catalog_browse_links(context):
    """The catalog's 探す pages, by facet, at the catalog's own address; none while the site has no live,
    public catalog. Kept in the cache until content changes: the footer of every page shows them."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return []
    return cached(CACHE_KEY.format(site_id=site.pk), lambda: _browse_links(site, request), TIMEOUT)


def _browse_links(site, request):
    index = visible(ProjectIndexPage.objects.descendant_of(site.root_page)).first()
    url = index.get_url(request=request) if index is not None else None
    if not url:
        return []
    return [BrowseLink(*link) for link in index.browse_links(url)]
