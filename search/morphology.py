"""Words of Japanese text from a morphological analyzer: SudachiPy with its core dictionary.

Each word comes with its normalized spelling (子ども, こども -> 子供; フェイスブック -> Facebook;
データーベース -> データベース; 取組 -> 取り組み) and its reading in kana (経理 -> ケイリ). The dictionary
ships on PyPI (sudachidict-core) and is memory-mapped, so each process loads it once, in a few
milliseconds. docs/search.md explains how search uses both forms.
"""

import threading
from dataclasses import dataclass
from functools import lru_cache

from sudachipy import Dictionary, SplitMode

# Sudachi refuses inputs over 49,149 bytes; 8,000 characters are at most 32,000 bytes of UTF-8.
_CHUNK = 8_000
_CACHED_LENGTH = 200
# Parts of speech whose "reading" is a placeholder (キゴウ for a bracket) or a poor one (numbers).
_READ_AS_WRITTEN = {"補助記号", "空白", "記号"}
_NUMERAL = "数詞"
_NOUN = "名詞"

_local = threading.local()


@dataclass(frozen=True)
class Word:
    surface: str
    normalized: str
    reading: str  # katakana, or the surface for symbols and numbers
    is_noun: bool
    # The dictionary's reading in katakana, numbers included (八日 -> ヨウ, カ); empty when it has none.
    # Ruby (search/furigana.py) shows it; search uses `reading`. Both are the 読み仮名辞書's, in hiragana,
    # for a local name it lists (search/local_readings.py).
    spoken: str = ""


@lru_cache(maxsize=1)
def _dictionary():
    return Dictionary(dict="core")


def _tokenizer():
    # A Sudachi tokenizer must not be shared between threads.
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _dictionary().tokenizer(
            mode=SplitMode.C, fields={"pos", "normalized_form", "reading_form"}
        )
        _local.tokenizer = tokenizer
    return tokenizer


def _chunks(text):
    """The text in pieces Sudachi accepts, cut at line ends where possible."""
    for line in text.splitlines(keepends=True):
        for start in range(0, len(line), _CHUNK):
            yield line[start : start + _CHUNK]


def words(text):
    """The words of `text`, in order, spaces and punctuation included, so that their surfaces join back
    into the text."""
    if len(text) <= _CACHED_LENGTH:
        return _words_of_short_text(text)
    return _analyzed(text)


@lru_cache(maxsize=2048)
def _words_of_short_text(text):
    # Titles, terms and queries come back again and again (a page's title is read for its index entry,
    # its vocabulary and its results).
    return _analyzed(text)


def _analyzed(text):
    tokenizer = _tokenizer()
    found = []
    for chunk in _chunks(text):
        for morpheme in tokenizer.tokenize(chunk):
            part_of_speech = morpheme.part_of_speech()
            surface = morpheme.surface()
            read_as_written = part_of_speech[0] in _READ_AS_WRITTEN or part_of_speech[1] == _NUMERAL
            found.append(
                Word(
                    surface=surface,
                    normalized=morpheme.normalized_form() or surface,
                    reading=surface if read_as_written else (morpheme.reading_form() or surface),
                    is_noun=part_of_speech[0] == _NOUN and part_of_speech[1] != _NUMERAL,
                    spoken="" if part_of_speech[0] in _READ_AS_WRITTEN else morpheme.reading_form(),
                )
            )
    return tuple(found)


def normalized_spelling(text):
    """The text with every word in its normalized spelling."""
    return "".join(word.normalized for word in words(text))
