"""レポート → 見つからなかった検索: what visitors searched for in vain over the kept days, most frequent
first, with a one-step way to act on each query: 同義語を追加 opens the synonym form with the query in it, and
おすすめを追加 opens Wagtail's editors' picks for the query (its form, with the query filled in, or the
query's picks when it has some already).

For 事務局 and superusers: the permission search.view_zeroresultsearch (search/migrations/0003_…).
"""

from urllib.parse import urlencode

from django.db.models import Max, Sum
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import ButtonsColumnMixin, Column, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import ListingButton
from wagtail.contrib.search_promotions.models import Query
from wagtail.contrib.search_promotions.views import CreateView as SearchPromotionCreateView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.search.utils import normalise_query_string

from home.dates import format_date

from .models import SynonymGroup, ZeroResultSearch
from .query import clean_query
from .zero_results import RETENTION_DAYS, first_day_kept

VIEW_PERMISSION = "search.view_zeroresultsearch"
URL_NAMESPACE = "search_zero_results"


def synonym_url(query):
    return f"{reverse(SynonymGroup.snippet_viewset.get_url_name('add'))}?{urlencode({'terms': query})}"


def pick_url(query):
    return f"{reverse(f'{URL_NAMESPACE}:promote')}?{urlencode({'q': query})}"


# Each row's actions: label, the permission it needs, its address for the query, icon.
ROW_ACTIONS = [
    ("同義語を追加", "search.add_synonymgroup", synonym_url, "list-ul"),
    ("おすすめを追加", "wagtailsearchpromotions.add_searchpromotion", pick_url, "pick"),
]


class QueryColumn(ButtonsColumnMixin, TitleColumn):
    """The query, with its actions under it as in Wagtail's own listings."""

    def get_buttons(self, row, parent_context):
        user = parent_context["request"].user
        query = row["query"]
        return [
            ListingButton(
                label,
                url=url(query),
                icon_name=icon,
                # Every row has the same two labels: the query tells them apart for a screen reader.
                attrs={"aria-label": f"「{query}」の{label}"},
                priority=priority,
            )
            for priority, (label, permission, url, icon) in enumerate(ROW_ACTIONS)
            if user.has_perm(permission)
        ]


class ZeroResultSearchReportView(ReportView):
    template_name = "search/admin/zero_result_searches.html"
    page_title = "見つからなかった検索"
    page_subtitle = f"過去{RETENTION_DAYS}日間"
    header_icon = "search"
    permission_policy = ModelPermissionPolicy(ZeroResultSearch)
    permission_required = "view"
    index_url_name = f"{URL_NAMESPACE}:index"
    index_results_url_name = f"{URL_NAMESPACE}:results"
    is_searchable = True
    search_fields = ["query"]
    search_backend_name = None
    paginate_by = 50
    default_ordering = "-total"
    # No spreadsheet export: the queries are what anyone typed, and a cell starting with = would run as a
    # formula in the office's spreadsheet.
    list_export = []
    columns = [
        QueryColumn("query", label="検索語", sort_key="query"),
        NumberColumn("total", label="回数", sort_key="total"),
        Column(
            "last_day",
            label="最後に検索された日",
            accessor=lambda row: format_date(row["last_day"]),
            sort_key="last_day",
        ),
    ]
    retention_days = RETENTION_DAYS

    def get_base_queryset(self):
        return (
            ZeroResultSearch.objects.filter(day__gte=first_day_kept())
            .values("query")
            .annotate(total=Sum("count"), last_day=Max("day"))
        )

    def order_queryset(self, queryset):
        # Ties in a stable order (the most recent first), so that pages never repeat or skip a query.
        return queryset.order_by(self.ordering, "-last_day", "query")

    @cached_property
    def no_results_message(self):
        if self.is_searching:
            return "その言葉を含む、見つからなかった検索はありません。"
        return f"過去{RETENTION_DAYS}日間に、何も見つからなかった検索はありません。"


class PromoteQueryView(SearchPromotionCreateView):
    """Wagtail's form for a query's editors' picks, with the query filled in from ?q=; the query's own
    picks page when it has one already. The form posts to Wagtail's add view as usual."""

    http_method_names = ["get"]

    @cached_property
    def query_string(self):
        return normalise_query_string(clean_query(self.request.GET.get("q", "")))

    def get(self, request, *args, **kwargs):
        existing = Query.objects.filter(query_string=self.query_string).first() if self.query_string else None
        if existing is not None:
            return redirect("wagtailsearchpromotions:edit", existing.pk)
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return {**super().get_initial(), "query_string": self.query_string}


class ZeroResultSearchesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


def menu_item():
    return ZeroResultSearchesMenuItem(
        "見つからなかった検索",
        reverse(f"{URL_NAMESPACE}:index"),
        name="zero-result-searches",
        icon_name="search",
        # After Wagtail's 検索語 (1300).
        order=1310,
    )


urlpatterns = [
    path("", ZeroResultSearchReportView.as_view(), name="index"),
    path("results/", ZeroResultSearchReportView.as_view(results_only=True), name="results"),
    path("promote/", PromoteQueryView.as_view(), name="promote"),
]
