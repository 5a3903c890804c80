"""Reading the query string the same way for every resource: one value for single-valued parameters,
slugs that can name a page, and the envelope of a paged list with its next and previous addresses."""

import re

from django.http import QueryDict

from home.origin import absolute_url

from .errors import NOT_FOUND, ApiError, repeated_parameter

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 100_000
MAX_VALUES = 50
SLUG_LENGTH = 100
# A Wagtail page slug (unicode letters, digits, "-" and "_"); anything else names no page and is never
# sent to the database (PostgreSQL refuses NUL in a query, for one).
_PAGE_SLUG = re.compile(r"[-\w]{1,255}")


def single(request, *names):
    """Refuse a single-valued parameter given more than once (400)."""
    for name in names:
        if len(request.GET.getlist(name)) > 1:
            raise repeated_parameter(name)


def is_slug(value):
    """Whether `value` could be a page or term slug at all (checked before it reaches a query)."""
    return bool(_PAGE_SLUG.fullmatch(value))


def page_slug(slug):
    if not is_slug(slug):
        raise ApiError(404, NOT_FOUND)
    return slug


def distinct(values):
    """The non-empty values, stripped, each once, sorted: order and repeats do not change an answer."""
    return sorted({value.strip() for value in values if value.strip()})


def canonical(pairs):
    """A QueryDict of (name, values) pairs with empty values left out."""
    query = QueryDict(mutable=True)
    for name, values in pairs:
        values = [str(value) for value in (values if isinstance(values, (list, tuple)) else [values])]
        values = [value for value in values if value != ""]
        if values:
            query.setlist(name, values)
    return query


def page_envelope(path, query, count, limit, offset, items):
    """{"count", "next", "previous", "items"}; next and previous are absolute addresses or null."""

    def address(new_offset):
        page = query.copy()
        page["limit"] = str(limit)
        page["offset"] = str(new_offset)
        return absolute_url(f"{path}?{page.urlencode()}")

    return {
        "count": count,
        "next": address(offset + limit) if offset + limit < count else None,
        "previous": address(max(min(offset, count) - limit, 0)) if offset > 0 and count else None,
        "items": items,
    }
