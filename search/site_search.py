"""The one site search: what /search/, the evaluation set and the benchmark all run."""

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from home.visibility import visible

from .suggestions import suggest


@dataclass(frozen=True)
class ResultType:
    key: str  # the type filter's URL value
    label: str
    model: type
    order: int  # place among the type filter's choices


_result_types = {}


def register_result_type(key, label, model, order):
    """Offer a page type as a choice of the type filter; apps register theirs in AppConfig.ready."""
    _result_types[key] = ResultType(key, label, model, order)


def result_types():
    """The type filter's choices in their order: URL value -> ResultType."""
    return {kind.key: kind for kind in sorted(_result_types.values(), key=lambda kind: kind.order)}


def searchable_pages():
    return visible(Page.objects.all())


def search_pages(query, result_type=None):
    """Live public pages matching the query, best first; only pages of one type when result_type is given."""
    pages = searchable_pages()
    kinds = result_types()
    if result_type in kinds:
        pages = pages.type(kinds[result_type].model)
    return pages.specific().search(query)


@dataclass(frozen=True)
class SearchOutcome:
    """What one visitor's search shows.

    `query` is what the visitor typed (cleaned). `searched` is the query whose results are shown: the
    query itself, or the 「もしかして」 suggestion when the query found nothing and the suggestion does.
    `suggestion` is offered as a link whenever the query found little; `corrected` says the results
    shown are the suggestion's.
    """

    query: str
    searched: str
    pages: Any
    suggestion: str | None = None

    @property
    def corrected(self):
        return self.searched != self.query


def run_search(query, result_type=None):
    """The one site search that /search/, the evaluation set and the benchmark run.

    When the query finds nothing and its 「もしかして」 suggestion finds something, the suggestion's
    results are shown instead (the page says so)."""
    pages = search_pages(query, result_type)
    suggestion = suggest(query) if query else None
    if suggestion is None:
        return SearchOutcome(query=query, searched=query, pages=pages)
    suggested = search_pages(suggestion, result_type)
    if not suggested.count():
        # Only a suggestion that finds something is worth offering.
        return SearchOutcome(query=query, searched=query, pages=pages)
    if not pages.count():
        return SearchOutcome(query=query, searched=suggestion, pages=suggested, suggestion=suggestion)
    return SearchOutcome(query=query, searched=query, pages=pages, suggestion=suggestion)


def counts_by_type(query):
    """How many live public pages of each filterable type match the query, keyed by type."""
    counts = searchable_pages().search(query, order_by_relevance=False).facet("content_type_id")
    kinds = result_types()
    model_by_content_type = {
        ContentType.objects.get_for_model(kind.model).pk: key for key, kind in kinds.items()
    }
    by_type = dict.fromkeys(kinds, 0)
    for content_type_pk, count in counts.items():
        key = model_by_content_type.get(content_type_pk)
        if key:
            by_type[key] += count
    return by_type
