"""Search results' titles and excerpts with the searched words marked, matched as the index matches them."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.search import index

from home.text import plain_line

from .analysis import highlight_terms, word_forms, word_spans
from .text import is_whole_run, normalize_with_offsets

EXCERPT_LENGTH = 120
# Words matched only through another spelling or a reading are looked for this far into each text.
ANALYZED_LENGTH = 2_000
# Texts written to describe a page, preferred for its excerpt over the body.
DESCRIPTION_FIELDS = ("search_description", "summary", "lead", "description", "intro")


def highlight(text, terms, length=None, forms=None):
    """`text` escaped, with every occurrence of `terms`, and every word matched through another
    spelling or a reading (`forms`, search.analysis.word_forms), in <mark>; cut to `length` characters
    around the first occurrence when `length` is given. None when nothing occurs."""
    normalized, offsets = normalize_with_offsets(text)
    spans = word_spans(text, forms) if forms else []
    for term in terms:
        found = normalized.find(term)
        while found != -1:
            end = found + len(term)
            if is_whole_run(normalized, found, end):
                spans.append((offsets[found][0], offsets[end - 1][1]))
            found = normalized.find(term, found + 1)
    if not spans:
        return None
    spans = _merged(sorted(spans))
    start, end = 0, len(text)
    if length is not None and len(text) > length:
        start = max(0, min(spans[0][0] - length // 3, len(text) - length))
        end = start + length
    pieces = ["…"] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        pieces += [escape(text[cursor:span_start]), "<mark>", escape(text[span_start:span_end]), "</mark>"]
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    if end < len(text):
        pieces.append("…")
    return mark_safe("".join(pieces))


def _merged(spans):
    merged = [spans[0]]
    for start, end in spans[1:]:
        if start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def page_texts(page):
    """The page's indexed texts other than its title, description fields first.

    Only the page's own fields: texts indexed from related objects (organization, facet terms) would
    make a poor excerpt and cost a query each.
    """
    for name in DESCRIPTION_FIELDS:
        text = plain_line(getattr(page, name, ""))
        if text:
            yield text
    for field in page.get_search_fields():
        if not isinstance(field, index.SearchField) or field.field_name in ("title", *DESCRIPTION_FIELDS):
            continue
        try:
            field.get_field(page.__class__)
        except FieldDoesNotExist:
            continue
        text = plain_line(field.get_value(page))
        if text:
            yield text


class Marker:
    """Marks one query's words in result titles and excerpts; the query is analyzed once for all results."""

    def __init__(self, query):
        self.terms = highlight_terms(query)
        self.forms = word_forms(query)

    def title(self, page):
        return (
            highlight(page.title, self.terms)
            or (self.forms and highlight(page.title, self.terms, forms=self.forms))
            or escape(page.title)
        )

    def excerpt(self, page):
        """The first of the page's texts that contains a searched word, cut around it and marked; failing
        that, the first with a word matched through another spelling or a reading (the analyzer reads
        only the texts it must, and only their beginning); else the page's description, shortened."""
        texts = list(page_texts(page))
        for text in texts:
            marked = highlight(text, self.terms, EXCERPT_LENGTH)
            if marked:
                return marked
        for text in texts if self.forms else ():
            marked = highlight(text[:ANALYZED_LENGTH], self.terms, EXCERPT_LENGTH, self.forms)
            if marked:
                return marked
        if texts:
            return escape(texts[0][:EXCERPT_LENGTH] + ("…" if len(texts[0]) > EXCERPT_LENGTH else ""))
        return ""
