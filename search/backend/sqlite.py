"""The SQLite (FTS5) flavour: segmented texts, segmented MATCH queries, title-weighted bm25()."""

from django.db.models import Func
from django.db.models.fields import FloatField
from django.utils.functional import cached_property
from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import Lexeme, SearchQueryExpression
from modelsearch.query import Phrase, PlainText

from search.text import index_text

from .common import FieldsReadOnceMixin, SegmentedIndexMixin, SegmentedQueryMixin

# Column weights of bm25(); the FTS5 table's columns are (autocomplete, body, title).
BM25_WEIGHTS = (0.0, 1.0, 10.0)


class SQLiteIndexer(FieldsReadOnceMixin, sqlite.ObjectIndexer):
    @cached_property
    def title(self):
        return index_text(super().title)

    @cached_property
    def body(self):
        return index_text(super().body)

    @cached_property
    def autocomplete(self):
        return index_text(super().autocomplete)


class SQLiteIndex(SegmentedIndexMixin, sqlite.SQLiteIndex):
    indexer_class = SQLiteIndexer


class WeightedBM25(Func):
    """FTS5's bm25() with a weight per column, so that a hit in the title outranks hits in the body."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        weights = ", ".join(str(weight) for weight in BM25_WEIGHTS)
        return f"bm25({sqlite.SQLiteFTSIndexEntry._meta.db_table}, {weights})", []


class SQLiteQueryMixin(SegmentedQueryMixin):
    lexeme_class = Lexeme

    def build_search_query_content(self, query, config=None):
        if isinstance(query, (PlainText, Phrase)):
            return SearchQueryExpression(self.phrase_lexemes(query))
        return super().build_search_query_content(query, config=config)


class SQLiteQueryCompiler(SQLiteQueryMixin, sqlite.SQLiteSearchQueryCompiler):
    def _build_rank_expression(self, vectors, config):
        return WeightedBM25()


class SQLiteAutocompleteCompiler(SQLiteQueryMixin, sqlite.SQLiteAutocompleteQueryCompiler):
    pass


class SQLiteSearchBackend(sqlite.SQLiteSearchBackend):
    query_compiler_class = SQLiteQueryCompiler
    autocomplete_query_compiler_class = SQLiteAutocompleteCompiler
    index_class = SQLiteIndex
