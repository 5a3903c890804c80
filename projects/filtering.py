"""Catalog browsing for /projects/: read the filters from the query string, narrow the projects and count
what every option would leave, in a fixed number of SQL queries whatever the size of the catalog.

Several values of one facet are OR, different facets are AND. Unknown slugs, statuses and years are
left out, so a stale or hand-edited link still shows a sensible page, and a notice says which were
(`FilterNotice`, templates/components/filter_notice.html).
"""

import unicodedata
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import CharField, Count, F, Value
from django.db.models.functions import Coalesce, TruncDate

from home.dates import parse_fiscal_year
from home.pagination import get_page
from search.query import clean_query

from .count_cache import cached_counts
from .models import FACETS, ProjectPage, ProjectStatus

PER_PAGE = 12
# A link may repeat a parameter; more distinct values than any facet has terms is never meaningful.
MAX_VALUES_PER_PARAMETER = 50
SORTS = {"updated": "更新順", "newest": "開始日の新しい順", "title": "タイトル順"}
DEFAULT_SORT = "updated"
FILTER_PARAMETERS = (*(facet.key for facet in FACETS), "status", "year", "q")


# How much of a value nobody recognised the notice repeats back, and how many such values it names.
NOTICE_VALUE_LENGTH = 30
NOTICE_VALUES = 5


@dataclass(frozen=True)
class FilterNotice:
    """Values of the query string that name no known condition: the page says they were left out.

    `values` are made safe to show: invisible and control characters removed, each cut to
    NOTICE_VALUE_LENGTH characters; `more` counts those past the first NOTICE_VALUES. The template escapes
    them like any text.
    """

    values: tuple = ()
    more: int = 0


def _shown(value):
    # Line breaks and tabs part words; other control and invisible characters (NUL, bidi overrides) go.
    text = "".join(
        " " if char.isspace() else char
        for char in value
        if char.isspace() or unicodedata.category(char)[0] != "C"
    )
    text = " ".join(text.split())
    return text if len(text) <= NOTICE_VALUE_LENGTH else text[: NOTICE_VALUE_LENGTH - 1] + "…"


def filter_notice(unknown):
    """The FilterNotice for the unknown values `unknown` (raw, in the order given), or None for none."""
    if not unknown:
        return None
    values = []
    for value in unknown:
        shown = _shown(value)
        if shown not in values:
            values.append(shown)
    values = [value for value in values if value]
    return FilterNotice(tuple(values[:NOTICE_VALUES]), max(len(values) - NOTICE_VALUES, 0))


@dataclass(frozen=True)
class Term:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class CatalogFilters:
    """The filters a visitor chose, already checked against what exists. Facet values are term ids."""

    facets: dict = field(default_factory=dict)  # facet key -> tuple of Terms
    statuses: tuple = ()
    years: tuple = ()
    query: str = ""
    sort: str = DEFAULT_SORT

    @property
    def is_active(self):
        return bool(any(self.facets.values()) or self.statuses or self.years or self.query)

    def fingerprint(self):
        """Which projects these filters select, the same for every spelling of the same choice (order of
        values, repeats, parameters the catalog does not read): the cached counts and cards are kept by it."""
        return repr(
            (
                sorted((key, sorted(term.id for term in terms)) for key, terms in self.facets.items()),
                sorted(self.statuses),
                sorted(self.years),
                self.query,
            )
        )


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool

    @property
    def disabled(self):
        return self.count == 0 and not self.selected


@dataclass
class OptionGroup:
    parameter: str
    label: str
    options: list


@dataclass
class Chip:
    label: str
    remove_url: str


@dataclass
class CatalogPage:
    """Everything the catalog template shows."""

    filters: CatalogFilters
    groups: list
    chips: list
    results: object  # a paginator Page of ProjectPages
    total: int
    clear_url: str
    sort_options: list
    notice: FilterNotice | None = None

    @property
    def cards_key(self):
        """What decides the result cards: the selection, its order and the page shown."""
        return (self.filters.fingerprint(), self.filters.sort, self.results.number)


