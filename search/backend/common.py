"""What the SQLite and PostgreSQL backends share: segmented index entries and segmented queries."""

from functools import reduce
from operator import and_, or_

from modelsearch.conf import get_app_config
from modelsearch.index import SearchField
from modelsearch.query import And, Boost, Not, Or, Phrase, PlainText
from modelsearch.utils import get_content_type_pk
from wagtail.models import Page

from search.analysis import query_alternatives
from search.local_readings import pinned
from search.text import query_phrases
from search.vocabulary import forget_words, record_words

IndexEntry = get_app_config().get_model("IndexEntry", require_ready=False)


class FieldsReadOnceMixin:
    """Wagtail's indexers read every search field once for the title, once for the body and once for
    autocomplete; StreamFields and related names are costly to read, so each is read once here."""

    def prepare_field(self, obj, field):
        prepared = self.__dict__.setdefault("_prepared_fields", {})
        key = (id(obj), id(field))
        if key not in prepared:
            prepared[key] = list(super().prepare_field(obj, field))
        return iter(prepared[key])

    def searched_texts(self):
        """The raw texts of the object's search fields as (is_title, text)."""
        texts = []
        for search_field in self.search_fields:
            # SQLite's indexer yields (field, value), PostgreSQL's (field, weight, value).
            for prepared in self.prepare_field(self.obj, search_field):
                if isinstance(prepared[0], SearchField):
                    texts.append((prepared[0].field_name == "title", prepared[-1]))
        return texts


class SegmentedIndexMixin:
    """Writes index entries from an indexer whose texts are already segmented."""

    indexer_class = None

    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        with pinned():
            # Every text of the batch is read with one 読み仮名辞書, asked of the cache once.
            self._add_items(model, objs)
        self._refresh_title_norms()

    def _add_items(self, model, objs):
        content_type_pk = get_content_type_pk(model)
        entries = IndexEntry._default_manager.using(self.write_connection.alias)
        is_page = issubclass(model, Page)
        for obj in objs:
            indexer = self.indexer_class(obj, self.backend)
            entries.update_or_create(
                content_type_id=content_type_pk,
                object_id=indexer.id,
                defaults={**self.entry_values(indexer), "title_norm": 1.0},
            )
            if is_page:
                texts = indexer.searched_texts()
                record_words(
                    content_type_pk,
                    indexer.id,
                    title=" ".join(text for is_title, text in texts if is_title),
                    texts=[text for is_title, text in texts if not is_title],
                    using=self.write_connection.alias,
                )

    def delete_item(self, item):
        super().delete_item(item)
        forget_words(get_content_type_pk(type(item)), item.pk, using=self.write_connection.alias)

    def entry_values(self, indexer):
        return {"title": indexer.title, "autocomplete": indexer.autocomplete, "body": indexer.body}


class SegmentedQueryMixin:
    """Turns PlainText and Phrase queries into segmented phrases.

    A plain-text term matches any of its alternatives (search.analysis): the term as written, its
    normalized spelling, its loosened kana, its synonyms. A quoted phrase (the admin's search parses
    quotes) matches only as written.
    """

    lexeme_class = None

    def phrase_lexeme(self, phrase, **lexeme_options):
        return self.lexeme_class(phrase.text, prefix=phrase.prefix, **lexeme_options)

    def any_of(self, lexemes):
        """Lexemes any of which must match, grouped so that an enclosing AND applies to all of them."""
        return reduce(or_, lexemes)

    def phrase_lexemes(self, query, *, as_written=False, **lexeme_options):
        if isinstance(query, PlainText) and not as_written:
            terms = query_alternatives(query.query_string, last_is_prefix=self.LAST_TERM_IS_PREFIX)
            combine = or_ if query.operator.lower() == "or" else and_
            lexemes = [
                self.any_of([self.phrase_lexeme(phrase, **lexeme_options) for phrase in alternatives])
                for alternatives in terms
            ]
        else:
            last_is_prefix = isinstance(query, PlainText) and self.LAST_TERM_IS_PREFIX
            phrases = query_phrases(query.query_string, last_is_prefix=last_is_prefix)
            combine = or_ if isinstance(query, PlainText) and query.operator.lower() == "or" else and_
            lexemes = [self.phrase_lexeme(phrase, **lexeme_options) for phrase in phrases]
        return reduce(combine, lexemes) if lexemes else None

    def search(self, *args, **kwargs):
        query = without_empty_terms(self.query)
        if query is None:
            # Nothing searchable in the query (only punctuation or emoji, say): nothing matches.
            return self.queryset.none()
        self.query = query
        return super().search(*args, **kwargs)


def without_empty_terms(query):
    """The query without terms that hold nothing searchable, or None if nothing is left.

    The admin's search parses quotes into phrases, so `"%" 猫` is And(Phrase("%"), PlainText("猫")):
    the empty phrase must go rather than reach the database as an empty match expression.
    """
    if isinstance(query, (PlainText, Phrase)):
        return query if query_phrases(query.query_string) else None
    if isinstance(query, (And, Or)):
        subqueries = [sub for sub in map(without_empty_terms, query.subqueries) if sub is not None]
        if len(subqueries) < 2:
            return subqueries[0] if subqueries else None
        return type(query)(subqueries)
    if isinstance(query, Not):
        subquery = without_empty_terms(query.subquery)
        return Not(subquery) if subquery is not None else None
    if isinstance(query, Boost):
        subquery = without_empty_terms(query.subquery)
        return Boost(subquery, query.boost) if subquery is not None else None
    return query
