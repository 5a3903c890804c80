"""Japanese text for the search index, without a dictionary: one normalizer, one segmenter, and the
loosening of kana readings. search/analysis.py builds the index's forms of a text and a query's
alternatives on them.

Japanese is written without spaces, so the index stores overlapping character bigrams of every run of
kanji and kana ("経理業務" -> 経理 理業 業務), plus the run's last character on its own. Any word of two or
more characters inside a compound is then a phrase of consecutive bigrams, and a one-character query
is a prefix match on the bigrams ("猫" -> 猫*). Runs of Latin letters and digits stay whole words.
docs/search.md ("The analysis chain") explains why the bigrams stay under every form.
"""

import unicodedata
from dataclasses import dataclass

from home.text import BLANK_CHARACTERS

_DASHES = frozenset("-‐‑‒–—―−─━ｰ－⁃﹣")
_TILDES = frozenset("~∼∿〜〰～")
_LONG_VOWEL = "ー"
_WAVE = "〜"
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}

_CJK_RANGES = (
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3041, 0x3096),  # hiragana
    (0x309D, 0x309F),  # ゝ ゞ ゟ
    (0x30A1, 0x30FA),  # katakana
    (0x30FC, 0x30FF),  # ー ヽ ヾ ヿ
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3134F),  # CJK extensions B to G
)

_CJK, _WORD = "cjk", "word"


def normalize(text):
    """The text as the index sees it: NFKC, case-folded, katakana as hiragana, one form of ー and 〜."""
    return "".join(char for char, _, _ in _normalized_chars(text))


def normalize_with_offsets(text):
    """The normalized text, and for each of its characters the span [start, end) of the original
    characters it came from."""
    chars = _normalized_chars(text)
    return "".join(char for char, _, _ in chars), [(start, end) for _, start, end in chars]


def _normalized_chars(text):
    """(character, original start, original end) triples; built per character so that highlights can map
    back to the original text."""
    chars = []
    for offset, original in enumerate(text):
        folded = unicodedata.normalize("NFKC", original).casefold()
        if len(folded) == 1 and unicodedata.combining(folded) and chars:
            # Half-width ｶﾞ, or e + a combining accent, is two characters: attach the mark to its base.
            composed = unicodedata.normalize("NFC", chars[-1][0] + folded)
            if len(composed) == 1:
                chars[-1] = (composed, chars[-1][1], offset + 1)
                continue
        chars.extend((char, offset, offset + 1) for char in folded)

    normalized = []
    for char, start, end in chars:
        char = chr(_KATAKANA_TO_HIRAGANA.get(ord(char), ord(char)))
        previous = normalized[-1][0] if normalized else ""
        if (char in _DASHES or char == _LONG_VOWEL) and _is_kana_or_long_vowel(previous):
            if previous == _LONG_VOWEL:
                normalized[-1] = (previous, normalized[-1][1], end)
                continue
            char = _LONG_VOWEL
        elif char in _TILDES:
            char = _WAVE
        normalized.append((char, start, end))
    return normalized


def _is_kana_or_long_vowel(char):
    return bool(char) and (0x3041 <= ord(char) <= 0x30FF) and char != "・"


def _char_class(char):
    if char in BLANK_CHARACTERS:
        return None  # a Hangul filler is a letter that shows nothing: no one can type it to search
    code = ord(char)
    for start, end in _CJK_RANGES:
        if start <= code <= end:
            return _CJK
    if char.isalnum():
        return _WORD
    return None


def runs(normalized_text):
    """Maximal runs of one class (kanji/kana, or letters/digits) in normalized text, as (class, text)."""
    found = []
    current_class, start = None, 0
    for position, char in enumerate(normalized_text + " "):
        char_class = _char_class(char)
        if char_class != current_class:
            if current_class is not None:
                found.append((current_class, normalized_text[start:position]))
            current_class, start = char_class, position
    return found


def has_searchable_text(text):
    """Whether search can find the text: it holds a run the index stores (kanji, kana, letters or digits),
    not only punctuation, symbols, emoji or characters that show nothing."""
    return bool(runs(normalize(text)))


def index_tokens(text):
    """The tokens stored in the index for a text."""
    return segment(normalize(text))


def segment(normalized_text):
    """The index tokens of text that is normalized already."""
    tokens = []
    for run_class, run in runs(normalized_text):
        if run_class == _WORD or len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
            tokens.append(run[-1])
    return tokens


@dataclass(frozen=True)
class QueryPhrase:
    """Consecutive index tokens that must all appear, in order; the last one may be a prefix."""

    tokens: tuple
    prefix: bool = False

    @property
    def text(self):
        return " ".join(self.tokens)


def term_phrase(term, *, last_is_prefix=False):
    """The phrase of one whitespace-free term, its tokens lined up with the index's, or None if the term
    holds nothing searchable.

    A run followed by another run inside the term ends where the indexed text's run ends, so it carries
    the index's trailing one-character token; the term's last run may continue in the text, so it does
    not, and a last run of one kanji or kana can only be found as a prefix of the text's bigrams.
    """
    term_runs = runs(normalize(term))
    tokens = []
    prefix = last_is_prefix
    for position, (run_class, run) in enumerate(term_runs):
        is_last = position == len(term_runs) - 1
        if run_class == _WORD or len(run) == 1:
            tokens.append(run)
            prefix = prefix or (is_last and run_class == _CJK)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
            if not is_last:
                tokens.append(run[-1])
    return QueryPhrase(tuple(tokens), prefix) if tokens else None


def query_terms(query):
    """The query's whitespace-separated terms, normalized."""
    return normalize(query).split()


def query_phrases(query, *, last_is_prefix=False):
    """The phrases of the query's terms as written, all of which must match (AND); duplicates removed.
    With `last_is_prefix` (autocomplete), the term being typed is a prefix of a word."""
    terms = query_terms(query)
    phrases = [
        term_phrase(term, last_is_prefix=last_is_prefix and position == len(terms) - 1)
        for position, term in enumerate(terms)
    ]
    return list(dict.fromkeys(phrase for phrase in phrases if phrase))


def is_kana(normalized_text):
    """Whether normalized text is all hiragana (katakana is folded to it) and long-vowel marks."""
    return bool(normalized_text) and all(_is_kana_or_long_vowel(char) for char in normalized_text)


_SMALL_TO_LARGE = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")
_VOICING_MARKS = {ord("\u3099"): None, ord("\u309a"): None}


def loose(normalized_text):
    """Normalized kana with the distinctions people blur dropped: small kana as large (ボランテイア,
    ボランティア), no long-vowel marks (サーバ, サーバー), no voicing marks, since a word's reading voices
    inside a compound (焼き菓子 is やきがし, 菓子 alone かし). Used for readings only."""
    unvoiced = unicodedata.normalize("NFD", normalized_text).translate(_VOICING_MARKS)
    return unicodedata.normalize("NFC", unvoiced).translate(_SMALL_TO_LARGE).replace(_LONG_VOWEL, "")


def is_whole_run(normalized_text, start, end):
    """Whether normalized_text[start:end] can be what the index matched: any stretch of kanji and kana
    (bigrams match inside words), but only whole words of letters and digits."""
    if _char_class(normalized_text[start]) == _CJK:
        return True
    before = normalized_text[start - 1] if start > 0 else " "
    after = normalized_text[end] if end < len(normalized_text) else " "
    return _char_class(before) != _WORD and _char_class(after) != _WORD


def highlight_terms(query):
    """The strings to mark in a result's text: every run of kanji/kana or letters/digits of the query."""
    return list(dict.fromkeys(run for _, run in runs(" ".join(normalize(query).split()))))
