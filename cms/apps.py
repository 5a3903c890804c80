"""The project package as an app, so that its checks of the settings run with `manage.py check`."""

from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "サイトの設定"

    def ready(self):
        from cms import deploy_checks

        deploy_checks.register()
