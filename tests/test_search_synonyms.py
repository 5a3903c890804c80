"""Synonyms and loanwords: the groups of words search treats as one. 事務局 keep them under 設定 → 同義語; the
site ships the katakana ⇄ Latin loanwords and a few default groups; a change applies on the next query.

Search itself reads synonym_groups() through the query analysis; these tests hold the list and its admin."""

import importlib
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.test import override_settings

from cms.cache import redis_cache
from search.loanwords import LOANWORDS
from search.models import SynonymGroup
from search.synonyms import synonym_groups
from tests.builders import logged_in, make_user
from tests.html import parse, parse_ok
from tests.network import closed_port

pytestmark = pytest.mark.django_db

LISTING = "/admin/snippets/search/synonymgroup/"
ADD = f"{LISTING}add/"
DEFAULTS = importlib.import_module("search.migrations.0002_default_synonyms")


def edit_url(group):
    return f"{LISTING}edit/{group.pk}/"


def delete_url(group):
    return f"{LISTING}delete/{group.pk}/"


@pytest.fixture
def office():
    return logged_in(make_user("jimu", "事務局"))


def add(client, terms, note=""):
    return client.post(ADD, {"terms": terms, "note": note})


def errors(response):
    """The form's error messages, as the page shows them."""
    assert response.status_code == 200
    soup = parse(response)
    shown = soup.select(".error-message, .help-critical")
    return " ".join(error.get_text(" ", strip=True) for error in shown)


# The list search reads


def test_the_default_groups_and_the_loanwords_are_there_after_migrating():
    groups = synonym_groups()

    for expected in [
        ("Facebook", "フェイスブック"),
        ("Instagram", "インスタグラム", "インスタ"),
        ("LINE", "ライン"),
        ("WordPress", "ワードプレス"),
        ("NPO", "エヌピーオー"),
        ("PC", "パソコン", "ピーシー"),
        ("ホームページ", "ウェブサイト", "Webサイト", "HP"),
        ("子ども", "子供", "こども"),
        ("クラウドファンディング", "クラファン"),
        ("寄付", "寄附"),
        ("障害", "障がい", "障碍"),
        ("NPO法人", "特定非営利活動法人"),
    ]:
        assert expected in groups
    assert SynonymGroup.objects.count() == len(DEFAULTS.DEFAULT_SYNONYMS)
    assert len(groups) == len(LOANWORDS) + len(DEFAULTS.DEFAULT_SYNONYMS)
    assert all(isinstance(group, tuple) and len(group) >= 2 for group in groups)
    # Risky one-letter and common-word "loanwords" are not shipped.
    words = {word for group in groups for word in group}
    assert not {"X", "Word", "ワード", "ノート", "サイト"} & words


def test_words_that_mean_different_things_here_are_not_made_synonyms():
    together = [set(group) for group in synonym_groups()]
    for pair in [{"会計", "経理"}, {"高齢者", "シニア"}, {"助成金", "補助金"}]:
        assert not any(pair <= group for group in together)


def test_a_saved_group_is_in_the_very_next_call_and_a_deleted_one_is_gone(office):
    before = synonym_groups()  # now cached
    assert ("八王子", "はちおうじ") not in before

    assert add(office, "八王子\nはちおうじ").status_code == 302
    assert ("八王子", "はちおうじ") in synonym_groups()

    group = SynonymGroup.objects.get(terms__startswith="八王子")
    changed = {"terms": "八王子\nはちおうじ\nHachioji", "note": ""}
    assert office.post(edit_url(group), changed).status_code == 302
    assert ("八王子", "はちおうじ", "Hachioji") in synonym_groups()

    assert office.post(delete_url(group)).status_code == 302
    assert not any("八王子" in group for group in synonym_groups())


def test_a_group_saved_without_the_form_with_fewer_than_two_words_is_left_out():
    SynonymGroup.objects.create(terms="ひとつだけ\n\n  ひとつだけ  \n")

    assert not any("ひとつだけ" in group for group in synonym_groups())


def test_the_list_is_read_from_the_database_while_the_cache_is_down():
    with override_settings(CACHES={"default": redis_cache(f"redis://127.0.0.1:{closed_port()}/0")}):
        assert type(caches["default"]).__module__ == "cms.cache"
        SynonymGroup.objects.create(terms="ボランティア\nボランティア活動")
        assert ("ボランティア", "ボランティア活動") in synonym_groups()


def test_the_default_groups_are_added_once_and_staff_changes_are_kept():
    changed = SynonymGroup.objects.get(terms__startswith="ホームページ")
    changed.terms = "ホームページ\nウェブサイト"
    changed.save()
    SynonymGroup.objects.filter(terms__startswith="チラシ").delete()
    count = SynonymGroup.objects.count()

    DEFAULTS.add_default_synonyms(apps, None)

    # The deleted group comes back (it is missing), the changed one is left as staff made it.
    assert SynonymGroup.objects.count() == count + 1
    assert SynonymGroup.objects.get(pk=changed.pk).terms == "ホームページ\nウェブサイト"
    DEFAULTS.add_default_synonyms(apps, None)
    assert SynonymGroup.objects.count() == count + 1


# The admin


def test_the_office_finds_synonyms_in_the_settings_menu_and_the_list_shows_the_words(office):
    soup = parse_ok(office.get(LISTING))

    text = soup.get_text(" ", strip=True)
    assert "ホームページ＝ウェブサイト＝Webサイト＝HP" in text
    assert "表記の違い" in text
    # The sidebar menu's item (設定 → 同義語); editors have none.
    assert f'"{LISTING}"' in office.get("/admin/").content.decode()
    assert f'"{LISTING}"' not in logged_in(make_user("henshu", "編集者")).get("/admin/").content.decode()


