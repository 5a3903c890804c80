"""Pagination shared by every listing page, and the one address of each listing page.

`paginate` never errors: a malformed, missing or out-of-range `page` still gives a page to show. Then
`canonical_redirect` sends a request that is not on the listing's address to the one that is:

- parameters without a value (`?area=&type=&q=`, as a form sends its empty fields) are dropped, and the
  others are kept in the order the request gave them;
- `page` names a page only from 2 to the last one: `page=1`, and values that are no page number (`page=0`,
  `page=-1`, `page=abc`, `page=１`), lead to the first page, which has no `page`; a page beyond the last
  one (`page=999`) leads to the last; a repeated `page` keeps the one the listing showed (the last).

The redirect is permanent (301) when its target follows from the URL alone, and temporary (302) when it
depends on how many items there are today: the last page moves as content is added, and a browser or a CDN
must not remember that `page=5` means page 3.
"""

import contextlib
import re
from urllib.parse import parse_qsl, urlencode

from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.utils.encoding import escape_uri_path

PER_PAGE = 12
PAGE = "page"
# A page number: ASCII digits, no sign. More digits than this are beyond any listing's last page (and
# beyond what int() takes without a fuss).
_PAGE_NUMBER = re.compile(r"[0-9]{1,9}", re.ASCII)
_HUGE_NUMBER = re.compile(r"[0-9]+", re.ASCII)
BEYOND_ANY_PAGE = 10**9


def page_number(value):
    """The page a `page` value asks for: a number from 1 up, BEYOND_ANY_PAGE for a huge one, or 1 when the
    value is no page number at all."""
    value = (value or "").strip()
    if _PAGE_NUMBER.fullmatch(value):
        return max(int(value), 1)
    if _HUGE_NUMBER.fullmatch(value):
        return BEYOND_ANY_PAGE
    return 1


def get_page(paginator, params):
    """The Page of `paginator` that the query parameters `params` ask for, the last one when beyond it."""
    return paginator.get_page(min(page_number(params.get(PAGE)), paginator.num_pages))


def paginate(request, items, per_page=PER_PAGE):
    return get_page(Paginator(items, per_page), request.GET)


def _pairs(request):
    """The query string's (name, value) pairs in their order, decoded as Django decodes request.GET."""
    query = request.META.get("QUERY_STRING", "")
    # WSGI gives the raw bytes as latin-1; unescaped UTF-8 in them is read as UTF-8, as Django does.
    with contextlib.suppress(UnicodeError):
        query = query.encode("iso-8859-1").decode("utf-8")
    return parse_qsl(
        query,
        keep_blank_values=True,
        encoding=request.encoding or "utf-8",
        errors="replace",
    )


def canonical_redirect(request, page=None):
    """A redirect to the listing's own address for this request, or None when the request is on it.

    `page` is the paginator Page shown; without it only the empty parameters are checked, and `page` values
    are left alone (a listing that shows a single page, such as the search page before a search).
    """
    if getattr(request, "is_preview", False):
        return None
    pairs = _pairs(request)
    kept = [(name, value) for name, value in pairs if name.strip() and value.strip()]
    permanent = True
    if page is not None:
        values = [value for name, value in kept if name == PAGE]
        position = next((index for index, (name, _value) in enumerate(kept) if name == PAGE), None)
        kept = [(name, value) for name, value in kept if name != PAGE]
        if values:
            wanted = page_number(values[-1])
            if wanted > page.paginator.num_pages:
                permanent = False
            if page.number > 1:
                kept.insert(position, (PAGE, str(page.number)))
    if kept == pairs and (kept or not request.META.get("QUERY_STRING")):
        return None
    path = "/" + escape_uri_path(request.path).lstrip("/")  # never "//host": that would leave the site
    location = f"{path}?{urlencode(kept)}" if kept else path
    return (HttpResponsePermanentRedirect if permanent else HttpResponseRedirect)(location)
