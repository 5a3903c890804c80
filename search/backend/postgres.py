"""The PostgreSQL flavour: segmented texts in tsvectors, segmented tsqueries, the 'simple' configuration."""

from django.contrib.postgres.search import SearchQuery
from django.db.models import Case, FloatField, Value, When
from django.utils.functional import cached_property
from modelsearch.backends.database.postgres import postgres as pg
from modelsearch.backends.database.postgres.query import Lexeme
from modelsearch.index import AutocompleteField, SearchField
from modelsearch.query import Fuzzy, MatchAll, Not, Phrase, PlainText

from search.analysis import index_text, index_texts

from .common import FieldsReadOnceMixin, SegmentedIndexMixin, SegmentedQueryMixin


class PostgresIndexer(FieldsReadOnceMixin, pg.ObjectIndexer):
    """The title vector holds the title as written. The body vector holds everything, the title in
    every form included, with the title's weight: a search then matches on the body vector alone, which
    its GIN index serves, rather than on title || body, which is computed for every row."""

    def _weighted_texts(self, is_title):
        return [
            (value, weight)
            for search_field in self.search_fields
            for field, weight, value in self.prepare_field(self.obj, search_field)
            if isinstance(field, SearchField) and (field.field_name == "title") == is_title
        ]

    @cached_property
    def _title_texts(self):
        return [(index_texts(text), weight) for text, weight in self._weighted_texts(is_title=True)]

    @cached_property
    def title(self):
        return self.as_vector([(written, weight) for (written, _), weight in self._title_texts])

    @cached_property
    def body(self):
        title = [(f"{written} {others}", weight) for (written, others), weight in self._title_texts]
        texts = [(index_text(text), weight) for text, weight in self._weighted_texts(is_title=False)]
        return self.as_vector(title + texts)

    @cached_property
    def autocomplete(self):
        texts = [
            (index_text(value), weight)
            for search_field in self.search_fields
            for field, weight, value in self.prepare_field(self.obj, search_field)
            if isinstance(field, AutocompleteField)
        ]
        return self.as_vector(texts, for_autocomplete=True)


class PostgresIndex(SegmentedIndexMixin, pg.PostgresIndex):
    indexer_class = PostgresIndexer

    def entry_values(self, indexer):
        return {
            **super().entry_values(indexer),
            "title_text": indexer.title_text,
            "body_text": indexer.body_text,
        }


class PhraseLexeme(Lexeme):
    """A phrase of index tokens as tsquery text: 'a' <-> 'b' <-> 'c', with only the last one a prefix.

    Wagtail's Lexeme quotes the whole phrase, and PostgreSQL then makes every word of it a prefix.
    """

    def __init__(self, phrase, invert=False):
        super().__init__(phrase.text, prefix=phrase.prefix, invert=invert)
        self.tokens = phrase.tokens

    def as_sql(self, compiler, connection):
        quoted = ["'{}'".format(token.replace("'", "''").replace("\\", "\\\\")) for token in self.tokens]
        if self.prefix:
            quoted[-1] += ":*"
        text = " <-> ".join(quoted)
        if len(quoted) > 1:
            text = f"({text})"
        return "%s", [f"!{text}" if self.invert else text]


class PostgresQueryMixin(SegmentedQueryMixin):
    def phrase_lexeme(self, phrase, **lexeme_options):
        return PhraseLexeme(phrase, **lexeme_options)

    def get_search_vectors(self, search_query):
        # Always the index's segmented vectors: with `fields=` Wagtail would build vectors from the raw
        # columns, which segmented queries cannot match. Such searches look at the whole index entry.
        return self.get_index_vectors(search_query)

    def build_tsquery_content(self, query, config=None, invert=False):
        if isinstance(query, (PlainText, Phrase)):
            return SearchQuery(self.phrase_lexemes(query, invert=invert), search_type="raw", config=config)
        return super().build_tsquery_content(query, config=config, invert=invert)


class BodyVectorMatchMixin:
    """Matches on the body vector alone (after SegmentedQueryMixin dropped empty terms)."""

    def search(self, config, start, stop, score_field=None, backend=None):
        if (
            self.fields is not None
            or isinstance(self.query, (MatchAll, Fuzzy))
            or (isinstance(self.query, Not) and isinstance(self.query.subquery, MatchAll))
        ):
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        # The body vector holds every text of the entry (PostgresIndexer), so matching it alone finds
        # the same rows as title || body, through the GIN index (at 1,000 projects: 8 ms, not 90).
        search_query = self.build_tsquery(self.query, config=config)
        rank_expression = self._build_rank_expression(self.get_search_vectors(search_query), config)
        queryset = self.queryset.filter(index_entries__body=search_query)
        return self._apply_ordering_and_scoring(queryset, rank_expression, start, stop, score_field)


class PostgresQueryCompiler(PostgresQueryMixin, BodyVectorMatchMixin, pg.PostgresSearchQueryCompiler):
    def _build_rank_expression(self, vectors, config):
        """Pages whose title matches the whole query first, then by ts_rank.

        ts_rank adds up every occurrence, so a long body that repeats a word would otherwise outrank
        a page with that word in its title.
        """
        rank = super()._build_rank_expression(vectors, config)
        if isinstance(self.query, (PlainText, Phrase)):
            # "A title hit" means the query as written, not one of its other spellings.
            title_query = SearchQuery(
                self.phrase_lexemes(self.query, as_written=True), search_type="raw", config=config
            )
        else:
            title_query = self.build_tsquery(self.query, config=config)
        title_hit = Case(
            When(index_entries__title=title_query, then=Value(1.0)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        return title_hit + rank / (rank + 1)


class PostgresAutocompleteCompiler(PostgresQueryMixin, pg.PostgresAutocompleteQueryCompiler):
    pass


class PostgresSearchBackend(pg.PostgresSearchBackend):
    query_compiler_class = PostgresQueryCompiler
    autocomplete_query_compiler_class = PostgresAutocompleteCompiler
    index_class = PostgresIndex

    def __init__(self, params):
        super().__init__(params)
        # The texts arrive segmented and normalized: no stemming or stop words on top.
        self.config = params.get("SEARCH_CONFIG", "simple")
