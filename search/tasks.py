"""Search's task on Django's task queue (django-tasks), run by the worker."""

from django_tasks import task


@task()
def reindex_local_name_pages(surfaces):
    """Re-index the pages whose text holds one of `surfaces`, entries of the 読み仮名辞書 that were added,
    changed or deleted (search/reading_changes.py); the number of pages re-indexed."""
    from .reading_changes import reindex_pages_mentioning

    return reindex_pages_mentioning(surfaces)
