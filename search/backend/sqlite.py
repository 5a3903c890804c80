"""The SQLite (FTS5) flavour: segmented texts, segmented MATCH queries, title-weighted bm25()."""

from django.db.models import Case, CharField, F, Func, Value, When
from django.db.models.fields import FloatField
from django.db.models.functions import Cast
from django.utils.functional import cached_property
from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import (
    Lexeme,
    LexemeCombinable,
    MatchExpression,
    SearchQueryExpression,
    SearchQueryField,
    normalize,
)
from modelsearch.query import MatchAll, Not, Phrase, PlainText
from modelsearch.utils import get_descendants_content_types_pks

from search.analysis import index_text, index_texts

from .common import FieldsReadOnceMixin, SegmentedIndexMixin, SegmentedQueryMixin

# Column weights of bm25(); the FTS5 table's columns are (autocomplete, body, title).
BM25_WEIGHTS = (0.0, 1.0, 10.0)
# Larger than any bm25() score, so that a title hit always sorts first.
TITLE_HIT_BONUS = 1_000_000


class SQLiteIndexer(FieldsReadOnceMixin, sqlite.ObjectIndexer):
    @cached_property
    def _title_texts(self):
        return index_texts(super().title)

    @cached_property
    def title(self):
        return self._title_texts[0]

    @cached_property
    def body(self):
        return f"{self._title_texts[1]} {index_text(super().body)}".strip()

    @cached_property
    def autocomplete(self):
        return index_text(super().autocomplete)


class SQLiteIndex(SegmentedIndexMixin, sqlite.SQLiteIndex):
    indexer_class = SQLiteIndexer


class TitleFirstBM25(Func):
    """Rows whose title matches the whole query first, then FTS5's bm25() with the title weighted.

    bm25() normalizes for the length of the whole row, so a title hit on a page with a long body would
    otherwise sink below a short page that only repeats the word in its body. Lower is better.
    """

    output_field = FloatField()

    def __init__(self, search_query):
        # The FTS row's rowid, as the query being built names it.
        super().__init__(F("pk"))
        self.title_match = MatchExpression(["title"], search_query)

    def as_sql(self, compiler, connection, **extra_context):
        table = sqlite.SQLiteFTSIndexEntry._meta.db_table
        weights = ", ".join(str(weight) for weight in BM25_WEIGHTS)
        rowid_sql, rowid_params = compiler.compile(self.source_expressions[0])
        match_sql, match_params = self.title_match.as_sql(compiler, connection)
        title_hit = f"({rowid_sql} IN (SELECT rowid FROM {table} WHERE {match_sql}))"
        sql = f"(bm25({table}, {weights}) - {TITLE_HIT_BONUS} * {title_hit})"
        return sql, [*rowid_params, *match_params]


class AnyOf(LexemeCombinable):
    """Lexemes joined by OR, in parentheses: FTS5's AND binds tighter than OR, and modelsearch's combined
    lexemes add none."""

    _output_field = SearchQueryField()

    def __init__(self, lexemes):
        super().__init__(output_field=SearchQueryField())
        self.lexemes = lexemes

    def as_sql(self, compiler, connection):
        parts = []
        for lexeme in self.lexemes:
            sql, params = compiler.compile(lexeme)
            parts.append(sql % tuple(params))
        return "%s", ["(" + " OR ".join(parts) + ")"]


class SQLiteQueryMixin(SegmentedQueryMixin):
    lexeme_class = Lexeme

    def any_of(self, lexemes):
        return lexemes[0] if len(lexemes) == 1 else AnyOf(lexemes)

    def build_search_query_content(self, query, config=None):
        if isinstance(query, (PlainText, Phrase)):
            return SearchQueryExpression(self.phrase_lexemes(query))
        return super().build_search_query_content(query, config=config)


class OnePassRankingMixin:
    """Ranks the matches with one full-text query (after SegmentedQueryMixin dropped empty terms)."""

    def search(self, config, start, stop, score_field=None):
        query = normalize(self.query)
        if score_field is not None or not self.order_by_relevance or isinstance(query, (MatchAll, Not)):
            return super().search(config, start, stop, score_field=score_field)
        return self._ranked_in_one_pass(query, config, start, stop)

    def _ranked_in_one_pass(self, query, config, start, stop):
        """The matching objects of the queryset, best first, scored by one full-text query.

        Wagtail scores each candidate in a correlated subquery with its own MATCH, so a word that
        hundreds of pages use costs hundreds of full-text scans (190 ms for a common word over 1,000
        projects). Here the index scores every match once, the ids are put in order in Python, and only
        the requested slice is read.
        """
        model = self.queryset.model
        candidates = self.queryset.order_by().annotate(text_pk=Cast("pk", CharField())).values("text_pk")
        scored = (
            sqlite.SQLiteFTSIndexEntry.objects.filter(
                MatchExpression(self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config))
            )
            .filter(
                index_entry__content_type__in=get_descendants_content_types_pks(model),
                index_entry__object_id__in=candidates,
            )
            .annotate(score=self._build_rank_expression(self.get_search_vectors(), config))
            .values_list("index_entry__object_id", "score")
        )
        to_pk = model._meta.pk.to_python
        best = {}
        for object_id, score in scored:
            pk = to_pk(object_id)
            best[pk] = min(score, best.get(pk, score))
        # Lower scores are better; ties newest first, as Wagtail orders them.
        ranked = sorted(sorted(best, reverse=True), key=best.__getitem__)[start:stop]
        position = Case(*(When(pk=pk, then=Value(index)) for index, pk in enumerate(ranked)))
        return self.queryset.filter(pk__in=ranked).order_by(position) if ranked else self.queryset.none()


class SQLiteQueryCompiler(SQLiteQueryMixin, OnePassRankingMixin, sqlite.SQLiteSearchQueryCompiler):
    def _build_rank_expression(self, vectors, config):
        query = normalize(self.query)
        if isinstance(query, Not):  # ranks are not used for a negated query, but are built all the same
            query = query.subquery
        if isinstance(query, (PlainText, Phrase)):
            # "A title hit" means the query as written, not one of its other spellings.
            title_query = SearchQueryExpression(self.phrase_lexemes(query, as_written=True))
        else:
            title_query = self.build_search_query(query, config=config)
        return TitleFirstBM25(title_query)


class SQLiteAutocompleteCompiler(SQLiteQueryMixin, sqlite.SQLiteAutocompleteQueryCompiler):
    pass


class SQLiteSearchBackend(sqlite.SQLiteSearchBackend):
    query_compiler_class = SQLiteQueryCompiler
    autocomplete_query_compiler_class = SQLiteAutocompleteCompiler
    index_class = SQLiteIndex
