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
        register_open_data()


def register_search_result_types():
    """The catalog's page types among site search's type filter choices, before the news."""
    from search.site_search import register_result_type

    from .models import EventPage, OrganizationPage, ProjectPage

    register_result_type("project", "プロジェクト", ProjectPage, order=10)
    register_result_type("organization", "団体", OrganizationPage, order=20)
    register_result_type("event", "イベント", EventPage, order=30)


def register_open_data():
    """The open data files: regenerated after content changes (a registry listener), made by the worker's
    sweep when missing; their licence settings are shown on the open data page."""
    from home import invalidation
    from home.models import OpenDataSettings

    from .models import OpenDataPage
    from .opendata import schedule

    invalidation.shown_on(OpenDataSettings, lambda settings: OpenDataPage.objects.all())
    schedule.register()
