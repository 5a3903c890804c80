from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "プロボノプロジェクト"

    def ready(self):
        from . import invalidation, news, search_index, search_suggestions
        from .registration import signals as registration_signals

        invalidation.declare()
        news.register()
        register_search_result_types()
        search_index.connect_signals()
        search_suggestions.register()
        registration_signals.connect_signals()


def register_search_result_types():
    """The catalog's page types among site search's type filter choices, before the news."""
    from search.site_search import register_result_type

    from .models import EventPage, OrganizationPage, ProjectPage

    register_result_type("project", "プロジェクト", ProjectPage, order=10)
    register_result_type("organization", "団体", OrganizationPage, order=20)
    register_result_type("event", "イベント", EventPage, order=30)