def load_terms():
    """facet key -> {slug: Term} for every term of the five facets, in display order, in one query."""
    querysets = [
        facet.model.objects.order_by()
        .annotate(facet=Value(facet.key, output_field=CharField()))
        .values_list("facet", "id", "slug", "name", "sort_order")
        for facet in FACETS
    ]
    rows = sorted(querysets[0].union(*querysets[1:], all=True), key=lambda row: (row[4], row[3], row[1]))
    terms = {facet.key: {} for facet in FACETS}
    for facet_key, term_id, slug, name, _sort_order in rows:
        terms[facet_key][slug] = Term(term_id, slug, name)
    return terms


def _distinct_values(params, name):
    values = []
    for value in params.getlist(name)[: MAX_VALUES_PER_PARAMETER * 4]:
        value = value.strip()
        if value and value not in values:
            values.append(value)
    return values[:MAX_VALUES_PER_PARAMETER]


def parse_filters(params, terms):
    """CatalogFilters from a QueryDict, keeping only values that name something real."""
    facets = {
        key: tuple(known[slug] for slug in _distinct_values(params, key) if slug in known)
        for key, known in terms.items()
    }
    statuses = tuple(value for value in _distinct_values(params, "status") if value in ProjectStatus.values)
    years = tuple(
        year
        for year in (parse_fiscal_year(value) for value in _distinct_values(params, "year"))
        if year is not None
    )
    sort = params.get("sort", DEFAULT_SORT)
    return CatalogFilters(
        facets=facets,
        statuses=statuses,
        years=years,
        query=clean_query(params.get("q", "")),
        sort=sort if sort in SORTS else DEFAULT_SORT,
    )


def unknown_values(params, terms):
    """The facet, status and year values of the query string that name nothing, in their order."""
    unknown = []
    for key, known in terms.items():
        unknown += [slug for slug in _distinct_values(params, key) if slug not in known]
    unknown += [value for value in _distinct_values(params, "status") if value not in ProjectStatus.values]
    unknown += [value for value in _distinct_values(params, "year") if parse_fiscal_year(value) is None]
    return unknown


def _through(facet):
    """The M2M link model of a facet and the name of its term column."""
    through = getattr(ProjectPage, facet.field_name).through
    return through, f"{facet.model._meta.model_name}_id"


def _search_ids(projects, query):
    # The catalog sorts by its own order, so the matches need no ranking.
    return [page.pk for page in projects.search(query, order_by_relevance=False)]


class CatalogQuery:
    """The catalog's projects narrowed by CatalogFilters, with every option's count."""

    def __init__(self, projects, filters):
        self.projects = projects
        self.filters = filters
        self.search_ids = _search_ids(projects, filters.query) if filters.query else None

    def narrowed(self, *, skip_facet=None, skip_status=False, skip_year=False):
        projects = self.projects
        if self.search_ids is not None:
            projects = projects.filter(pk__in=self.search_ids)
        for facet in FACETS:
            chosen = self.filters.facets.get(facet.key)
            if chosen and facet.key != skip_facet:
                through, term_column = _through(facet)
                linked = through.objects.filter(**{f"{term_column}__in": [term.id for term in chosen]})
                projects = projects.filter(pk__in=linked.values("projectpage_id"))
        if self.filters.statuses and not skip_status:
            projects = projects.filter(status__in=self.filters.statuses)
        if self.filters.years and not skip_year:
            projects = projects.filter(fiscal_year__in=self.filters.years)
        return projects

    def option_counts(self):
        """{facet key: {term id: count}}, each facet counted under the other filters, in one query.

        The same query adds {"year": {年度: count}} over the whole catalog, so that years which no current
        choice reaches are still listed (disabled).
        """
        querysets = []
        for facet in FACETS:
            through, term_column = _through(facet)
            querysets.append(
                through.objects.filter(projectpage_id__in=self.narrowed(skip_facet=facet.key).values("pk"))
                .order_by()
                .values(term_column)
                .annotate(facet=Value(facet.key, output_field=CharField()), count=Count("projectpage_id"))
                .values_list("facet", term_column, "count")
            )
        querysets.append(
            self.projects.order_by()
            .values("fiscal_year")
            .annotate(facet=Value("year", output_field=CharField()), count=Count("pk"))
            .values_list("facet", "fiscal_year", "count")
        )
        counts = {facet.key: {} for facet in FACETS} | {"year": {}}
        for key, value, count in querysets[0].union(*querysets[1:], all=True):
            counts[key][value] = count
        return counts

    def status_year_counts(self):
        """(status, fiscal year, count) rows of the projects left by the facet and text filters.

        One grouped query gives the status counts (under the year filter), the year counts (under the status
        filter) and the total.
        """
        return list(
            self.narrowed(skip_status=True, skip_year=True)
            .order_by()
            .values("status", "fiscal_year")
            .annotate(count=Count("pk"))
            .values_list("status", "fiscal_year", "count")
        )

    def ordered(self):
        sort = self.filters.sort
        projects = self.narrowed()
        if sort == "title":
            return projects.order_by("title", "pk")
        if sort == "newest":
            return projects.order_by(F("started_on").desc(nulls_last=True), "-pk")
        updated = Coalesce("last_progress_on", TruncDate("last_published_at"))
        return projects.annotate(updated=updated).order_by(F("updated").desc(nulls_last=True), "-pk")


