"""The one site search: what /search/, the evaluation set and the benchmark all run."""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page

from home.models import ArticlePage
from home.visibility import visible
from projects.models import EventPage, OrganizationPage, ProjectPage

# The type filter's choices: URL value -> (label, page model).
RESULT_TYPES = {
    "project": ("プロジェクト", ProjectPage),
    "organization": ("団体", OrganizationPage),
    "event": ("イベント", EventPage),
    "article": ("お知らせ・活動レポート", ArticlePage),
}


def searchable_pages():
    return visible(Page.objects.all())


def search_pages(query, result_type=None):
    """Live public pages matching the query, best first; only pages of one type when result_type is given."""
    pages = searchable_pages()
    if result_type in RESULT_TYPES:
        pages = pages.type(RESULT_TYPES[result_type][1])
    return pages.specific().search(query)


def counts_by_type(query):
    """How many live public pages of each filterable type match the query, keyed by type."""
    counts = searchable_pages().search(query, order_by_relevance=False).facet("content_type_id")
    model_by_content_type = {
        ContentType.objects.get_for_model(model).pk: key for key, (_, model) in RESULT_TYPES.items()
    }
    by_type = dict.fromkeys(RESULT_TYPES, 0)
    for content_type_pk, count in counts.items():
        key = model_by_content_type.get(content_type_pk)
        if key:
            by_type[key] += count
    return by_type
