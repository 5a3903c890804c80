from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "サイト"

    def ready(self):
        from .navigation import connect_signals

        connect_signals()
