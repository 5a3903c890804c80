"""Site search over all live public pages: type filter, counts per type, editors' picks, marked excerpts."""

import unicodedata
from dataclasses import dataclass

from django.template.response import TemplateResponse
from django.utils.safestring import SafeString
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page

from home.pagination import paginate

from .query import clean_query
from .site_search import RESULT_TYPES, counts_by_type, search_pages
from .snippets import excerpt, marked_title

RESULTS_PER_PAGE = 10
SUGGESTED_QUERIES = 8


@dataclass
class Hit:
    page: Page
    title: SafeString
    excerpt: SafeString


def search(request):
    query = clean_query(request.GET.get("q", ""))
    result_type = request.GET.get("type", "")
    if result_type not in RESULT_TYPES:
        result_type = ""
    context = {
        "search_query": query,
        "result_type": result_type,
        "result_type_label": RESULT_TYPES[result_type][0] if result_type else "",
        "suggested_queries": suggested_queries(),
    }
    if query:
        results = paginate(request, search_pages(query, result_type or None), RESULTS_PER_PAGE)
        counts = counts_by_type(query)
        context.update(
            search_results=results,
            hits=[Hit(page, marked_title(page, query), excerpt(page, query)) for page in results],
            type_tabs=type_tabs(counts),
            promotions=promotions(query) if results.number == 1 and not result_type else [],
        )
    return TemplateResponse(request, "search/search.html", context)


def type_tabs(counts):
    return [{"key": key, "label": label, "count": counts[key]} for key, (label, _) in RESULT_TYPES.items()]


def _promotion_query(query):
    # Editors' picks are kept under Wagtail's own normalization of the query (lower case, single
    # spaces); width variants are folded first so that ＮＰＯ finds the picks for NPO.
    return Query.get(unicodedata.normalize("NFKC", query))


def promotions(query):
    """Editors' picks for the query whose page (if any) is live and public; counts the search as a hit."""
    promotion_query = _promotion_query(query)
    if not promotion_query.query_string:
        return []
    promotion_query.add_hit()
    picks = list(promotion_query.editors_picks.select_related("page"))
    visible = set(
        Page.objects.live()
        .public()
        .filter(pk__in=[pick.page_id for pick in picks if pick.page_id])
        .values_list("pk", flat=True)
    )
    return [pick for pick in picks if pick.page_id is None or pick.page_id in visible]


def suggested_queries():
    """Queries staff have set picks for: offered when a search finds nothing or has not started."""
    return list(
        Query.objects.filter(editors_picks__isnull=False)
        .distinct()
        .order_by("query_string")[:SUGGESTED_QUERIES]
    )
