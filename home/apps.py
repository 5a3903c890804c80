from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "サイト"

    def ready(self):
        from . import frontend_cache, navigation, page_cache

        navigation.connect_signals()
        page_cache.connect_signals()
        frontend_cache.connect_signals()
