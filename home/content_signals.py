"""One place that knows which events can change what visitors see, for caches that must then be dropped."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move


def on_content_change(handler, name, models=()):
    """Call `handler(**kwargs)` when a page is published, unpublished, moved or deleted, a view restriction
    changes, or an instance of one of `models` is saved or deleted."""
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(handler, dispatch_uid=f"{name}-{id(signal)}")
    post_delete.connect(handler, sender=Page, dispatch_uid=f"{name}-page-delete")
    for model in (PageViewRestriction, *models):
        for signal in (post_save, post_delete):
            signal.connect(handler, sender=model, dispatch_uid=f"{name}-{model.__name__}-{id(signal)}")
