"""同義語 in the admin (設定 → 同義語): 事務局 keep the groups of words search treats as one.

The form takes one word per line and says in Japanese what is wrong with a word; it saves the words
trimmed, one per line, without repeats. `…/add/?terms=<query>` opens the form with a query already in
it: the report of searches that found nothing links there (search/zero_result_report.py).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.functional import cached_property
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import TitleColumn, UpdatedAtColumn
from wagtail.snippets.views.snippets import CreateView, IndexView, SnippetViewSet

from home.text import UNREADABLE_TEXT, clean_visible_text, has_unreadable_characters

from .models import SynonymGroup
from .query import clean_query
from .text import has_searchable_text, normalize

MAX_WORDS = 20
MAX_WORD_LENGTH = 50
# Search finds a word inside longer ones (bigrams, prefixes), so a one-character word (市, ア, X) would
# make its group's words match nearly every page.
MIN_WORD_LENGTH = 2
# How much of a faulty word an error message repeats.
SHOWN_LENGTH = 20
LIST_SEPARATOR = "＝"
TOO_FEW_WORDS = "同じ意味として扱う言葉を、異なる2語以上、1行に1語ずつ入力してください。"


def shown(word):
    return word if len(word) <= SHOWN_LENGTH else word[:SHOWN_LENGTH] + "…"


def clean_terms(value):
    """The words of a group, one per line, checked: ValidationError with every problem found, in Japanese.
    Format characters that show nothing (zero-width spaces, a pasted BOM) are dropped; a word that is the
    same as an earlier one once search has normalized it (Ｆａｃｅｂｏｏｋ, facebook) is dropped too."""
    if has_unreadable_characters(value, multiline=True):
        raise ValidationError(UNREADABLE_TEXT, code="unreadable")
    value = "".join(char for char in value if unicodedata.category(char) != "Cf")
    words = [line.strip() for line in value.splitlines() if line.strip()]

    errors = []
    spaced = [word for word in words if any(char.isspace() for char in word)]
    if spaced:
        errors.append(f"1行に1語ずつ入力してください。語の中に空白は入れられません(「{shown(spaced[0])}」)。")
    too_long = [word for word in words if len(word) > MAX_WORD_LENGTH]
    if too_long:
        errors.append(f"1語は{MAX_WORD_LENGTH}文字までです(「{shown(too_long[0])}」)。")
    unsearchable = [word for word in words if not has_searchable_text(word)]
    if unsearchable:
        errors.append(
            "記号だけの語は検索に使われません。文字か数字を含む語を入力してください"
            f"(「{shown(unsearchable[0])}」)。"
        )
    too_short = [
        word for word in words if word not in unsearchable and len(normalize(word)) < MIN_WORD_LENGTH
    ]
    if too_short:
        errors.append(
            f"「{shown(too_short[0])}」は1文字のため登録できません。{MIN_WORD_LENGTH}文字以上の言葉にしてください。"
        )

    distinct = {}
    for word in words:
        distinct.setdefault(normalize(word), word)
    if len(distinct) < 2:
        errors.append(TOO_FEW_WORDS)
    elif len(distinct) > MAX_WORDS:
        errors.append(
            f"1つのグループに入れられるのは{MAX_WORDS}語までです({len(distinct)}語あります)。"
            "グループを分けてください。"
        )
    if errors:
        raise ValidationError([ValidationError(message, code="invalid") for message in errors])
    return "\n".join(distinct.values())


class SynonymGroupForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["terms"].error_messages["required"] = TOO_FEW_WORDS
        for field in self.fields.values():
            # A NUL is one of the unreadable characters the clean methods name (Django's own message for it
            # reads "enter some characters" in Japanese).
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]

    def clean_terms(self):
        return clean_terms(self.cleaned_data["terms"])

    def clean_note(self):
        return clean_visible_text(self.cleaned_data["note"]).strip()


def joined_terms(group):
    return LIST_SEPARATOR.join(group.term_list())


class SynonymGroupIndexView(IndexView):
    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # The words joined with ＝, linked to the form like any snippet's title.
        return super()._get_title_column(field_name, column_class, accessor=joined_terms, **kwargs)


class SynonymGroupCreateView(CreateView):
    @cached_property
    def prefilled_query(self):
        return clean_query(self.request.GET.get("terms", ""))

    def get_initial(self):
        initial = super().get_initial()
        if self.prefilled_query:
            # The query on the first line; staff add the words it should also find below it.
            initial["terms"] = self.prefilled_query + "\n"
        return initial


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "list-ul"
    menu_label = "同義語"
    menu_name = "synonyms"
    add_to_settings_menu = True
    # Beside Wagtail's 提案された検索結果 (900).
    menu_order = 910
    index_view_class = SynonymGroupIndexView
    add_view_class = SynonymGroupCreateView
    list_display = ["terms", "note", UpdatedAtColumn()]
    search_fields = ["terms", "note"]
    # A short list: a plain database match finds part-words, which full-text search would not.
    search_backend_name = None
    ordering = ["pk"]
    copy_view_enabled = False
    edit_handler = ObjectList([FieldPanel("terms"), FieldPanel("note")], base_form_class=SynonymGroupForm)
