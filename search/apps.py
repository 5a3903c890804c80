from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "サイト内検索"

    def ready(self):
        from home.models import ArticlePage

        from .site_search import register_result_type

        register_result_type("article", "お知らせ・活動レポート", ArticlePage, order=40)
