"""「もしかして」: the closest spelling that the index knows, for a query with a term the pages never use.

Computed only from the index's vocabulary (search/vocabulary.py): the nouns and titles of the pages a
visitor may see. A term is kept if it, or a synonym of it, is a known word or a piece of one (or of a
known word's reading, typed exactly); otherwise it is replaced by the known word closest to it, by edit
distance on the characters (八王字 -> 八王子) or on the loosened kana readings (ぼらんてあ ->
ボランティア); among equally close words, a word of a page title wins, then the more used one.
"""

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .analysis import other_spellings
from .local_readings import reading_of
from .morphology import words
from .text import is_kana, loose, normalize
from .vocabulary import MIN_WORD_LENGTH, vocabulary

# Longer queries are not typos of one word.
MAX_TERMS = 4
MAX_TERM_LENGTH = 30
CANDIDATES = 20


def allowed_distance(key):
    """Edits allowed for a term of this many characters: one, or two from eight characters on."""
    return 1 if len(key) < 8 else 2


def _closest(key, known):
    """The known word closest to the normalized term, or None when none is close enough."""
    limit = allowed_distance(key)
    term_reading = normalize(key if is_kana(key) else reading_of(key))
    comparisons = [(key, known.keys)]
    if is_kana(term_reading):
        # A reading with a character the dictionary could not read would match nonsense.
        comparisons.append((loose(term_reading), known.loose_readings))
    candidates = set()
    for query, choices in comparisons:
        for _, _, index in process.extract(
            query, choices, scorer=Levenshtein.distance, score_cutoff=limit, limit=CANDIDATES
        ):
            if known.keys[index] != key:
                candidates.add(index)
    if not candidates:
        return None

    def closeness(index):
        # Fewest edits on characters or readings; then on characters (子ども食道 is 子ども食堂 rather
        # than こども食堂, which reads the same); then a word of a title (what people look for); then
        # the more used word.
        by_characters = Levenshtein.distance(key, known.keys[index])
        by_reading = (
            Levenshtein.distance(comparisons[-1][0], known.loose_readings[index])
            if len(comparisons) > 1
            else limit + 1
        )
        return (
            min(by_characters, by_reading),
            by_characters,
            not known.in_titles[index],
            -known.pages[index],
        )

    return known.surfaces[min(candidates, key=closeness)]


def suggest(query):
    """A query to offer instead of `query`, or None. Terms that are known words, or pieces of them, are
    kept as typed; a query whose terms are all known gets no suggestion."""
    terms = query.split()
    if not terms or len(terms) > MAX_TERMS:
        return None
    known = vocabulary()
    if not known.keys:
        return None
    replaced = [_corrected(term, known) for term in terms]
    return " ".join(replaced) if replaced != terms else None


def _corrected(term, known):
    """The term as typed, or the closest known word as the pages write it; for a compound none is close
    to, each of its words that is not known replaced by the closest known word (子ども食道 -> 子ども食堂)."""
    key = normalize(term)
    if not key or len(key) > MAX_TERM_LENGTH or known.contains_piece(key):
        return term
    if any(known.contains_piece(normalize(spelling)) for spelling in other_spellings(term)):
        # Another accepted spelling of the term is known (子供食堂 for the pages' 子ども食堂, 由木 for ゆぎ).
        return term
    closest = _closest(key, known)
    if closest is not None:
        return closest
    pieces = []
    for word in words(term):
        word_key = normalize(word.surface)
        if len(word_key) < MIN_WORD_LENGTH or known.contains_piece(word_key):
            pieces.append(word.surface)
        else:
            pieces.append(_closest(word_key, known) or word.surface)
    return "".join(pieces)
