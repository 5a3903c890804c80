"""The site's index pages that the API lists below: its catalog, organizations and events."""

from wagtail.models import Site

from home.visibility import visible


def site_index(index_model):
    """The default site's visible index page of `index_model` (ProjectIndexPage …), or None."""
    site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
    if site is None:
        return None
    return visible(index_model.objects.child_of(site.root_page)).order_by("path").first()
