"""Who the site is and what a page tells search engines and social networks: the center's settings and
name, a page's description, share image, canonical URL and schema.org JSON-LD. Plain functions over pages
and the center's settings; the template tags in home/templatetags/seo_tags.py put them in the page's head.
"""

import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.images.models import SourceImageIOError
from wagtail.models import Site

from home.origin import absolute_url, page_path
from home.text import plain_line

DESCRIPTION_MAX_CHARS = 120
# Where a page without a search description finds its summary, in order; the first with text wins.
DESCRIPTION_FIELDS = ("search_description", "lead", "summary", "hero_lead", "intro", "description")
# A page's own image for sharing: (image field, field with the editor's alt text, rendition spec).
# Photos are cropped to the 1.91:1 card social networks show; a logo is only scaled, never cropped.
PHOTO_SPEC = "fill-1200x630"
LOGO_SPEC = "max-1200x630"
IMAGE_FIELDS = (
    ("hero_image", "hero_image_alt", PHOTO_SPEC),
    ("image", None, PHOTO_SPEC),
    ("logo", None, LOGO_SPEC),
)
HEADLINE_MAX_CHARS = 110

# As django.utils.html.json_script does: nothing in the JSON can close the script element or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def center_settings(request=None, site=None):
    """The center's settings (CenterSettings) of the request's site, or of `site`, from the per-site cache
    of home/navigation.py; unsaved defaults when editors never saved any. Kept on the request where
    CenterSettings.for_request keeps them, so {{ settings.home.CenterSettings }} reuses this instance."""
    from home.models import CenterSettings
    from home.navigation import site_chrome

    attr = CenterSettings.get_cache_attr_name()
    if request is not None and hasattr(request, attr):
        return getattr(request, attr)
    if site is None and request is not None:
        site = Site.find_for_request(request)
    if site is None:
        return None
    center = site_chrome(site, request).center
    if request is not None:
        center._request = request
        setattr(request, attr, center)
    return center


def site_name(center=None, site=None):
    """The name the site goes by: the center's name in its settings, else the Wagtail Site's name, else
    WAGTAIL_SITE_NAME."""
    return (
        getattr(center, "name", "") or getattr(site, "site_name", "") or settings.WAGTAIL_SITE_NAME
    ).strip()


def truncate(text, max_chars=DESCRIPTION_MAX_CHARS):
    return Truncator(text).chars(max_chars)


def description(page, center=None):
    """The page's search description, else the first summary-like field with text, else the center's footer
    text; on one line and at most DESCRIPTION_MAX_CHARS characters."""
    for name in DESCRIPTION_FIELDS if page is not None else ():
        text = plain_line(getattr(page, name, ""))
        if text:
            return truncate(text)
    return truncate(plain_line(getattr(center, "footer_text", "")))


def canonical_url(page, request):
    """The page's absolute URL on the public origin (the address the sitemap lists), extended by the route
    the request took below it (a routable page's sub-pages).

    Of the query only a listing's page number survives, and only on an unfiltered listing: a filtered,
    sorted or searched view points at the listing's first page, so search engines see one address per
    listing page rather than one per combination of filters.
    """
    if page is None or request is None:
        return ""
    path = page_path(page, request)
    if path is None:
        return ""
    url = absolute_url(request.path if request.path.startswith(path) else path)
    params = request.GET
    number = params.get("page", "")
    # ASCII digits only, and few of them: str.isdigit() also takes "²", which int() refuses.
    if set(params) == {"page"} and re.fullmatch(r"[0-9]{1,6}", number) and int(number) > 1:
        url += f"?page={int(number)}"
    return url


@dataclass(frozen=True)
class ShareImage:
    url: str
    width: int
    height: int
    alt: str
    # Wide enough for the large card (twitter:card summary_large_image), rather than a thumbnail.
    large: bool


def _rendition(image, spec):
    """The rendition, or None when the image's file is missing: a lost file must not take pages down."""
    try:
        return image.get_rendition(spec)
    except SourceImageIOError:
        return None


def _share_image(image, spec, alt):
    rendition = _rendition(image, spec)
    if rendition is None:
        return None
    return ShareImage(
        url=absolute_url(rendition.url),
        width=rendition.width,
        height=rendition.height,
        # The editor's words only: an image's title is often just its file name.
        alt=(alt or getattr(image, "description", "") or "").strip(),
        large=spec == PHOTO_SPEC,
    )


def share_image(page, center):
    """The image shown when the page is shared: its own (hero image, image or logo), else the center's
    share image, else None. URLs are absolute on the public origin."""
    for field, alt_field, spec in IMAGE_FIELDS if page is not None else ():
        image = getattr(page, field, None)
        if image is not None and hasattr(image, "get_rendition"):
            shared = _share_image(image, spec, getattr(page, alt_field, "") if alt_field else "")
            if shared is not None:
                return shared
    if center is not None and center.share_image_id:
        return _share_image(center.share_image, PHOTO_SPEC, "")
    return None


# schema.org JSON-LD


def compact(data):
    """`data` without empty values, so no property is claimed with nothing in it."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def postal_address(postal_code, street_address):
    if not (postal_code or street_address):
        return None
    return compact(
        {
            "@type": "PostalAddress",
            "postalCode": postal_code,
            "streetAddress": street_address,
            "addressCountry": "JP",
        }
    )


def center_reference(center, site, url):
    """The center as publisher or organizer: a named Organization with its address on the web."""
    return compact({"@type": "Organization", "name": site_name(center, site), "url": url})


def center_data(center, site, url, image=None, logo_url=""):
    """The center's own Organization, for the home page: name, logo, address, contact details, social
    accounts. Pages describe themselves with a `structured_data(meta, center, site)` method (see
    seo_tags.page_jsonld) that calls builders like this one."""
    data = {
        "@context": "https://schema.org",
        **center_reference(center, site, url),
        "alternateName": getattr(center, "short_name", ""),
        "logo": logo_url,
        "description": plain_line(getattr(center, "footer_text", "")),
        "image": image.url if image else None,
    }
    if center is not None:
        data.update(
            address=postal_address(center.postal_code, center.address),
            telephone=center.phone,
            faxNumber=center.fax,
            email=center.email,
            sameAs=[url for _label, url in center.social_links()],
        )
    return compact(data)


def center_logo_url(center):
    """The absolute address of a rendition of the center's logo, scaled but never cropped; "" without one."""
    logo = getattr(center, "logo", None)
    rendition = _rendition(logo, LOGO_SPEC) if logo is not None else None
    return absolute_url(rendition.url) if rendition is not None else ""


def article_data(page, url, publisher, image=None, summary=""):
    """A news article as a schema.org Article; the byline is its author, else the publishing center."""
    modified = page.last_published_at
    return compact(
        {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": truncate(page.title, HEADLINE_MAX_CHARS),
            "description": summary,
            "url": url,
            "mainEntityOfPage": url,
            "datePublished": page.date.isoformat() if page.date else None,
            "dateModified": timezone.localtime(modified).isoformat() if modified else None,
            "author": {"@type": "Person", "name": page.author.strip()} if page.author.strip() else publisher,
            "publisher": publisher,
            "image": [image.url] if image else [],
        }
    )


def jsonld_script(data):
    """<script type="application/ld+json"> with `data`, safe to put in HTML whatever its strings hold."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
