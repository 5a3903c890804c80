from django.apps import AppConfig


class StaffSigninConfig(AppConfig):
    name = "home.staff_signin"
    label = "staff_signin"
    verbose_name = "スタッフのサインイン"
