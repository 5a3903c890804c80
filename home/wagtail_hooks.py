"""The shell's parts of the Wagtail admin."""

from wagtail import hooks

from home.outbox.admin import outgoing_email_viewset


@hooks.register("register_admin_viewset")
def register_outgoing_email_viewset():
    return outgoing_email_viewset
