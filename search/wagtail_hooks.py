"""Search's parts of the Wagtail admin: 設定 → 同義語, 設定 → 読み仮名辞書, レポート → 見つからなかった検索,
and the worker's sweep forgetting old counts."""

from django.contrib.auth.models import Permission
from django.urls import include, path
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from . import zero_result_report
from .reading_admin import LocalReadingViewSet
from .synonym_admin import SynonymGroupViewSet
from .zero_results import prune

register_snippet(SynonymGroupViewSet)
register_snippet(LocalReadingViewSet)


@hooks.register("register_admin_urls")
def register_zero_result_report_urls():
    return [
        path(
            "reports/zero-result-searches/",
            include((zero_result_report.urlpatterns, zero_result_report.URL_NAMESPACE)),
        )
    ]


@hooks.register("register_reports_menu_item")
def register_zero_result_report_menu_item():
    return zero_result_report.menu_item()


@hooks.register("register_permissions")
def register_zero_result_report_permission():
    # Offered in the group editor (設定 → グループ): who may read the report.
    return Permission.objects.filter(content_type__app_label="search", codename="view_zeroresultsearch")


# run_worker calls these on each sweep (every 30 seconds by default).
hooks.register("worker_sweep", prune)
