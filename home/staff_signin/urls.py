"""The second step's screens, at /admin/two-factor/ (cms/urls.py) but outside Wagtail's admin-access check,
which a session that has not passed the second step could not pass."""

from django.urls import path

from . import views

urlpatterns = [
    path("verify/", views.verify, name="staff_signin_verify"),
    path("recovery/", views.recovery, name="staff_signin_recovery"),
    path("enrol/", views.enrol, name="staff_signin_enrol"),
    path("new-codes/", views.new_codes, name="staff_signin_new_codes"),
]
