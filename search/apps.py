from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "サイト内検索"

    def ready(self):
        from home.models import ArticlePage

        from .site_search import register_result_type

        register_result_type("article", "お知らせ・活動レポート", ArticlePage, order=40)
        declare_invalidation()

        from . import reading_changes

        reading_changes.connect_signals()


def declare_invalidation():
    """What a change to search's own records invalidates (home/invalidation.py)."""
    from home import invalidation

    from .models import IndexedWords, LocalReading, SynonymGroup, ZeroResultSearch
    from .vocabulary import VOCABULARY_KEY

    # Synonyms change what every search and every catalog keyword filter finds.
    invalidation.everywhere(SynonymGroup)
    # Local readings change the ruby of every page shown with ふりがな (search/furigana.py) and the readings
    # search looks for; the pages holding a changed entry are re-indexed too (search/reading_changes.py).
    invalidation.everywhere(LocalReading)
    # The index's words are shown on no page; the 「もしかして」 vocabulary is cached under their own token.
    invalidation.shown_on(IndexedWords, pages=lambda words: [], key=lambda words: VOCABULARY_KEY)
    # Counted searches are read by staff only, and hold no personal data.
    invalidation.private(ZeroResultSearch)
