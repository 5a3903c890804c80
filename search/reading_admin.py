"""読み仮名辞書 in the admin (設定 → 読み仮名辞書): 事務局 add the readings of local names that ふりがな gets
wrong (search/furigana.py). A saved entry shows on every page at once: the model is declared `everywhere`
in the invalidation registry (search/apps.py)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import UpdatedAtColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from home.text import UNREADABLE_TEXT, has_unreadable_characters

from .models import LocalReading


class LocalReadingForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["surface"].error_messages["required"] = "表記を入力してください（例：由木）。"
        self.fields["reading"].error_messages["required"] = "読みをひらがなで入力してください（例：ゆぎ）。"
        for field in self.fields.values():
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]

    def _clean_text(self, name):
        value = self.cleaned_data[name]
        if has_unreadable_characters(value):
            raise ValidationError(UNREADABLE_TEXT, code="unreadable")
        # Zero-width characters pasted with a word would keep it from matching the page's text.
        return "".join(char for char in value if unicodedata.category(char) != "Cf").strip()

    def clean_surface(self):
        return self._clean_text("surface")

    def clean_reading(self):
        return self._clean_text("reading")


class LocalReadingViewSet(SnippetViewSet):
    model = LocalReading
    icon = "openquote"
    menu_label = "読み仮名辞書"
    menu_name = "local-readings"
    add_to_settings_menu = True
    # After 同義語 (910).
    menu_order = 920
    list_display = ["surface", "reading", "kind", UpdatedAtColumn()]
    list_filter = ["kind"]
    search_fields = ["surface", "reading"]
    search_backend_name = None
    ordering = ["surface"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [FieldPanel("surface"), FieldPanel("reading"), FieldPanel("kind")], base_form_class=LocalReadingForm
    )
