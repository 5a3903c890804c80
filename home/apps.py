from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "サイト"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import admin_language, admin_names, frontend_cache, invalidation

        admin_names.use_japanese_name_order()
        admin_language.label_fields_without_translation()
        admin_language.show_values_in_japanese()
        post_migrate.connect(admin_language.after_migrate, dispatch_uid="home.admin_language")
        declare_invalidation()
        invalidation.connect_signals()
        frontend_cache.connect_signals()


def declare_invalidation():
    """What a change to the shell's own records invalidates (home/invalidation.py)."""
    from wagtail.contrib.forms.models import FormSubmission
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Site

    from . import invalidation
    from .models import (
        AccessibilityCriterionResult,
        AccessibilityPolicyPage,
        AccessibilitySettings,
        ArticlePageTag,
        ArticleRelatedPage,
        CenterSettings,
        ContactFormField,
        HomeFeaturedEvent,
        HomeFeaturedProject,
        NavigationSettings,
        OutgoingEmail,
    )

    # Settings and menus frame every page; the cached settings hold the center's logo and share image.
    invalidation.everywhere(CenterSettings, NavigationSettings, Site, get_image_model(), get_document_model())
    # The accessibility policy's items are shown on the policy page alone.
    invalidation.shown_on(AccessibilitySettings, lambda settings: AccessibilityPolicyPage.objects.all())
    invalidation.page_part(
        AccessibilityCriterionResult,
        ArticlePageTag,
        ArticleRelatedPage,
        ContactFormField,
        HomeFeaturedEvent,
        HomeFeaturedProject,
    )
    # Emails waiting to be sent, and what people wrote in the お問い合わせ form, are shown on no public page.
    invalidation.private(OutgoingEmail, FormSubmission)
