"""Site search over all live public pages."""

from django.template.response import TemplateResponse
from wagtail.models import Page

from home.pagination import paginate

from .query import clean_query

RESULTS_PER_PAGE = 10


def search(request):
    query = clean_query(request.GET.get("q", ""))
    results = Page.objects.live().public().specific().search(query) if query else Page.objects.none()
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": query, "search_results": paginate(request, results, RESULTS_PER_PAGE)},
    )
