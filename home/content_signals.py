"""One place that knows which events can change what visitors see, for caches that must then be dropped."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move


def on_content_change(handler, name, models=()):
    """Call `handler()` when a page is published, unpublished, moved or deleted, a view restriction
    changes, or an instance of one of `models` is saved or deleted.

    The handler runs at once and again when the transaction commits: until then, another process reading
    the database still sees the old content and could cache it under the new state of things.
    """

    def receiver(**kwargs):
        handler()
        transaction.on_commit(handler, robust=True)

    # Signals keep weak references by default; this closure has no other owner.
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(receiver, weak=False, dispatch_uid=f"{name}-{id(signal)}")
    post_delete.connect(receiver, sender=Page, weak=False, dispatch_uid=f"{name}-page-delete")
    for model in (PageViewRestriction, *models):
        for signal in (post_save, post_delete):
            signal.connect(
                receiver, sender=model, weak=False, dispatch_uid=f"{name}-{model.__name__}-{id(signal)}"
            )
