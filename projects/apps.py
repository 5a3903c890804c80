from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "プロボノプロジェクト"

    def ready(self):
        from . import invalidation, news, search_index
        from .registration import signals as registration_signals

        invalidation.declare()
        news.register()
        search_index.connect_signals()
        registration_signals.connect_signals()
