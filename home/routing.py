"""A request's page found in one query instead of two a level of the tree.

Wagtail routes an address by walking down from the site's root page: at each level it reads the children
with that slug and then the child's specific page, and only then looks at the next part of the address.
The address of every page is already stored (`Page.url_path`), so the page is found directly, and where the
walk would end is remembered under the content version (`home.invalidation`: any publish, move or
unpublish replaces it). The page itself is read fresh on every request, and routed as the walk would route
it at its own address (`page.route(request, [])`: its live state, a routable page's own view).

The walk still decides whenever the shortcut could answer differently: an address that names no page, and
one that passes a page with its own routing on the way (a `RoutablePageMixin` page whose routes claim the
rest of the address before its children, or any other page type that overrides `route`). Those pages are
few and kept as one small map, so an address one of them claims is recognised without a query; only
addresses of real pages get an entry of their own, so made-up addresses add nothing to the cache. The map
and the address's entry come in one round trip to the cache.

Before any of that, Wagtail finds the request's Site (`Site.find_for_request`): one query a request, and one
for the home page whose `route` starts the walk. `SiteMiddleware` answers it from the site's few Sites, kept
with their home pages under the content version (a Site saved or deleted replaces it: `home/apps.py`
declares Site `everywhere`), and leaves the answer where Wagtail keeps it for the request, so every caller
(Wagtail's serve view, `{% pageurl %}`, the template tags) reads it. The home page kept with a Site carries
only its Page fields; asked for itself, it is read fresh, as every page is (`HomePage.route`).
"""

import hashlib
from contextlib import suppress

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError
from django.http.request import split_domain_port
from django.urls import Resolver404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site, get_page_models

from home import invalidation

# Signals reach only the process that made the change; with a per-process cache (no shared cache
# configured) other processes catch up within this many seconds.
TIMEOUT = 300
# The walk decides (see the module's docstring).
WALK = ()
# No page has the address: the walk answers 404, and nothing is kept (any address can be made up).
NO_PAGE = None
# Deeper addresses are left to the walk, which stops at the first part that names no page: no query
# grows with the length of an address a visitor made up.
MAX_DEPTH = 12


def page_at(root, path_components):
    """The specific page at `path_components` below `root`, or None when Wagtail's walk must decide."""
    if len(path_components) > MAX_DEPTH:
        return None
    digest = hashlib.sha256("/".join(path_components).encode()).hexdigest()[:32]
    own_key, address_key = f"routing:own:{root.pk}", f"routing:{root.pk}:{digest}"
    version, entries = invalidation.current_entries(own_key, address_key)
    if own_key in entries:
        own_routing = entries[own_key]
    else:
        own_routing = invalidation.keep_current(own_key, version, _pages_with_own_routing(root), TIMEOUT)
    if _claimed_on_the_way(own_routing, root, path_components):
        return None
    if address_key in entries:
        found = entries[address_key]
    else:
        found = _locate(root, path_components)
        if found not in (WALK, NO_PAGE):
            invalidation.keep_current(address_key, version, found, TIMEOUT)
    if found in (WALK, NO_PAGE):
        return None
    page_id, content_type_id = found
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    return model.objects.filter(pk=page_id).first()


def _claimed_on_the_way(own_routing, root, path_components):
    """Whether a page with its own routing between `root` and the address would route the rest itself."""
    for length in range(1, len(path_components)):
        found = own_routing.get(f"{root.url_path}{'/'.join(path_components[:length])}/")
        if found is not None:
            content_type_id, live = found
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if model is None or _claims(model, live, path_components[length:]):
                return True
    return False


def _pages_with_own_routing(root):
    """{url_path: (content type id, live)} of the pages below `root` whose type routes addresses itself."""
    types = [
        ContentType.objects.get_for_model(model)
        for model in get_page_models()
        if issubclass(model, RoutablePageMixin) or model.route is not Page.route
    ]
    rows = Page.objects.filter(path__startswith=root.path, depth__gt=root.depth, content_type__in=types)
    return {
        url_path: (type_id, live)
        for url_path, type_id, live in rows.values_list("url_path", "content_type_id", "live")
    }


def _locate(root, path_components):
    """(page id, content type id) of the page the walk would end at, WALK, or NO_PAGE: one query for the
    pages along the address."""
    addresses = [
        f"{root.url_path}{'/'.join(path_components[:length])}/"
        for length in range(1, len(path_components) + 1)
    ]
    rows = Page.objects.filter(path__startswith=root.path, url_path__in=addresses).values_list(
        "depth", "id", "content_type_id", "live"
    )
    target = None
    for depth, page_id, content_type_id, live in sorted(rows):
        remaining = path_components[depth - root.depth :]
        if not remaining:
            target = (page_id, content_type_id)
            continue
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or _claims(model, live, remaining):
            return WALK
    return target if target is not None else NO_PAGE


def _claims(model, live, remaining):
    """Whether a page of `model` on the way could route `remaining` itself rather than to its child."""
    if issubclass(model, RoutablePageMixin):
        if not live:
            return False  # a routable page tries its own routes only while it is live
        try:
            model.get_resolver().resolve("/" + "/".join(remaining) + "/")
        except Resolver404:
            return False
        return True
    return model.route is not Page.route


# The request's Site


class SiteMiddleware:
    """Finds the Wagtail Site of a request for a page once, without a query while the content version
    holds, and leaves it where `Site.find_for_request` keeps it for the rest of the request. Only for
    Wagtail's page view: the admin, the API and the health checks never look it up here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve  # not at import time: it loads the page model

        if view_func is serve and not hasattr(request, "_wagtail_site"):
            # On a database error the Site is left for Wagtail to look up (and meet the outage, as 503).
            with suppress(DatabaseError):
                request._wagtail_site = site_for_request(request)
        return None


def site_for_request(request):
    """The Site `Site.find_for_request` would find for the request's host and port, or None."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    port = int(port) if port.isascii() and port.isdigit() else None
    return _site_for(_all_sites(), hostname, port)


def default_site():
    """The default Site, from the same Sites kept under the content version (its home page with only its
    Page fields), or None."""
    return next((site for site in _all_sites() if site.is_default_site), None)


def _all_sites():
    return invalidation.cached("routing:sites", _sites, TIMEOUT)


def _sites():
    """Every Site, its home page in its specific class (Wagtail's serve view routes with `.specific`), without
    reading it: only its Page fields are loaded, which is all routing reads; its own load when read."""
    sites = list(Site.objects.select_related("root_page"))
    for site in sites:
        site.root_page = site.root_page.specific_deferred
    return sites


def _site_for(sites, hostname, port):
    """Wagtail's choice (`wagtail.models.sites.get_site_for_hostname`) among `sites`: the site with the
    hostname and port, else the hostname's default site, else the one site with the hostname when the
    default is another host's, else the default site; None when nothing matches or the hostname's sites
    are several and none is the default."""

    def rank(site):
        if site.hostname == hostname:
            return 0 if site.port == port else 1 if site.is_default_site else 3
        return 2  # the default site of another hostname

    candidates = sorted(
        (site for site in sites if site.hostname == hostname or site.is_default_site), key=rank
    )
    if not candidates:
        return None
    if len(candidates) == 1 or rank(candidates[0]) in (0, 1):
        return candidates[0]
    if rank(candidates[0]) == 2:
        return candidates[len(candidates) == 2]
    return None
