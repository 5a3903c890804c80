"""The home app's models, split by kind and re-exported here."""

from .accessibility import (
    AccessibilityCriterionResult,
    AccessibilityPolicyPage,
    AccessibilityReportPage,
    AccessibilitySettings,
)
from .articles import ArticleIndexPage, ArticlePage, ArticlePageTag, ArticleRelatedPage
from .contact import AccessPage, ContactFormField, ContactPage
from .outbox import OutgoingEmail, OutgoingEmailStatus
from .pages import HomeFeaturedEvent, HomeFeaturedProject, HomePage, StandardPage
from .sections import SectionIndexPage
from .site_settings import CenterSettings, NavigationSettings, OpenDataSettings

__all__ = [
    "AccessibilityCriterionResult",
    "AccessibilityPolicyPage",
    "AccessibilityReportPage",
    "AccessibilitySettings",
    "AccessPage",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticlePageTag",
    "ArticleRelatedPage",
    "CenterSettings",
    "ContactFormField",
    "ContactPage",
    "HomeFeaturedEvent",
    "HomeFeaturedProject",
    "HomePage",
    "NavigationSettings",
    "OpenDataSettings",
    "OutgoingEmail",
    "OutgoingEmailStatus",
    "SectionIndexPage",
    "StandardPage",
]
