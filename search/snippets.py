"""Search results' titles and excerpts with the searched words marked, matched as the index matches them."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.search import index

from home.text import plain_line

from .analysis import highlight_terms, word_forms, word_spans
from .text import is_whole_run, normalize_with_offsets

EXCERPT_LENGTH = 120
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


def excerpt(page, query):
    """The first of the page's texts that contains a searched word, cut around it and marked; failing
    that, the first with a word matched through another spelling or a reading (the analyzer reads only
    the texts it must); else the page's description, shortened."""
    texts = list(page_texts(page))
    terms = highlight_terms(query)
    for text in texts:
        marked = highlight(text, terms, EXCERPT_LENGTH)
        if marked:
            return marked
    forms = word_forms(query)
    for text in texts if forms else ():
        marked = highlight(text, terms, EXCERPT_LENGTH, forms)
        if marked:
            return marked
    if texts:
        return escape(texts[0][:EXCERPT_LENGTH] + ("…" if len(texts[0]) > EXCERPT_LENGTH else ""))
    return ""


def marked_title(page, query):
    terms = highlight_terms(query)
    return (
        highlight(page.title, terms)
        or highlight(page.title, terms, forms=word_forms(query))
        or escape(page.title)
    )
