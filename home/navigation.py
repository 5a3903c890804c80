"""What every page shows around its content — the menus, the privacy policy's address and the center's
settings — resolved once per site and cached, so a page view reads none of them from the database.

The main menu is the one editors keep under 設定 → メニュー when it has items; otherwise the catalog's
sections, then the home page's other children marked "show in menus". The footer menu is the editors'.
Only live, public pages appear. The cache is keyed by the content version (home/invalidation.py), which a
page published, unpublished, moved or deleted, a view restriction, the settings, a site or an image replace.
Other processes (other web workers, the publish_scheduled cron job) share the change through the shared
cache (REDIS_URL); with Django's default per-process cache they catch up within TIMEOUT.
"""

from dataclasses import dataclass

from django.conf import settings
from wagtail.models import Page, Site

from . import visibility
from .invalidation import cached

CACHE_KEY = "home:site-chrome:{site_id}"
# Signals reach only the process that made the change; with a per-process cache (no shared cache
# configured) other processes catch up within this many seconds. Rebuilding costs a handful of queries.
TIMEOUT = 60

# The catalog's sections lead the automatic menu, under these names, whenever their index page is live.
SECTIONS = (
    ("/projects/", "プロジェクト"),
    ("/organizations/", "団体"),
    ("/events/", "イベント"),
    ("/news/", "お知らせ"),
)
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
        "logo", "share_image"
    ).first() or CenterSettings(site=site)
    menus = NavigationSettings.objects.filter(site=site).first() or NavigationSettings(site=site)
    # One read of the view restrictions serves every lookup below.
    visible = visibility.visible(Page.objects.all(), visibility.private_sections_q())
    if len(menus.main_menu):
        main = _editor_links(menus.main_menu, site, request, visible)
    else:
        main = _automatic_links(site, request, visible)
    return SiteChrome(
        main=tuple(main),
        footer=tuple(_editor_links(menus.footer_menu, site, request, visible)),
        privacy_url=_privacy_url(center, site, request, visible),
        center=center,
    )


def _automatic_links(site, request, visible):
    children = [
        (child.get_url(request=request), child.title, child.show_in_menus)
        for child in visible.child_of(site.root_page)
    ]
    existing_urls = {url for url, _title, _in_menu in children}
    links = [MenuLink(url, title) for url, title in SECTIONS if url in existing_urls]
    known_urls = {link.url for link in links}
    for url, title, in_menu in children:
        if in_menu and url and url not in known_urls:
            links.append(MenuLink(url, title))
            known_urls.add(url)
    return links


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
    for origin in (settings.PUBLIC_BASE_URL, site.root_url):
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
