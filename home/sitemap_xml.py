"""sitemap.xml: Wagtail's sitemap of the site's live public pages, every address on the public origin
(PUBLIC_BASE_URL) rather than the Wagtail Site's hostname, so it agrees with canonical links and robots.txt.
"""

from urllib.parse import urlsplit, urlunsplit

from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from home.origin import absolute_url


def _on_public_origin(url):
    parts = urlsplit(url)
    return absolute_url(urlunsplit(("", "", parts.path, parts.query, parts.fragment)))


class PublicSitemap(Sitemap):
    """Wagtail's Sitemap; each page's entries (get_sitemap_urls) are moved onto the public origin."""

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url_info in urls:
            url_info["location"] = _on_public_origin(url_info["location"])
        return urls


def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"wagtail": PublicSitemap})