def _url_without(params, parameter=None, value=None):
    """The query string with one (parameter, value) pair, or every filter when none is named, removed."""
    remaining = params.copy()
    remaining.pop("page", None)
    if parameter is None:
        for name in FILTER_PARAMETERS:
            remaining.pop(name, None)
    elif value is None:
        remaining.pop(parameter, None)
    else:
        remaining.setlist(parameter, [item for item in remaining.getlist(parameter) if item.strip() != value])
    encoded = remaining.urlencode()
    return f"?{encoded}" if encoded else "?"


def _sum_counts(rows, statuses, years):
    return sum(
        count
        for status, year, count in rows
        if (not statuses or status in statuses) and (not years or year in years)
    )


def catalog_query(index, params, terms):
    """The CatalogQuery of the catalog at `index` (a ProjectIndexPage) under the query string's filters:
    the one reading of the filters that the catalog page and the open data API (projects/api/) share."""
    return CatalogQuery(ProjectPage.objects.in_catalog(index), parse_filters(params, terms))


def browse_catalog(index, params):
    """The CatalogPage for the ProjectIndexPage `index` and the request's query parameters."""
    terms = load_terms()
    catalog = catalog_query(index, params, terms)
    filters = catalog.filters

    counts, rows = cached_counts(
        index, filters, lambda: (catalog.option_counts(), catalog.status_year_counts())
    )
    groups = []
    for facet in FACETS:
        chosen = {term.id for term in filters.facets[facet.key]}
        options = [
            Option(term.slug, term.name, counts[facet.key].get(term.id, 0), term.id in chosen)
            for term in terms[facet.key].values()
        ]
        groups.append(OptionGroup(facet.key, facet.label, options))

    groups.append(
        OptionGroup(
            "status",
            "進捗率",
            [
                Option(value, label, _sum_counts(rows, (value,), filters.years), value in filters.statuses)
                for value, label in ProjectStatus.choices
            ],
        )
    )
    # A chosen year with no projects still gets an option, so its chip can be removed.
    years = sorted({year for year in counts["year"] if year is not None} | set(filters.years), reverse=True)
    groups.append(
        OptionGroup(
            "year",
            "開始年度",
            [
                Option(
                    str(year),
                    f"{year}年度",
                    _sum_counts(rows, filters.statuses, (year,)),
                    year in filters.years,
                )
                for year in years
            ],
        )
    )

    chips = [
        Chip(f"{group.label}: {option.label}", _url_without(params, group.parameter, option.value))
        for group in groups
        for option in group.options
        if option.selected
    ]
    if filters.query:
        chips.append(Chip(f"キーワード: {filters.query}", _url_without(params, "q")))

    total = _sum_counts(rows, filters.statuses, filters.years)
    paginator = Paginator(catalog.ordered().for_cards(), PER_PAGE)
    paginator.count = total  # known from the grouped counts; saves a COUNT query
    return CatalogPage(
        filters=filters,
        groups=groups,
        chips=chips,
        results=get_page(paginator, params),
        total=total,
        clear_url=_url_without(params),
        sort_options=[Option(value, label, 0, value == filters.sort) for value, label in SORTS.items()],
        notice=filter_notice(unknown_values(params, terms)),
    )
