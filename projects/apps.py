from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "プロボノプロジェクト"

    def ready(self):
        from .count_cache import connect_signals

        connect_signals()
