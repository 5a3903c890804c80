"""Site search over all live public pages: type filter, counts per type, editors' picks, marked excerpts."""

import unicodedata
from dataclasses import dataclass

from django.template.response import TemplateResponse
from django.utils.safestring import SafeString
from wagtail.contrib.search_promotions.models import Query
from wagtail.models import Page

from home.pagination import canonical_redirect, paginate
from home.visibility import visible

from .local_readings import pinned
from .query import clean_query
from .site_search import counts_by_type, result_types, run_search
from .snippets import Marker
from .text import normalize
from .zero_results import record_zero_result

RESULTS_PER_PAGE = 10
SUGGESTED_QUERIES = 8


@dataclass
class Hit:
    page: Page
    title: SafeString
    excerpt: SafeString


@pinned()  # the 読み仮名辞書 read once for every term of the query
def search(request):
    query = clean_query(request.GET.get("q", ""))
    kinds = result_types()
    result_type = request.GET.get("type", "")
    if result_type not in kinds:
        result_type = ""
    promoted = promoted_queries()
    context = {
        "search_query": query,
        "result_type": result_type,
        "result_type_label": kinds[result_type].label if result_type else "",
        # Offered when a search finds nothing or has not started.
        "suggested_queries": promoted[:SUGGESTED_QUERIES],
    }
    if query:
        outcome = run_search(query, result_type or None)
        searched = outcome.searched
        results = paginate(request, outcome.pages, RESULTS_PER_PAGE)
        if redirect := canonical_redirect(request, results):
            return redirect
        marker = Marker(searched)
        context.update(
            searched_query=searched,
            corrected=outcome.corrected,
            did_you_mean=outcome.suggestion,
            search_results=results,
            hits=[Hit(page, marker.title(page), marker.excerpt(page)) for page in results],
            type_tabs=type_tabs(counts_by_type(searched)),
            promotions=promotions(query, promoted) if results.number == 1 and not result_type else [],
        )
        if results.number == 1 and results.paginator.count and not outcome.corrected:
            record_hit(query)
        if results.number == 1 and not result_type and (outcome.corrected or not results.paginator.count):
            # The visitor's own words found nothing, even when a correction's results are shown.
            record_zero_result(query)
    elif redirect := canonical_redirect(request):
        return redirect
    return TemplateResponse(request, "search/search.html", context)


def type_tabs(counts):
    return [{"key": key, "label": kind.label, "count": counts[key]} for key, kind in result_types().items()]


def promoted_queries():
    """The queries staff have set picks for, in alphabetical order."""
    return list(Query.objects.filter(editors_picks__isnull=False).distinct().order_by("query_string"))


def promotions(query, promoted):
    """Editors' picks for the query whose page (if any) is live and public; `promoted` are the queries
    with picks.

    A pick's query matches however a visitor writes it (ＮＰＯ, npo; プロボノ, ぷろぼの), as search does.
    Few queries have picks, so they are compared here rather than in SQL.
    """
    wanted = " ".join(normalize(query).split())
    matching = [
        promoted_query
        for promoted_query in promoted
        if " ".join(normalize(promoted_query.query_string).split()) == wanted
    ]
    picks = [
        pick for promoted_query in matching for pick in promoted_query.editors_picks.select_related("page")
    ]
    shown = set(
        visible(Page.objects.filter(pk__in=[pick.page_id for pick in picks if pick.page_id])).values_list(
            "pk", flat=True
        )
    )
    return [pick for pick in picks if pick.page_id is None or pick.page_id in shown]


def record_hit(query):
    """Count the search for the admin's popular-searches report; only searches that found something, so
    that stray and automated queries do not fill the table."""
    Query.get(unicodedata.normalize("NFKC", query)).add_hit()
