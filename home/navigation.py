"""The main menu's page entries, cached per site because every page renders them.

The cache is dropped whenever a page is published, unpublished, moved or deleted, or a view restriction
changes, so an editor's change shows at once.
"""

from django.core.cache import cache

from .content_signals import on_content_change

CACHE_KEY = "home:menu-pages:{site_id}"
# Signals reach only the process that made the change; with a per-process cache (no shared cache
# configured) other processes catch up within this many seconds.
TIMEOUT = 300


def menu_pages(site, request=None):
    """(url, title, show_in_menus) of the site home page's live, public children."""
    key = CACHE_KEY.format(site_id=site.pk)
    entries = cache.get(key)
    if entries is None:
        entries = [
            (child.get_url(request=request), child.title, child.show_in_menus)
            for child in site.root_page.get_children().live().public()
        ]
        cache.set(key, entries, TIMEOUT)
    return entries


def forget_menu_pages(**kwargs):
    from wagtail.models import Site

    cache.delete_many(
        [CACHE_KEY.format(site_id=site_id) for site_id in Site.objects.values_list("pk", flat=True)]
    )


def connect_signals():
    on_content_change(forget_menu_pages, "forget-menu-pages")
