"""The one analysis chain of search: what the index stores for a text, and what a query looks for.

A text is stored in up to three forms, each cut into the bigrams of search/text.py:

1. as written (normalized for width, case and kana: search.text.normalize);
2. with every word in its normalized spelling (子ども食堂 -> 子供食堂, フェイスブック -> Facebook);
3. its reading in kana, loosened (経理 -> けいり; ボランティア -> ぼらんていあ; サーバー -> さば), local names
   read as the 読み仮名辞書 says (由木 -> ゆき, from ゆぎ: search/local_readings.py).

The second and third forms are stored only where they differ from the first. A query term then looks for
any of its alternatives: the term as written, its normalized spelling, its loosened form when it is
written in kana (so that a reading typed without conversion finds the kanji), and the same for every
synonym or loanword of the term or of a word inside it (search/synonyms.py, applied at query time, so a
new synonym needs no reindex). A kana term too short to be loosened that is the reading of an entry of the
読み仮名辞書 also looks for the entry as written (ゆぎ -> 由木). Ranking still puts a page whose title
matches the query as written first (search/backend/). docs/search.md explains the choices and their
measured costs.
"""

from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

from .loanwords import TYPED_ONLY
from .local_readings import read_words, reading_index
from .morphology import normalized_spelling, words
from .synonyms import synonym_groups
from .text import highlight_terms as written_highlight_terms
from .text import is_kana, loose, normalize, query_terms, segment, term_phrase

# Enough for a word with a few synonyms in each of its forms; bounds the size of the database query.
MAX_ALTERNATIVES = 24
# Synonyms are looked for in runs of up to this many consecutive words inside a term.
MAX_SYNONYM_WORDS = 3
# Shorter loosened kana match too many readings (ごみ loosened is こみ, as in 申込).
MIN_LOOSE_LENGTH = 3


def text_forms(text):
    """The forms of a text that the index stores: as written, then its normalized spelling and its
    loosened reading (the 読み仮名辞書's where an entry applies) where they differ."""
    analyzed = words(text)
    forms = [normalize(text)]
    for form in (
        normalize("".join(word.normalized for word in analyzed)),
        loose(normalize("".join(word.reading for word in read_words(text, analyzed)))),
    ):
        if form not in forms:
            forms.append(form)
    return forms


def index_text(text):
    """The text to hand to the database's full-text engine: the tokens of every form, space-separated."""
    written, others = index_texts(text)
    return f"{written} {others}".strip()


def index_texts(text):
    """The index text of the text as written, and that of its other forms. A title is indexed as written
    in the title column and in its other forms with the body, so that "the title matches" always means
    the title as written."""
    if not text or not text.strip():
        return "", ""
    written, *others = text_forms(text)
    return " ".join(segment(written)), " ".join(chain.from_iterable(segment(form) for form in others))


def spelling_key(text):
    """What two spellings of one word share: the normalized spelling, normalized, without spaces."""
    return "".join(normalize(normalized_spelling(text)).split())


def _loosened(written):
    """Whether a term typed in kana (normalized) also looks for its loosened form."""
    return is_kana(written) and len(loose(written)) >= MIN_LOOSE_LENGTH


def _term_forms(spelling, *, typed=True):
    """A spelling as the index may hold it: as written, in normalized spelling, and loosened if the
    visitor typed it in kana. A synonym is never loosened, and neither is a loosened form shorter than
    MIN_LOOSE_LENGTH: ズーム loosened is すむ, which 進む reads as."""
    written = normalize(spelling)
    forms = [written, normalize(normalized_spelling(spelling))]
    if typed and _loosened(written):
        forms.append(loose(written))
    return forms


@lru_cache(maxsize=4)
def _synonyms_by_key(groups):
    by_key = {}
    for group in groups:
        for word in group:
            key = spelling_key(word)
            if key:
                by_key.setdefault(key, []).extend(
                    other for other in group if other != word and other not in TYPED_ONLY
                )
    return {key: tuple(dict.fromkeys(others)) for key, others in by_key.items()}


def synonym_spellings(term):
    """Other ways of writing the term: each synonym of the whole term, then the term with one run of its
    words replaced by a synonym of that run (ホームページ制作 -> ウェブサイト制作)."""
    by_key = _synonyms_by_key(tuple(tuple(group) for group in synonym_groups()))
    if not by_key:
        return []
    spellings = list(by_key.get(spelling_key(term), ()))
    surfaces = [word.surface for word in words(term)]
    if len(surfaces) > 1:
        for start in range(len(surfaces)):
            for end in range(start + 1, min(start + MAX_SYNONYM_WORDS, len(surfaces)) + 1):
                if (start, end) == (0, len(surfaces)):
                    continue
                for synonym in by_key.get(spelling_key("".join(surfaces[start:end])), ()):
                    spellings.append("".join([*surfaces[:start], synonym, *surfaces[end:]]))
    return list(dict.fromkeys(spellings))


