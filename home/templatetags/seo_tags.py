"""The head of every page: the site's name, the title and description captured from the page's blocks, the
canonical address, Open Graph and schema.org JSON-LD (builders in home/seo.py)."""

import hashlib
from dataclasses import dataclass

from django import template
from wagtail.models import Site

from home import invalidation, origin, seo

register = template.Library()

# Signals reach only the process that made the change; with a per-process cache (no shared cache
# configured) other processes catch up within this many seconds.
TIMEOUT = 300

# Views whose pages search engines should not list: result pages of a search are endless and thin.
NOINDEX_VIEWS = {"search"}


def _center(request):
    return seo.center_settings(request) if request is not None else None


def _site(request):
    return Site.find_for_request(request) if request is not None else None


@register.simple_tag(takes_context=True)
def site_name(context):
    """The center's name from its settings, else the Wagtail Site's name, else WAGTAIL_SITE_NAME."""
    request = context.get("request")
    return seo.site_name(_center(request), _site(request))


@register.simple_tag
def absolute_url(path):
    """`path` on the site's public origin (PUBLIC_BASE_URL), for addresses read outside the site."""
    return origin.absolute_url(path)


@dataclass(frozen=True)
class PageMeta:
    description: str
    canonical: str
    og_type: str
    image: seo.ShareImage | None
    noindex: bool
    is_home: bool


@register.simple_tag(takes_context=True)
def page_meta(context):
    """What the head says about the page being rendered; `page` may be absent (search, 404)."""
    from home.models import ArticlePage

    request = context.get("request")
    page = context.get("page")
    site, center = _site(request), _center(request)
    match = getattr(request, "resolver_match", None)
    # A view may also ask for it with `noindex` in its context (pages reached by a private link).
    noindex = getattr(match, "url_name", None) in NOINDEX_VIEWS or bool(context.get("noindex"))
    return PageMeta(
        description=seo.description(page, center),
        canonical="" if noindex else seo.canonical_url(page, request),
        og_type="article" if isinstance(page, ArticlePage) else "website",
        image=_share_image(page, center),
        noindex=noindex,
        is_home=page is not None and site is not None and page.pk == site.root_page_id,
    )


def _share_image(page, center):
    """`seo.share_image`, kept under the content version (an image saved or deleted replaces it: images are
    declared `everywhere`) for the images the page and the center name and the page's alt text, so that a
    render reads no image and no rendition."""
    named = _named_images(page)
    if named is None:
        return seo.share_image(page, center)
    parts = repr([named, getattr(center, "share_image_id", None), origin.absolute_url("/")])
    return invalidation.cached(
        f"share-image:{hashlib.sha256(parts.encode()).hexdigest()[:32]}",
        lambda: seo.share_image(page, center),
        TIMEOUT,
        keep=lambda image: image is not None,  # a lost file is looked for again, as without the cache
    )


def _named_images(page):
    """[(field, image id, alt text)] of the page's share image fields that it has, or None when one of them
    is not a loaded foreign key (then nothing names the image without reading it)."""
    named = []
    for field, alt_field, _spec in seo.IMAGE_FIELDS if page is not None else ():
        if not hasattr(type(page), field):
            continue
        if f"{field}_id" not in page.__dict__:
            return None
        named.append((field, page.__dict__[f"{field}_id"], getattr(page, alt_field, "") if alt_field else ""))
    return named


@register.simple_tag(takes_context=True)
def page_jsonld(context, meta):
    """schema.org JSON-LD for the page, from its `structured_data(meta, center, site)` method: the center's
    Organization on the home page, an Article for a news article, an Organization for an organization's
    profile. Pages without the method, or whose method returns None, have none; event pages write their
    own (event_tags)."""
    request = context.get("request")
    page = context.get("page")
    structured_data = getattr(page, "structured_data", None)
    if structured_data is None or not meta.canonical:
        return ""
    data = structured_data(meta, _center(request), _site(request))
    return seo.jsonld_script(data) if data else ""
