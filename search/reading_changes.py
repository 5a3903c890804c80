"""What a change to the 読み仮名辞書 does to search.

The index stores each text's reading as the dictionary read it when the page was indexed
(search/local_readings.py), so adding, changing or deleting an entry re-indexes the pages whose text holds
the entry's surface, before and after the change: only their readings can differ. The pages are found
through the search index itself, one full-text query for each surface as written, and re-indexed by the
worker (`search.tasks.reindex_local_name_pages`), queued when the change commits.

The ruby and every cached reading follow without this: the model is declared `everywhere` (search/apps.py),
so the cached dictionary and the 「もしかして」 vocabulary are rebuilt, and the vocabulary again once the
worker has rewritten the pages' words (in other processes too with a shared cache; with a cache per process,
only at their own next content change).
"""

import logging
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from modelsearch.query import Phrase
from wagtail.models import Page
from wagtail.search.backends import get_search_backend, get_search_backends
from wagtail.search.index import class_is_indexed

from .local_readings import current_reading_index, pinned
from .models import LocalReading
from .text import has_searchable_text

logger = logging.getLogger(__name__)

_BEFORE_ATTRIBUTE = "_local_reading_before"


def pages_mentioning(surfaces):
    """Ids of the pages whose indexed text holds one of the surfaces as written (or a spelling of it that
    the index stores: a few more pages than needed cost only their re-indexing)."""
    backend = get_search_backend()
    found = set()
    for surface in surfaces:
        if has_searchable_text(surface):
            found.update(page.pk for page in backend.search(Phrase(surface), Page, order_by_relevance=False))
    return found


def reindex_pages(page_ids):
    """Re-index the pages, in one batch per page type and search backend; how many were re-indexed."""
    by_type = defaultdict(list)
    for pk, content_type_id in Page.objects.filter(pk__in=page_ids).values_list("pk", "content_type_id"):
        by_type[content_type_id].append(pk)
    backends = get_search_backends(with_auto_update=True)
    count = 0
    for content_type_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not class_is_indexed(model):
            continue
        objects = list(model.get_indexed_objects().filter(pk__in=pks))
        for backend in backends:
            backend.add_bulk(model, objects)
        count += len(objects)
    return count


def reindex_pages_mentioning(surfaces):
    """Re-index the pages that hold one of the surfaces, read with the dictionary the database holds now
    (a worker's cache may not have seen the change yet); how many were re-indexed."""
    with pinned(current_reading_index()):
        return reindex_pages(pages_mentioning(surfaces))


def _queue(surfaces):
    from .tasks import reindex_local_name_pages

    try:
        reindex_local_name_pages.enqueue(surfaces)
    except Exception as error:
        # The change itself is saved; `update_index` brings the readings up to date.
        logger.warning("Could not queue the re-indexing of %s: %s", "、".join(surfaces), type(error).__name__)


def schedule_reindex(surfaces):
    """Queue the re-indexing of the pages holding the surfaces once the current transaction commits."""
    surfaces = sorted({surface for surface in surfaces if surface})
    if surfaces:
        transaction.on_commit(lambda: _queue(surfaces), robust=True)


def note_entry_before_save(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None:
        before = LocalReading.objects.filter(pk=instance.pk).values_list("surface", "reading").first()
        setattr(instance, _BEFORE_ATTRIBUTE, before)


def on_entry_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, _BEFORE_ATTRIBUTE, None)
    if before == (instance.surface, instance.reading):
        return  # only its kind changed: nothing is read differently
    schedule_reindex([instance.surface, *(before[:1] if before else ())])


def on_entry_deleted(sender, instance, **kwargs):
    schedule_reindex([instance.surface])


def connect_signals():
    uid = "search-local-readings"
    pre_save.connect(note_entry_before_save, sender=LocalReading, dispatch_uid=f"{uid}-before")
    post_save.connect(on_entry_saved, sender=LocalReading, dispatch_uid=f"{uid}-saved")
    post_delete.connect(on_entry_deleted, sender=LocalReading, dispatch_uid=f"{uid}-deleted")
