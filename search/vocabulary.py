"""The index's vocabulary: the words and titles of what is indexed, kept beside the index entries.

The search backend records each indexed page's nouns and title when it writes the page's index entry
(`record_words`), so the vocabulary is always the index's own. `vocabulary()` gathers the words of the
pages a visitor may see, with their readings and the number of pages that use them; it is the
only source of 「もしかして」 suggestions (search/suggestions.py). Words of private, draft or restricted
pages never enter it.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import CharField
from django.db.models.functions import Cast
from wagtail.models import Page

from home import invalidation
from home.visibility import visible

from .local_readings import read_words, reading_of
from .models import IndexedWords
from .text import loose, normalize

VOCABULARY_KEY = "search:vocabulary"
VOCABULARY_TIMEOUT = 24 * 60 * 60
# Shorter words are too easily one edit away from anything.
MIN_WORD_LENGTH = 2
# Titles longer than this are too long to be mistyped as a whole.
MAX_TITLE_LENGTH = 40
MAX_COMPOUND_WORDS = 4

_memo = {}


def _nouns_and_compounds(text):
    """(surface, reading) of each noun of the text and of each run of consecutive nouns (事業 計画 ->
    事業計画): people search for compounds that the analyzer cuts into words. A local name of the
    読み仮名辞書 is one noun, read the dictionary's way."""
    run = []
    for word in [*read_words(text), None]:
        if word is not None and word.is_noun:
            yield word.surface, word.reading
            run.append(word)
            continue
        for start in range(len(run)):
            for end in range(start + 2, min(start + MAX_COMPOUND_WORDS, len(run)) + 1):
                compound = run[start:end]
                yield "".join(part.surface for part in compound), "".join(part.reading for part in compound)
        run = []


def entry_words(title, texts):
    """What to record for one indexed object, one line each: a word of its title or texts (nouns, runs of
    nouns, the title itself), its reading in hiragana, and "t" for a word of the title."""
    found = {}
    title = " ".join((title or "").split())
    if title and len(title) <= MAX_TITLE_LENGTH:
        found[title] = (reading_of(title), True)
    for text, in_title in [(title, True)] + [(text, False) for text in texts]:
        for surface, word_reading in _nouns_and_compounds(text or ""):
            surface = " ".join(surface.split())  # no tab or line break inside a line
            if MIN_WORD_LENGTH <= len(normalize(surface)) <= MAX_TITLE_LENGTH and surface not in found:
                found[surface] = (word_reading, in_title)
    return "\n".join(
        f"{surface}\t{' '.join(normalize(word_reading).split())}\t{'t' if in_title else ''}"
        for surface, (word_reading, in_title) in found.items()
    )


def record_words(content_type_pk, object_id, title, texts, *, using=None):
    IndexedWords._default_manager.using(using).update_or_create(
        content_type_id=content_type_pk,
        object_id=str(object_id),
        defaults={"words": entry_words(title, texts)},
    )


def forget_words(content_type_pk, object_id, *, using=None):
    IndexedWords._default_manager.using(using).filter(
        content_type_id=content_type_pk, object_id=str(object_id)
    ).delete()


@dataclass
class Vocabulary:
    """Words in parallel lists, most used first: as normalized for comparison, as written for display,
    their readings (hiragana), the number of visible pages using each, and whether a title uses it."""

    keys: list = field(default_factory=list)
    surfaces: list = field(default_factory=list)
    readings: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    in_titles: list = field(default_factory=list)

    def __post_init__(self):
        # One string to test "is this a piece of any known word, or of its reading" in C.
        self.joined = "\n".join(self.keys + self.readings)
        self.loose_readings = [loose(reading) for reading in self.readings]

    def contains_piece(self, key):
        """Whether the normalized text is a known word, a piece of one, or a piece of a known word's
        reading typed exactly (ばんごう for 番号; かたづむり is found by search, but is not known)."""
        return key in self.joined


def _build():
    # Only pages' words are recorded, so page ids identify the rows.
    visible_ids = visible(Page.objects.all()).annotate(text_pk=Cast("pk", CharField())).values("text_pk")
    rows = IndexedWords.objects.filter(object_id__in=visible_ids).values_list("words", flat=True)
    uses = Counter()
    written = {}
    spoken = {}
    titled = set()
    for stored in rows.iterator():
        for line in stored.splitlines():
            surface, word_reading, in_title = (line.split("\t") + ["", ""])[:3]
            key = normalize(surface)
            uses[key] += 1
            written.setdefault(key, surface)
            spoken.setdefault(key, word_reading)
            if in_title:
                titled.add(key)
    ranked = [key for key, _ in uses.most_common()]
    return (
        ranked,
        [written[key] for key in ranked],
        [spoken[key] for key in ranked],
        [uses[key] for key in ranked],
        [key in titled for key in ranked],
    )


def vocabulary():
    """The vocabulary of the pages a visitor may see; rebuilt when content or the index changes."""
    words_token = invalidation.token(VOCABULARY_KEY)
    version = (words_token, invalidation.content_version())
    if None in version:
        # The cache is unreachable: nothing says whether a kept vocabulary is current.
        return Vocabulary(*_build())
    if _memo.get("version") != version:
        lists = invalidation.cached(f"{VOCABULARY_KEY}:{words_token}", _build, VOCABULARY_TIMEOUT)
        _memo.update(version=version, value=Vocabulary(*lists))
    return _memo["value"]