def local_spellings(term):
    """The 読み仮名辞書's surfaces read exactly as a kana term too short to be loosened (ゆぎ -> 由木):
    the index holds readings loosened only, and ゆき, ゆぎ loosened, would match every 雪 and 行き."""
    written = normalize(term)
    if not is_kana(written) or _loosened(written):
        return ()
    return reading_index().surfaces_read_as(written)


def other_spellings(term):
    """Every other way of writing the term that search looks for: its synonyms, then the local names
    it is the reading of."""
    return [*synonym_spellings(term), *local_spellings(term)]


def term_alternatives(term, *, last_is_prefix=False):
    """The phrases any of which the term matches, the term as written first. Empty when the term holds
    nothing searchable."""
    written = term_phrase(term, last_is_prefix=last_is_prefix)
    if written is None:
        return []
    alternatives = [written]
    for spelling in [term, *other_spellings(term)]:
        for form in _term_forms(spelling, typed=spelling is term):
            phrase = term_phrase(form, last_is_prefix=last_is_prefix)
            if phrase and phrase not in alternatives:
                alternatives.append(phrase)
    return alternatives[:MAX_ALTERNATIVES]


def _raw_terms(query):
    """The query's terms as typed: the analyzer reads katakana and kanji, not their folded forms."""
    return [term for term in query.split() if query_terms(term)]


def query_alternatives(query, *, last_is_prefix=False):
    """For each term of the query, the phrases any of which it matches (all terms must match)."""
    terms = _raw_terms(query)
    found = []
    for position, term in enumerate(terms):
        alternatives = term_alternatives(term, last_is_prefix=last_is_prefix and position == len(terms) - 1)
        if alternatives and alternatives not in found:
            found.append(alternatives)
    return found


@dataclass(frozen=True)
class WordForms:
    """What a query's words look like to the analyzer: their normalized spellings (synonyms included),
    and the loosened forms of the terms typed in kana, which match words by their readings."""

    spellings: tuple
    readings: tuple

    def __bool__(self):
        return bool(self.spellings or self.readings)


def word_forms(query):
    spellings, readings = [], []
    for term in _raw_terms(query):
        for spelling in [term, *other_spellings(term)]:
            spellings.append(spelling_key(spelling))
        if is_kana(normalize(term)):
            readings.append(loose(normalize(term)))
    return WordForms(tuple(dict.fromkeys(filter(None, spellings))), tuple(dict.fromkeys(readings)))


def word_spans(text, forms):
    """The spans [start, end) of the text's words that a query matched through another spelling or a
    reading: a word whose normalized spelling is part of one of the query's (こども in 子供食堂), or whose
    loosened reading (the 読み仮名辞書's where an entry applies) is part of a term typed in kana (経理 for
    けいり, 由木 for ゆぎちく). One-character words are too common to mark."""
    spans = []
    offset = 0
    for word in read_words(text) if forms.readings else words(text):
        end = offset + len(word.surface)
        spelling = normalize(word.normalized)
        reading = loose(normalize(word.reading))
        if (len(spelling) >= 2 and any(spelling in other for other in forms.spellings)) or (
            len(reading) >= 2 and any(reading in typed for typed in forms.readings)
        ):
            spans.append((offset, end))
        offset = end
    return spans


def highlight_terms(query):
    """The strings to mark in a result's text: the query's runs, and those of its other spellings."""
    spellings = []
    for term in _raw_terms(query):
        spellings.append(term)
        for spelling in [term, *other_spellings(term)]:
            spellings.extend(_term_forms(spelling, typed=False))
    return written_highlight_terms(" ".join(spellings))


def query_pieces(query):
    """For each term of the query, the strings any of which a text must contain to match it (as written,
    normalized spelling, loosened kana when typed, and those of its synonyms), for `forms_contain`."""
    pieces = []
    for term in _raw_terms(query):
        spellings = [term, *other_spellings(term)]
        wanted = {form for spelling in spellings for form in _term_forms(spelling, typed=spelling is term)}
        pieces.append(frozenset(piece for piece in wanted if piece))
    return pieces


def forms_contain(forms, pieces):
    """Whether a short text, given as its `text_forms`, holds every term of a query, given as its
    `query_pieces`, the way search finds it, as a substring (so the last word typed may be a prefix). For
    lists too short to need the index, such as facet terms."""
    return bool(pieces) and all(any(piece in form for piece in wanted for form in forms) for wanted in pieces)
