"""Search's parts of the Wagtail admin: 設定 → 同義語."""

from wagtail.snippets.models import register_snippet

from .synonym_admin import SynonymGroupViewSet

register_snippet(SynonymGroupViewSet)
