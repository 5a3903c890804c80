"""The shell's parts of the Wagtail admin."""

from wagtail import hooks

from home.outbox.admin import outgoing_email_viewset


@hooks.register("register_admin_viewset")
def register_outgoing_email_viewset():
    return outgoing_email_viewset


@hooks.register("filter_form_submissions_for_user")
def contact_submissions_for_office_only(user, form_pages):
    """What people wrote in the お問い合わせ form is personal: only those who may read form submissions
    (the 事務局 group, superusers) see them, not every editor of the page."""
    return form_pages if user.has_perm("wagtailforms.view_formsubmission") else form_pages.none()