def test_the_list_can_be_searched_for_part_of_a_word(office):
    text = parse_ok(office.get(LISTING, {"q": "ファン"})).get_text(" ", strip=True)

    assert "クラウドファンディング＝クラファン" in text
    assert "寄付＝寄附" not in text


def test_the_office_adds_a_group_and_the_words_are_saved_trimmed_and_without_repeats(office):
    typed = "  クラファン \r\n\r\nクラウドファンディング\nｸﾗﾌｧﾝ\nくらふぁん\n\u200bCF\u200b\n"
    response = add(office, typed, "略称")

    assert response.status_code == 302
    group = SynonymGroup.objects.latest("pk")
    # ｸﾗﾌｧﾝ and くらふぁん are クラファン once normalized; the zero-width spaces are dropped.
    assert group.terms == "クラファン\nクラウドファンディング\nCF"
    assert group.note == "略称"


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ("", "異なる2語以上"),
        ("ホームページ", "異なる2語以上"),
        ("Facebook\nＦＡＣＥＢＯＯＫ\nfacebook", "異なる2語以上"),
        ("ホーム ページ\nウェブサイト", "語の中に空白は入れられません"),
        ("ホームページ\u3000トップ\nウェブサイト", "語の中に空白は入れられません"),
        ("あ" * 51 + "\nウェブサイト", "50文字まで"),
        ("\n".join(f"語{number}" for number in range(21)), "20語まで"),
        ("！？\nウェブサイト", "記号だけの語"),
        ("😺\nねこ", "記号だけの語"),
        ("\u3164\nねこ", "記号だけの語"),
        ("市\n市役所", "「市」は1文字のため登録できません。2文字以上の言葉にしてください。"),
        ("X\nエックス", "「X」は1文字のため登録できません。"),
        ("アート\nア", "「ア」は1文字のため登録できません。"),
        ("ｶﾞ\nガス", "「ｶﾞ」は1文字のため登録できません。"),  # one character once normalized
        ("ホームページ\x00\nウェブサイト", "表示できない文字"),
        ("ホームページ\x1b[31m\nウェブサイト", "表示できない文字"),
        ("ホームページ\u202eトイサブエウ\nウェブサイト", "表示できない文字"),
    ],
)
def test_the_form_says_in_japanese_what_is_wrong(office, terms, message):
    response = add(office, terms)

    assert message in errors(response)
    assert SynonymGroup.objects.count() == len(DEFAULTS.DEFAULT_SYNONYMS)


def test_a_one_character_word_is_refused_and_two_characters_are_enough(office):
    response = add(office, "市\n市役所\nア")

    assert "「市」は1文字" in errors(response)
    assert "記号だけの語" not in errors(response)
    assert not SynonymGroup.objects.filter(terms__contains="市役所").exists()
    assert add(office, "市役所\n市庁舎\nPC\nＰＣ\nAI\n人工知能").status_code == 302


def test_the_default_groups_pass_the_forms_rules(office):
    for group in SynonymGroup.objects.order_by("pk"):
        response = office.post(edit_url(group), {"terms": group.terms, "note": group.note})

        assert response.status_code == 302, (group.terms, errors(response))
        assert SynonymGroup.objects.get(pk=group.pk).terms == group.terms


def test_an_oversized_or_hostile_submission_is_refused_without_failing(office):
    huge = "\n".join(f"<script>alert({number})</script>" for number in range(5000))

    response = add(office, huge, note="<b>x</b>")

    assert "20語まで" in errors(response)
    assert "<script>alert(0)</script>" not in response.content.decode()
    assert add(office, "ホームページ\nウェブサイト", note="メモ\u202e").status_code == 200
    assert add(office, "ホームページ\nウェブサイト", note="x" * 201).status_code == 200


def test_markup_in_a_saved_word_is_shown_as_text(office):
    assert add(office, "<b>太字</b>\n太字").status_code == 302

    content = office.get(LISTING).content.decode()
    assert "&lt;b&gt;太字&lt;/b&gt;＝太字" in content
    assert "<b>太字</b>" not in content


def test_the_add_form_can_start_with_a_query_in_it(office):
    soup = parse_ok(office.get(f"{ADD}?{urlencode({'terms': 'ふぇいすぶっく'})}"))

    assert soup.select_one("textarea[name=terms]").get_text().strip() == "ふぇいすぶっく"


@pytest.mark.parametrize(
    ("prefill", "shown"),
    [
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("猫\x00\x1b犬", "猫 犬"),
        ("あ" * 1000, "あ" * 200),
        ("   ", ""),
    ],
)
def test_a_malformed_prefill_is_cleaned_and_escaped(office, prefill, shown):
    response = office.get(ADD, {"terms": prefill})

    soup = parse_ok(response)
    assert soup.select_one("textarea[name=terms]").get_text().strip() == shown
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_editors_and_visitors_cannot_reach_the_synonyms(client):
    editor = logged_in(make_user("henshu", "編集者"))
    for url in (LISTING, ADD):
        assert editor.get(url).status_code in (302, 403)
        assert client.get(url).status_code == 302
    assert add(editor, "a\nb").status_code in (302, 403)
    assert SynonymGroup.objects.count() == len(DEFAULTS.DEFAULT_SYNONYMS)


def test_the_office_may_add_change_delete_and_view_synonyms():
    codenames = set(Group.objects.get(name="事務局").permissions.values_list("codename", flat=True))

    assert {
        "add_synonymgroup",
        "change_synonymgroup",
        "delete_synonymgroup",
        "view_synonymgroup",
        "view_zeroresultsearch",
    } <= codenames
    assert "add_zeroresultsearch" not in codenames
