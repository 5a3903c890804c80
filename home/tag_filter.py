"""The news index's tag filter (`?tag=<slug>`), checked against the tags its live public articles use.

A value is only ever looked up among those slugs, never sent to the database, so any string a visitor types
or a stale link carries is harmless; one that names no tag in use shows every article with a notice.
"""

from dataclasses import dataclass

from django.db.models import Count

PARAMETER = "tag"


@dataclass(frozen=True)
class TagOption:
    id: int
    slug: str
    name: str
    count: int


@dataclass(frozen=True)
class TagFilter:
    options: tuple  # TagOptions of the tags in use, most used first
    current: TagOption | None = None
    # A tag was asked for but names none in use (unknown, misspelt, several different values).
    rejected: bool = False


def tags_in_use(articles):
    """TagOptions for the tags of `articles` (a queryset of ArticlePages), with their counts, in one query."""
    through = articles.model.tags.through
    rows = (
        through.objects.filter(content_object__in=articles.order_by().values("pk"))
        .values("tag_id", "tag__slug", "tag__name")
        .annotate(count=Count("content_object", distinct=True))
        .order_by()
    )
    options = [TagOption(row["tag_id"], row["tag__slug"], row["tag__name"], row["count"]) for row in rows]
    # Sorted here rather than in SQL so the order does not depend on the database's collation.
    return tuple(sorted(options, key=lambda option: (-option.count, option.name, option.id)))


def read_tag_filter(articles, params):
    """The filter asked for by the query string `params`, among the tags `articles` use.

    No `tag`, or only empty ones, means no filter. Repeating the same tag is harmless; two different tags
    are not a filter the index offers, so they are rejected like an unknown one.
    """
    options = tags_in_use(articles)
    values = {value.strip() for value in params.getlist(PARAMETER)} - {""}
    if not values:
        return TagFilter(options)
    current = None
    if len(values) == 1:
        (slug,) = values
        current = next((option for option in options if option.slug == slug), None)
    return TagFilter(options, current=current, rejected=current is None)


def filter_articles(articles, tag_filter):
    if tag_filter.current is None:
        return articles
    return articles.filter(tagged_items__tag_id=tag_filter.current.id)
