"""Pagination shared by every listing page, so a malformed or out-of-range `page` never errors."""

from django.core.paginator import Paginator

PER_PAGE = 12


def paginate(request, items, per_page=PER_PAGE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))
