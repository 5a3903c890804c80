"""The normalizer and segmenter that both indexing and querying go through."""

import pytest

from search.text import (
    has_searchable_text,
    highlight_terms,
    index_tokens,
    normalize,
    normalize_with_offsets,
    query_phrases,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＮＰＯ法人", "npo法人"),  # full-width letters
        ("２０１６年", "2016年"),  # full-width digits
        ("ﾎｰﾑﾍﾟｰｼﾞ", "ほーむぺーじ"),  # half-width katakana, voiced marks composed
        ("カタツムリ", "かたつむり"),  # katakana folded to hiragana
        ("Facebook", "facebook"),  # case
        ("コーヒ－", "こーひー"),  # a dash after kana is the long vowel mark
        ("コーーヒー", "こーひー"),  # repeated long vowel marks are one
        ("10〜12時", "10〜12時"),
        ("10～12時", "10〜12時"),  # wave dash variants
        ("A-1", "a-1"),  # a hyphen between letters stays a hyphen
        ("八王子\u3000猫", "八王子 猫"),  # ideographic space
    ],
)
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_offsets_point_back_to_the_original_characters():
    normalized, offsets = normalize_with_offsets("ｶﾞｲﾄﾞＡ")

    assert normalized == "がいどa"
    assert offsets == [(0, 2), (2, 3), (3, 5), (5, 6)]


def test_collapsed_long_vowels_stay_inside_their_span():
    normalized, offsets = normalize_with_offsets("コーーヒー")

    assert normalized == "こーひー"
    assert offsets == [(0, 1), (1, 3), (3, 4), (4, 5)]


def test_a_combining_accent_joins_its_letter():
    assert normalize("e\u0301cole") == normalize("école") == "école"


def test_japanese_runs_become_bigrams_and_their_last_character():
    assert index_tokens("経理業務") == ["経理", "理業", "業務", "務"]


def test_latin_words_and_numbers_stay_whole_and_split_from_japanese():
    assert index_tokens("Facebookページ 2016年度") == ["facebook", "ぺー", "ーじ", "じ", "2016", "年度", "度"]


def test_punctuation_and_emoji_are_not_indexed():
    assert index_tokens("「猫」😺、!") == ["猫"]


def test_letters_that_show_nothing_are_not_indexed():
    assert index_tokens("猫\u3164\uffa0\u115f\u2800") == ["猫"]


@pytest.mark.parametrize(
    ("text", "searchable"),
    [
        ("猫", True),
        ("ａ", True),
        ("①", True),
        ("ー", True),
        ("「」、!", False),
        ("😺", False),
        ("\u3164", False),
    ],
)
def test_text_is_searchable_when_the_index_keeps_something_of_it(text, searchable):
    assert has_searchable_text(text) is searchable
    assert bool(index_tokens(text)) is searchable


def test_every_word_inside_a_compound_is_a_phrase_of_indexed_tokens():
    indexed = " ".join(index_tokens("八王子猫のおうち探しの会"))
    for word in ["八王子", "王子", "猫の", "おうち", "探し", "の会", "八王子猫のおうち探しの会"]:
        (phrase,) = query_phrases(word)
        assert phrase.text in indexed, word


def test_a_single_character_is_a_prefix_query():
    (phrase,) = query_phrases("猫")
    assert phrase.tokens == ("猫",)
    assert phrase.prefix


def test_terms_separated_by_spaces_are_separate_phrases():
    phrases = query_phrases("Facebook　活用 facebook")
    assert [phrase.tokens for phrase in phrases] == [("facebook",), ("活用",)]


def test_a_term_mixing_scripts_lines_up_with_the_index():
    # The index puts a run's last character between さぽーと and 802.
    (phrase,) = query_phrases("ＮＰＯさぽーと８０２")
    assert phrase.text in " ".join(index_tokens("NPOさぽーと802"))


def test_a_term_across_punctuation_lines_up_with_the_index():
    (phrase,) = query_phrases("南大沢・由木")
    assert phrase.text in " ".join(index_tokens("南大沢・由木"))


def test_a_query_of_punctuation_only_has_no_phrases():
    assert query_phrases("%'\\😺 「」") == []


def test_autocomplete_makes_only_the_last_term_a_prefix():
    first, last = query_phrases("経理 ほーむ", last_is_prefix=True)
    assert not first.prefix
    assert last.prefix


def test_highlight_terms_are_the_normalized_runs():
    assert highlight_terms("ＮＰＯ法人　カタツムリ") == ["npo", "法人", "かたつむり"]
