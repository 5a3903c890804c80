"""Taxonomy landing pages: /projects/<facet>/ lists its terms, /projects/<facet>/<slug>/ a term's projects."""

from django.db.models import Count, F, Q
from django.http import Http404

from .models import FACETS_BY_KEY, ProjectPage


def facet_or_404(facet_key):
    try:
        return FACETS_BY_KEY[facet_key]
    except KeyError:
        raise Http404("分類が見つかりません。") from None


def term_or_404(facet, slug):
    try:
        return facet.model.objects.get(slug=slug)
    except facet.model.DoesNotExist:
        raise Http404("分類の項目が見つかりません。") from None


def terms_with_counts(index, facet):
    """Every term of `facet` with the number of the catalog's visible projects that carry it."""
    visible = ProjectPage.objects.in_catalog(index).values("pk")
    return facet.model.objects.annotate(
        project_count=Count("projectpage", filter=Q(projectpage__in=visible), distinct=True)
    ).order_by("sort_order", "name")


def term_projects(index, facet, term):
    """The catalog's visible projects carrying `term`, most recently updated first."""
    return (
        ProjectPage.objects.in_catalog(index)
        .filter(**{facet.field_name: term})
        .for_cards()
        .order_by(F("last_progress_on").desc(nulls_last=True), "-pk")
    )
