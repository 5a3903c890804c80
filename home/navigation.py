"""What every page shows around its content — the menus, the privacy policy's address and the center's
settings — resolved once per site and cached, so a page view reads none of them from the database.

The main menu is the one editors keep under 設定 → メニュー when it has items; otherwise the site's
sections (the home page's section index pages, home.models.SectionIndexPage), then the home page's other
children marked "show in menus". The sections' addresses are kept too, for links to a section by its
type. The footer menu is the editors'. Only live, public pages appear. The cache is keyed by the content
version (home/invalidation.py), which a page published, unpublished, moved or deleted, a view restriction,
the settings, a site or an image replace. Other processes (other web workers, the publish_scheduled cron
job) share the change through the shared cache (REDIS_URL); with Django's default per-process cache they
catch up within TIMEOUT.
"""

from dataclasses import dataclass

from wagtail.models import Page, Site

from . import visibility
from .invalidation import cached
from .origin import public_origin

# Versioned: a cached SiteChrome of an older shape must never be read after a deploy.
CACHE_KEY = "home:site-chrome:v2:{site_id}"
# Signals reach only the process that made the change; with a per-process cache (no shared cache
# configured) other processes catch up within this many seconds. Rebuilding costs a handful of queries.
TIMEOUT = 60

# The privacy policy's slug when the center's settings name no page (sites set up before the settings).
PRIVACY_POLICY_SLUG = "privacy"


@dataclass(frozen=True)
class MenuLink:
    url: str
    title: str


@dataclass(frozen=True)
class SiteChrome:
    main: tuple
    footer: tuple
    privacy_url: str
    # The address of each visible section, by its page type's label ("projects.projectindexpage").
    sections: dict
    # CenterSettings, unsaved defaults when editors never saved them: a page view never writes.
    center: object


def site_chrome(site, request=None):
    """The menus, privacy policy address and center settings of `site`, from the cache when there."""
    return cached(CACHE_KEY.format(site_id=site.pk), lambda: _build(site, request), TIMEOUT)


def privacy_policy_url(request):
    """The address of the privacy policy of the request's site, or "" when it has none."""
    site = Site.find_for_request(request)
    return site_chrome(site, request).privacy_url if site is not None else ""


def _build(site, request):
    from .models import CenterSettings, NavigationSettings

    # The images come along so that the cached settings never query for them.
    center = CenterSettings.base_queryset().filter(site=site).select_related(
        "logo", "share_image", "emblem"
    ).first() or CenterSettings(site=site)
    menus = NavigationSettings.objects.filter(site=site).first() or NavigationSettings(site=site)
    # One read of the view restrictions serves every lookup below.
    visible = visibility.visible(Page.objects.all(), visibility.private_sections_q())
    children = list(visible.child_of(site.root_page))
    sections = _sections(children, request)
    if len(menus.main_menu):
        main = _editor_links(menus.main_menu, site, request, visible)
    else:
        main = _automatic_links(children, sections, request)
    return SiteChrome(
        main=tuple(main),
        footer=tuple(_editor_links(menus.footer_menu, site, request, visible)),
        privacy_url=_privacy_url(center, site, request, visible),
        sections={label: link.url for label, link in sections},
        center=center,
    )


def _sections(children, request):
    """(page type label, MenuLink) of the home page's section index pages, in their menu order."""
    from .models import SectionIndexPage

    pages = [
        child
        for child in children
        if child.specific_class is not None and issubclass(child.specific_class, SectionIndexPage)
    ]
    pages.sort(key=lambda page: page.specific_class.menu_order)
    sections = []
    for page in pages:
        url = page.get_url(request=request)
        if url:
            link = MenuLink(url, page.specific_class.menu_label or page.title)
            sections.append((page.specific_class._meta.label_lower, link))
    return sections


def _automatic_links(children, sections, request):
    links = [link for _label, link in sections]
    known_urls = {link.url for link in links}
    for child in children:
        url = child.get_url(request=request)
        if child.show_in_menus and url and url not in known_urls:
            links.append(MenuLink(url, child.title))
            known_urls.add(url)
    return links


def section_url(site, page_type, request=None):
    """The address of `site`'s section of `page_type` ("projects.ProjectIndexPage"); "" when it has none
    that visitors may see."""
    return site_chrome(site, request).sections.get(page_type.lower(), "")


def _editor_links(stream, site, request, visible):
    items = [block.value for block in stream if block.block_type == "item"]
    page_ids = {item["page"].pk for item in items if item.get("page") is not None}
    shown = set(visible.filter(pk__in=page_ids).values_list("pk", flat=True)) if page_ids else set()
    links = []
    for item in items:
        page = item.get("page")
        if page is not None and page.pk not in shown:
            continue
        url = item.link_url(request)
        if url:
            links.append(MenuLink(_relative(url, site), item.link_title()))
    return links


def _relative(url, site):
    """An address on this site written out in full becomes a path, so it reads as the current page."""
    for origin in (public_origin(), site.root_url):
        origin = origin.rstrip("/")
        if origin and url.startswith(origin + "/"):
            return url[len(origin) :]
    return url


def _privacy_url(center, site, request, visible):
    from .models import StandardPage

    page = None
    if center.privacy_policy_page_id:
        page = visible.filter(pk=center.privacy_policy_page_id).first()
    if page is None:
        candidates = visible.type(StandardPage).descendant_of(site.root_page)
        page = candidates.filter(slug=PRIVACY_POLICY_SLUG).first()
    return (page.get_url(request=request) or "") if page is not None else ""
