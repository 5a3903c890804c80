"""sitemap.xml: every address search engines should index, on the public origin (PUBLIC_BASE_URL) rather
than the Wagtail Site's hostname, so it agrees with canonical links and robots.txt.

Wagtail's sitemap lists each live public page through the page's `get_sitemap_urls` (a page adds the
addresses its own views answer there: the catalog adds each 年度's results and each term with projects).
A section page also answers, here as on the human sitemap (home/sitemap_page.py), the pages of its own
views (`sitemap_routes`: 年度別の支援実績, 終了したイベント) and its ways to browse (`sitemap_browse`).
Pages reached by a private link are routes nobody lists, so they never appear.
"""

from urllib.parse import urlsplit, urlunsplit

from django.utils.encoding import iri_to_uri
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from home.last_modified import set_last_modified
from home.origin import absolute_url
from home.visibility import visible


def _on_public_origin(url):
    parts = urlsplit(url)
    return iri_to_uri(absolute_url(urlunsplit(("", "", parts.path, parts.query, parts.fragment))))


def _section_routes(page, url):
    """The human sitemap's routes and ways to browse of a section page below its address `url`."""
    routes = []
    for hook in ("sitemap_routes", "sitemap_browse"):
        method = getattr(page, hook, None)
        routes += [{"location": address} for _title, address in (method(url) if method else [])]
    return routes


class PublicSitemap(Sitemap):
    """Wagtail's Sitemap over the visible pages; each page's entries moved onto the public origin."""

    def items(self):
        pages = self.get_wagtail_site().root_page.get_descendants(inclusive=True)
        return visible(pages).order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        urls = []
        for item in self.paginator.page(page).object_list.iterator():
            entries = item.get_sitemap_urls(self.request)
            if entries:
                entries[1:1] = _section_routes(item, urlsplit(entries[0]["location"]).path)
            urls += entries
        for url_info in urls:
            url_info["location"] = _on_public_origin(url_info["location"])
        return urls


def sitemap(request):
    response = wagtail_sitemap(request, sitemaps={"wagtail": PublicSitemap}).render()
    # Not the newest page's lastmod, as Django would give: it stays put when a page is unpublished. Dated
    # under the page number as a number, so that spellings of one page (01, full-width digits) add no keys.
    number = request.GET.get("p", "1")
    if not (number.isascii() and number.isdigit() and len(number) <= 5):
        return response
    return set_last_modified(response, f"sitemap:{int(number)}")
