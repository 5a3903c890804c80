"""The 読み仮名辞書 as a rule of reading: where an entry's surface occurs in a text, the text is read with
the entry's reading instead of the morphological analyzer's (由木 is ゆぎ, not よしき).

One rule, for ふりがな (search/furigana.py: the ruby) and for search (search/analysis.py: the reading
form the index stores; search/vocabulary.py: the readings of 「もしかして」). `read_words(text)` gives the
text's words as the analyzer cuts them, except that each entry found is one word with the entry's reading.

An entry wins over the analyzer for the text it covers when it starts and ends where the analyzer's words
do; when it is the start or the end of one longer word of the analyzer's, it wins only if the analyzer's
reading of that word does not already begin (or end) with the entry's reading, so 散田町 keeps さんだまち;
and 谷野 is never found inside 渋谷野球, nor 本町 inside 日本町.

The entries are cached until any content changes (the model is declared `everywhere`, search/apps.py).
"""

import logging
from bisect import bisect_right
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property, lru_cache

from django.db import DatabaseError

from home.invalidation import cached

from .morphology import Word, words
from .text import normalize

logger = logging.getLogger(__name__)

READINGS_KEY = "search:local-readings"
READINGS_TIMEOUT = 24 * 60 * 60

_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}

# The dictionary a batch of texts is read with (`pinned`), so that indexing a page asks the cache once.
_pinned = ContextVar("search_local_readings", default=None)


def hiragana(text):
    return text.translate(_KATAKANA_TO_HIRAGANA)


class ReadingIndex:
    """The 読み仮名辞書's entries, by first character, longest first."""

    def __init__(self, entries):
        self.entries = entries
        by_first = {}
        for surface, reading in entries:
            if surface and reading:
                by_first.setdefault(surface[0], []).append((surface, reading))
        self.by_first = {
            first: tuple(sorted(found, key=lambda entry: -len(entry[0]))) for first, found in by_first.items()
        }

    @cached_property
    def _surfaces_by_reading(self):
        by_reading = {}
        for surface, reading in self.entries:
            if surface and reading:
                by_reading.setdefault(normalize(reading), []).append(surface)
        return {reading: tuple(surfaces) for reading, surfaces in by_reading.items()}

    def surfaces_read_as(self, kana):
        """The surfaces of the entries read exactly `kana` (normalized: katakana folded to hiragana)."""
        return self._surfaces_by_reading.get(kana, ())

    def spans(self, text, found_words):
        """(start, end, reading) of the entries found in the text, longest match first, left to right,
        where they may override the analyzer (see the module's docstring)."""
        if not self.by_first:
            return []
        starts, position = {}, 0
        for index, word in enumerate(found_words):
            starts[position] = index
            position += len(word.surface)
        ends = {0} | {start + len(found_words[index].surface) for start, index in starts.items()}
        word_starts = sorted(starts)
        spans, position = [], 0
        while position < len(text):
            for surface, reading in self.by_first.get(text[position], ()):
                end = position + len(surface)
                if text.startswith(surface, position) and self._applies(
                    position, end, reading, starts, ends, word_starts, found_words
                ):
                    spans.append((position, end, reading))
                    position = end
                    break
            else:
                position += 1
        return spans

    @staticmethod
    def _applies(start, end, reading, starts, ends, word_starts, found_words):
        starts_aligned, ends_aligned = start in starts, end in ends
        if starts_aligned and ends_aligned:
            return True
        if not (starts_aligned or ends_aligned):
            return False
        # Only the start or the end of one of the analyzer's words: the entry wins when that word's
        # reading does not already begin (or end) with the entry's (散田町 keeps さんだまち; a word read
        # よしきまち would become ゆぎ and まち). Across words (日本町 for 本町) it never applies.
        # The word holding `start` is found by bisection, so a long text costs no more per match.
        index = bisect_right(word_starts, start) - 1
        if index < 0:
            return False
        position = word_starts[index]
        word = found_words[starts[position]]
        word_end = position + len(word.surface)
        if not start < word_end:
            return False
        if word_end < end or (ends_aligned and position == start):
            return False
        analyzed = hiragana(word.spoken or word.surface)
        if starts_aligned:
            return position == start and not analyzed.startswith(reading)
        return word_end == end and not analyzed.endswith(reading)


@lru_cache(maxsize=4)
def _index_of(entries):
    return ReadingIndex(entries)


def _load_entries():
    from .models import LocalReading

    return tuple(LocalReading.objects.order_by("surface").values_list("surface", "reading"))


class _Pin:
    """The dictionary of a `pinned` block: `index`, or the current one read on first use."""

    def __init__(self, index):
        self.index = index


def reading_index():
    """The 読み仮名辞書 (the one pinned for the current block, if any), kept in the cache until any content
    changes."""
    pin = _pinned.get()
    if pin is None:
        return _cached_index()
    if pin.index is None:
        pin.index = _cached_index()
    return pin.index


def _cached_index():
    try:
        entries = cached(READINGS_KEY, _load_entries, READINGS_TIMEOUT)
    except DatabaseError:
        logger.warning("The local readings could not be read; texts are read by the analyzer alone")
        entries = ()
    return _index_of(tuple(entries))


def current_reading_index():
    """The 読み仮名辞書 as the database holds it now, not as a cache (possibly another process's) has it."""
    return _index_of(_load_entries())


@contextmanager
def pinned(index=None):
    """Within the block, `reading_index()` answers `index` (by default the current one, read once, when
    first asked for): a batch of texts, or a query's terms, read with one dictionary and one cache round
    trip. An enclosing pin wins."""
    if _pinned.get() is not None:
        yield
        return
    token = _pinned.set(_Pin(index))
    try:
        yield
    finally:
        _pinned.reset(token)


def read_words(text, found_words=None, index=None):
    """The words of `text` (`found_words`: the analyzer's, if already at hand), each entry of the
    dictionary found in it as one word read the entry's way. Text between two entries that cuts one of the
    analyzer's words is read again on its own."""
    found_words = words(text) if found_words is None else found_words
    index = reading_index() if index is None else index
    spans = index.spans(text, found_words)
    if not spans:
        return found_words
    starts, position = {}, 0
    for number, word in enumerate(found_words):
        starts[position] = number
        position += len(word.surface)
    starts[position] = len(found_words)
    read, position = [], 0
    for start, end, reading in spans:
        read.extend(_gap(text, position, start, found_words, starts))
        surface = text[start:end]
        read.append(Word(surface=surface, normalized=surface, reading=reading, is_noun=True, spoken=reading))
        position = end
    read.extend(_gap(text, position, len(text), found_words, starts))
    return tuple(read)


def _gap(text, start, end, found_words, starts):
    """The words of text[start:end], between entries; `starts` maps each word's start to its number."""
    if start >= end:
        return ()
    if start in starts and end in starts:
        return found_words[starts[start] : starts[end]]
    return words(text[start:end])


def reading_of(text):
    """The text's reading as search reads it, in kana: the dictionary's where an entry applies, the
    analyzer's elsewhere (symbols and numbers as written)."""
    return "".join(word.reading for word in read_words(text))
