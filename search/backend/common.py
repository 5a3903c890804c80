"""What the SQLite and PostgreSQL backends share: segmented index entries and segmented queries."""

from functools import reduce
from operator import and_, or_

from modelsearch.conf import get_app_config
from modelsearch.query import And, Boost, Not, Or, Phrase, PlainText
from modelsearch.utils import get_content_type_pk

from search.text import query_phrases

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


class SegmentedIndexMixin:
    """Writes index entries from an indexer whose texts are already segmented."""

    indexer_class = None

    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        content_type_pk = get_content_type_pk(model)
        entries = IndexEntry._default_manager.using(self.write_connection.alias)
        for obj in objs:
            indexer = self.indexer_class(obj, self.backend)
            entries.update_or_create(
                content_type_id=content_type_pk,
                object_id=indexer.id,
                defaults={**self.entry_values(indexer), "title_norm": 1.0},
            )
        self._refresh_title_norms()

    def entry_values(self, indexer):
        return {"title": indexer.title, "autocomplete": indexer.autocomplete, "body": indexer.body}


class SegmentedQueryMixin:
    """Turns PlainText and Phrase queries into the AND (or OR) of segmented phrases."""

    lexeme_class = None

    def phrase_lexeme(self, phrase, **lexeme_options):
        return self.lexeme_class(phrase.text, prefix=phrase.prefix, **lexeme_options)

    def phrase_lexemes(self, query, **lexeme_options):
        if isinstance(query, PlainText):
            phrases = query_phrases(query.query_string, last_is_prefix=self.LAST_TERM_IS_PREFIX)
            combine = or_ if query.operator.lower() == "or" else and_
        else:
            phrases = query_phrases(query.query_string)
            combine = and_
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
