"""The site's one public address. Every absolute URL the site writes comes from here: canonical links,
OGP, JSON-LD, feeds, sitemap.xml, robots.txt, calendar files and emails.

The address is PUBLIC_BASE_URL (cms/settings), never the request's host or the Wagtail Site's hostname, so
that a page, its sitemap entry and the link in an email always agree, whatever address a request came in on.
"""

from urllib.parse import urlsplit

from django.conf import settings

# Calendar entries are identified by `<page id>@<this domain>`. It must never change, or every calendar
# that imported an event would show it twice; so it is not derived from the public address.
DEFAULT_CALENDAR_UID_DOMAIN = "hachioji-katsudo.example.jp"


def public_origin():
    """The site's public origin without a trailing slash, such as https://example.org."""
    return settings.PUBLIC_BASE_URL.rstrip("/")


def absolute_url(path):
    """`path` ("/events/x/") on the public origin; URLs that are already absolute are kept."""
    origin = public_origin()
    if not path:
        return f"{origin}/"
    if urlsplit(path).scheme:
        return path
    if path.startswith("//"):
        return f"{urlsplit(origin).scheme}:{path}"
    return f"{origin}/{path.lstrip('/')}"


def page_path(page, request=None):
    """The page's path within its site ("/events/briefing/"), or None when it has no address."""
    parts = page.get_url_parts(request=request)
    return parts[2] if parts else None


def page_url(page, request=None):
    """The page's public absolute URL; the site's home address when the page has none of its own."""
    return absolute_url(page_path(page, request))


def calendar_uid_domain():
    """The stable domain of calendar UIDs (CALENDAR_UID_DOMAIN)."""
    return getattr(settings, "CALENDAR_UID_DOMAIN", "") or DEFAULT_CALENDAR_UID_DOMAIN
