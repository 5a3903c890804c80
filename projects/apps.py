from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "プロボノプロジェクト"

    def ready(self):
        from . import count_cache, search_index
        from .registration import signals as registration_signals

        count_cache.connect_signals()
        search_index.connect_signals()
        registration_signals.connect_signals()
