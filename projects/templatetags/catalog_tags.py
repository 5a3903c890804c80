"""The catalog's facets for templates outside it (the 探す links in the footer and on the search page)."""

from django import template

from projects.models import FACETS

register = template.Library()


@register.simple_tag
def catalog_facets():
    """The five catalog facets, for the 探す links; no database query."""
    return FACETS
