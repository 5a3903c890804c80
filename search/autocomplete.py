"""Suggestions as a visitor types (/search/suggest/?q=…): page titles, and what apps plug in.

The search boxes' combobox (static/js/search-combobox.js) reads this endpoint. Titles come from Wagtail's
autocomplete over the pages a visitor may see, through our backend, which reads the last term as a
prefix. Apps add their own kinds of suggestion with `register_suggestion_source` in AppConfig.ready (the
catalog adds its facet terms), so search never imports them.
"""

from dataclasses import asdict, dataclass

from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from .local_readings import pinned
from .query import clean_query
from .site_search import result_types, searchable_pages

MAX_SUGGESTIONS = 8
# Places kept for the registered sources' suggestions when titles alone would fill the list.
SOURCE_SHARE = 3
PAGE_KIND = "ページ"
# Suggestions change as pages are published, and what people type is theirs: the visitor's browser may
# keep an answer briefly while they type back and forth, a shared cache never.
MAX_AGE = 60


@dataclass(frozen=True)
class Suggestion:
    label: str
    kind: str  # what the visitor is shown beside the label: プロジェクト, 団体, 地域 …
    url: str


_sources = []


def register_suggestion_source(source):
    """Add `source(query, request=..., limit=...)`, which returns Suggestions for a cleaned, non-empty
    query, at most `limit` of them, best first; apps register theirs in AppConfig.ready."""
    if source not in _sources:
        _sources.append(source)


def page_kind(page):
    """The label of the search type filter's choice that the page belongs to, or ページ."""
    specific_class = page.specific_class
    for kind in result_types().values():
        if specific_class is not None and issubclass(specific_class, kind.model):
            return kind.label
    return PAGE_KIND


def title_suggestions(query, request, limit):
    """Pages a visitor may see whose title starts a word with what they typed, best first.

    The pages stay Wagtail's base Page (title, URL and type are all it needs): no query per page type.
    """
    pages = searchable_pages().autocomplete(query)[:limit]
    suggestions = []
    for page in pages:
        url = page.get_url(request=request)
        if url:
            suggestions.append(Suggestion(page.title, page_kind(page), url))
    return suggestions


def suggestions(query, request):
    """At most MAX_SUGGESTIONS suggestions for a cleaned query: titles first, then the sources', which
    keep SOURCE_SHARE places when they have that many. The same address is suggested once."""
    if not query:
        return []
    titles = title_suggestions(query, request, MAX_SUGGESTIONS)
    others = [
        suggestion
        for source in _sources
        for suggestion in source(query, request=request, limit=MAX_SUGGESTIONS)
    ]
    others = others[: max(SOURCE_SHARE, MAX_SUGGESTIONS - len(titles))]
    chosen = titles[: MAX_SUGGESTIONS - len(others)] + others
    seen = set()
    unique = []
    for suggestion in chosen:
        if suggestion.url not in seen:
            seen.add(suggestion.url)
            unique.append(suggestion)
    return unique


@require_safe
@pinned()  # the 読み仮名辞書 read once for every term of the query
def suggest(request):
    """JSON for the combobox: {"query": cleaned query, "suggestions": [{"label", "kind", "url"}, …]}."""
    query = clean_query(request.GET.get("q", ""))
    found = suggestions(query, request)
    response = JsonResponse(
        {"query": query, "suggestions": [asdict(suggestion) for suggestion in found]},
        json_dumps_params={"ensure_ascii": False},
    )
    patch_cache_control(response, private=True, max_age=MAX_AGE)
    response["X-Robots-Tag"] = "noindex"
    return response
