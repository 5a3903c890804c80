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
addresses of real pages get an entry of their own, so made-up addresses add nothing to the cache.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.urls import Resolver404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, get_page_models

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
    if len(path_components) > MAX_DEPTH or _claimed_on_the_way(root, path_components):
        return None
    address = "/".join(path_components)
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    found = invalidation.cached(
        f"routing:{root.pk}:{digest}",
        lambda: _locate(root, path_components),
        TIMEOUT,
        keep=lambda found: found not in (WALK, NO_PAGE),
    )
    if found in (WALK, NO_PAGE):
        return None
    page_id, content_type_id = found
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    return model.objects.filter(pk=page_id).first()


def _claimed_on_the_way(root, path_components):
    """Whether a page with its own routing between `root` and the address would route the rest itself."""
    own_routing = invalidation.cached(
        f"routing:own:{root.pk}", lambda: _pages_with_own_routing(root), TIMEOUT
    )
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
