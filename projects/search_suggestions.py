"""The catalog's facet terms as suggestions under the search boxes: typing 八王 offers 地域「八王子市」,
which opens the catalog's page of that term's projects.

A term is found the way search finds words (search.analysis): in another spelling (子供 for 子ども・子育て),
by a reading typed in kana (ぼうさい for 防災) or through a synonym. A term is offered only while at least
one of the catalog's visible projects carries it. The terms, their forms, counts and addresses are built
once per site and kept until the content changes (`home.invalidation.cached`), so a keystroke reads them
from the cache.
"""

from dataclasses import dataclass

from wagtail.models import Site

from home.invalidation import cached
from home.visibility import visible
from search.analysis import forms_contain, query_pieces, text_forms
from search.autocomplete import Suggestion, register_suggestion_source
from search.text import normalize

from .count_cache import TIMEOUT
from .filtering import CatalogFilters, CatalogQuery, load_terms
from .models import FACETS, ProjectIndexPage, ProjectPage

# Named for the shape of SuggestedTerm: a cache that still holds the older shape is not read.
CACHE_KEY = "projects:suggested-terms:forms:{site_id}"


@dataclass(frozen=True)
class SuggestedTerm:
    name: str
    forms: tuple  # the name as the index would store it (search.analysis.text_forms)
    facet_label: str
    url: str


def catalog_terms(site, request):
    """The terms that at least one of the site catalog's visible projects carries, in the catalog's
    order of facets and terms, each with the address of its page of projects."""
    index = (
        visible(ProjectIndexPage.objects.descendant_of(site.root_page, inclusive=True))
        .order_by("path")
        .first()
    )
    base = index.get_url(request=request) if index is not None else None
    if not base:
        return []
    counts = CatalogQuery(ProjectPage.objects.in_catalog(index), CatalogFilters()).option_counts()
    terms = load_terms()
    return [
        SuggestedTerm(
            name=term.name,
            forms=tuple(text_forms(term.name)),
            facet_label=facet.label,
            url=base
            + index.reverse_subpage("term_landing", kwargs={"facet_key": facet.key, "slug": term.slug}),
        )
        for facet in FACETS
        for term in terms[facet.key].values()
        if counts[facet.key].get(term.id)
    ]


def facet_term_suggestions(query, *, request, limit):
    """Terms whose name holds every word typed, as search finds it (width, kana, case, spelling, reading,
    synonym); names one of whose forms starts with the first word come first."""
    words = normalize(query).split()
    site = Site.find_for_request(request)
    if not words or site is None:
        return []
    terms = cached(CACHE_KEY.format(site_id=site.pk), lambda: catalog_terms(site, request), TIMEOUT)
    pieces = query_pieces(query)
    found = [term for term in terms if forms_contain(term.forms, pieces)]
    found.sort(key=lambda term: not any(form.startswith(words[0]) for form in term.forms))
    return [Suggestion(term.name, term.facet_label, term.url) for term in found[:limit]]


def register():
    register_suggestion_source(facet_term_suggestions)
