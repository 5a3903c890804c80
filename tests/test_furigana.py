"""ふりがな: visitors who turn it on read public pages with ruby on the kanji; the readings of local names
come from the 読み仮名辞書 事務局 keep; nothing but the text between tags changes.

The expected readings of local words are in tests/fixtures/furigana_words.tsv."""

import re
from pathlib import Path

import pytest
from bs4 import NavigableString
from django.core.cache import cache
from django.test import Client, override_settings
from wagtail.rich_text import RichText

from home.display import FURIGANA_COOKIE
from search.furigana import annotate_html, annotate_text, hiragana, reading
from search.local_readings import ReadingIndex
from search.models import LocalReading
from tests.builders import logged_in, make_article, make_standard_page, make_user
from tests.html import parse, parse_ok

pytestmark = pytest.mark.django_db

WORDS_FILE = Path(__file__).parent / "fixtures" / "furigana_words.tsv"
LISTING = "/admin/snippets/search/localreading/"
ADD = f"{LISTING}add/"
RUBY_MARKUP = re.compile(r"<ruby>|</ruby>|<rt>[^<]*</rt>")


def local_words():
    rows = []
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            surface, expected = line.split("\t")
            rows.append((surface, expected))
    return rows


def with_furigana():
    client = Client()
    client.cookies[FURIGANA_COOKIE] = "on"
    return client


def without_ruby(html):
    return RUBY_MARKUP.sub("", html)


def shown_reading(node):
    """What a reader of the ruby reads: the ruby text in place of the kanji it is on, in hiragana."""
    if isinstance(node, NavigableString):
        return hiragana(str(node))
    if node.name == "ruby":
        return "".join(rt.get_text() for rt in node.find_all("rt"))
    if node.name in ("rt", "rp"):
        return ""
    return "".join(shown_reading(child) for child in node.children)


def base_text(node):
    """The text as written, without the ruby."""
    if isinstance(node, NavigableString):
        return str(node)
    if node.name in ("rt", "rp"):
        return ""
    return "".join(base_text(child) for child in node.children)


def page_with(tree, paragraphs, **fields):
    body = [("paragraph", RichText(f"<p>{text}</p>")) for text in paragraphs]
    fields.setdefault("slug", "words")
    fields.setdefault("title", "地域のことば")
    return make_standard_page(tree.home, body=body, **fields)


# Readings of local words


def test_at_least_a_hundred_local_words_are_checked():
    assert len(local_words()) >= 100
    assert len({surface for surface, _ in local_words()}) == len(local_words())


def test_local_words_are_read_right_on_a_public_page(tree):
    words = local_words()
    page = page_with(tree, [surface for surface, _ in words])

    soup = parse_ok(with_furigana().get(page.url))

    shown = {base_text(p): shown_reading(p) for p in soup.find("main").find_all("p")}
    wrong = [
        (surface, shown.get(surface), expected)
        for surface, expected in words
        if shown.get(surface) != expected
    ]
    assert wrong == []


@pytest.mark.parametrize(("surface", "expected"), local_words())
def test_the_reading_of_each_local_word(surface, expected):
    assert reading(surface) == expected


def test_local_names_are_read_right_inside_sentences(tree):
    assert reading("八王子市由木地区で活動しています") == "はちおうじしゆぎちくでかつどうしています"
    assert reading("高尾・浅川エリアの団体") == "たかお・あさかわえりあのだんたい"
    assert reading("廿里町と散田町") == "とどりまちとさんだまち"


def test_okurigana_stay_outside_the_ruby():
    assert annotate_text("申し込み") == "<ruby>申<rt>もう</rt></ruby>し<ruby>込<rt>こ</rt></ruby>み"
    assert annotate_text("取り組み") == "<ruby>取<rt>と</rt></ruby>り<ruby>組<rt>く</rt></ruby>み"
    assert "<ruby>八王子<rt>はちおうじ</rt></ruby>" in annotate_text("八王子の会")


def test_an_entry_applies_only_where_the_words_begin_and_end():
    index = ReadingIndex((("谷野", "やの"), ("本町", "もとまち"), ("散田", "さんだ")))

    assert "やの" not in annotate_text("渋谷野球部", index)
    assert "もとまち" not in annotate_text("日本町", index)
    # The analyzer already reads 散田町 with the entry's reading: its whole word stays.
    assert annotate_text("散田町", index) == "<ruby>散田町<rt>さんだまち</rt></ruby>"
    assert annotate_text("谷野の畑", index).startswith("<ruby>谷野<rt>やの</rt></ruby>")


def test_words_without_kanji_and_latin_letters_get_no_ruby():
    assert annotate_text("ボランティア募集") == "ボランティア<ruby>募集<rt>ぼしゅう</rt></ruby>"
    assert annotate_text("NPO法人") == "NPO<ruby>法人<rt>ほうじん</rt></ruby>"
    assert annotate_text("ひらがなだけ") == "ひらがなだけ"
    assert annotate_text("2026年") == "2026<ruby>年<rt>ねん</rt></ruby>"


# The page: what changes and what does not


def test_headings_navigation_and_body_carry_ruby(tree):
    page = page_with(
        tree,
        ["高尾山の清掃活動に参加しました。"],
        title="浅川の活動報告",
    )
    page.body = [
        ("heading", {"text": "由木地区の取り組み", "level": "h2"}),
        ("paragraph", RichText("<p>高尾山の清掃活動に参加しました。</p>")),
    ]
    page.save_revision().publish()

    soup = parse_ok(with_furigana().get(page.url))

    heading = soup.find("h1")
    assert base_text(heading).strip() == "浅川の活動報告"
    assert shown_reading(heading).strip() == "あさかわのかつどうほうこく"
    h2 = next(h2 for h2 in soup.find("main").find_all("h2") if base_text(h2).strip() == "由木地区の取り組み")
    assert shown_reading(h2).strip() == "ゆぎちくのとりくみ"
    assert "たかおさんのせいそうかつどうにさんかしました" in shown_reading(soup.find("main"))
    navigation = soup.find("nav")
    assert navigation is not None and navigation.find("ruby") is not None
    footer = soup.find("footer")
    assert footer.find("ruby") is not None


def test_only_the_text_changes_byte_for_byte(tree):
    page = page_with(
        tree,
        [
            '申し込みは<a href="https://example.jp/八王子/申込?q=由木&amp;x=1">八王子市の窓口</a>へ',
            "A &amp; B、&lt;八王子&gt;、&quot;高尾&quot;",
            "<b><i>八王子</i></b>市の<code>八王子</code>",
        ],
        search_description="八王子市の地域のことば",
    )
    plain = Client().get(page.url).content.decode()

    ruby = with_furigana().get(page.url).content.decode()

    assert "<ruby>" in ruby
    # The page without furigana, through the same transformation, comes back exactly once the ruby is removed.
    assert without_ruby(annotate_html(plain)) == plain
    plain_soup, ruby_soup = parse(Client().get(page.url)), parse_ok(with_furigana().get(page.url))
    assert str(parse_html(without_ruby(str(ruby_soup.find("main"))))) == str(plain_soup.find("main"))
    # The title, the description, the structured data, every address and every input stay as written.
    assert ruby_soup.title == plain_soup.title
    assert ruby_soup.find("meta", attrs={"name": "description"}) == plain_soup.find(
        "meta", attrs={"name": "description"}
    )
    assert [str(s) for s in ruby_soup.find_all("script")] == [str(s) for s in plain_soup.find_all("script")]
    assert [a["href"] for a in ruby_soup.find_all("a")] == [a["href"] for a in plain_soup.find_all("a")]
    assert [str(i) for i in ruby_soup.find_all("input")] == [str(i) for i in plain_soup.find_all("input")]
    assert ruby_soup.find("main").find("code").get_text() == "八王子"
    assert ruby_soup.find("main").find("code").find("ruby") is None


def parse_html(html):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def test_a_url_written_in_the_text_stays_as_written():
    text = "詳しくは https://example.jp/八王子/由木 をご覧ください"

    annotated = annotate_text(text)

    assert "https://example.jp/八王子/由木" in annotated
    assert "<ruby>詳<rt>くわ</rt></ruby>しく" in annotated


def test_scripts_styles_forms_code_and_marked_elements_are_left_alone():
    html = (
        "<html><head><title>八王子</title><style>.八王子{}</style></head><body>"
        '<script>var place = "<p>八王子</p>";</script>'
        '<form><input name="q" value="八王子"><textarea>八王子</textarea>'
        "<select><option>八王子</option><option selected>高尾</option></select>"
        "<button>八王子で検索</button></form>"
        "<pre>八王子</pre><code>八王子</code><svg><text>八王子</text></svg>"
        '<div data-no-furigana><p>八王子<span lang="ja">市</span></p><div>高尾</div></div>'
        "<template><p>八王子</p></template>"
        "<wagtail-userbar><p>ページを編集</p></wagtail-userbar>"
        "<!-- 八王子 --><p title='八王子'>高尾</p></body></html>"
    )

    annotated = annotate_html(html, ReadingIndex(()))

    assert without_ruby(annotated) == html
    assert annotated.count("<ruby>") == 3
    assert (
        "<button><ruby>八王子<rt>はちおうじ</rt></ruby>で<ruby>検索<rt>けんさく</rt></ruby></button>"
        in annotated
    )
    assert "<p title='八王子'><ruby>高尾<rt>たかお</rt></ruby></p>" in annotated
    existing = '<ruby class="x">八王子<rp>(</rp><rt>はちおうじ</rt><rp>)</rp></ruby>'
    assert annotate_html(existing, ReadingIndex(())) == existing


def test_the_csrf_placeholder_of_the_page_cache_is_kept():
    html = (
        '<form method="post"><input type="hidden" name="csrfmiddlewaretoken" '
        'value="page-cache-csrf-token-placeholder"><label>氏名</label></form>'
    )

    annotated = annotate_html(html, ReadingIndex(()))

    assert 'value="page-cache-csrf-token-placeholder"' in annotated
    assert "<label><ruby>氏名<rt>しめい</rt></ruby></label>" in annotated


def test_an_event_form_served_from_the_cache_with_furigana_still_posts(tree):
    from tests.builders import PERSON, upcoming_event

    event = upcoming_event(tree)
    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=True, PAGE_CACHE_SECONDS=300):
        with_furigana().get(event.url)
        visitor = Client(enforce_csrf_checks=True)
        visitor.cookies[FURIGANA_COOKIE] = "on"
        response = visitor.get(event.url)
        text = response.content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)

        assert response["X-Page-Cache"] == "hit"
        assert "<ruby>" in text
        assert "placeholder" not in token
        posted = visitor.post(event.url, {**PERSON, "phone": "", "csrfmiddlewaretoken": token})
    cache.clear()
    assert posted.status_code == 302
    assert event.registrations.count() == 1


def test_an_editor_with_the_userbar_gets_ruby_and_a_working_userbar(tree):
    page = page_with(tree, ["八王子の活動"])
    editor = logged_in(make_user("editor", "事務局"))
    editor.cookies[FURIGANA_COOKIE] = "on"

    response = editor.get(page.url)

    text = response.content.decode()
    assert response.status_code == 200
    assert "<ruby>八王子<rt>はちおうじ</rt></ruby>" in text
    userbar = re.search(r"<wagtail-userbar.*?</wagtail-userbar>", text, re.DOTALL)
    assert userbar is not None
    assert "<ruby>" not in userbar.group()


def test_without_the_cookie_no_page_has_ruby(client, tree):
    page = page_with(tree, ["八王子の活動"])

    assert "<ruby>" not in client.get(page.url).content.decode()


def test_the_admin_documents_and_errors_are_never_annotated(tree):
    editor = logged_in(make_user("editor2", "事務局"))
    editor.cookies[FURIGANA_COOKIE] = "on"

    assert "<ruby>" not in editor.get("/admin/").content.decode()
    assert "<ruby>" not in with_furigana().get("/no-such-page/").content.decode()
    assert "<ruby>" not in with_furigana().get("/display/?furigana=nope").content.decode()
    assert "<ruby>" not in with_furigana().get("/robots.txt").content.decode()


# Hostile text


@pytest.mark.parametrize(
    "html",
    [
        "<p>八王子<b>市<i>由木</p></b>地区</i>",
        "<p>八王子 < 高尾 <3 浅川</p>",
        "<p>八王子<a href='x>高尾'>浅川</a></p>",
        "<p>八王子<!-- 閉じないコメント",
        "<p>八王子<script>高尾",
        '<p title="閉じない引用符>八王子</p><p>高尾</p>',
        "<p>八王子</p><x 高尾",
        "八王子&amp;高尾&#x516B;&#20843;&nbsp;由木&unknown;",
        "<p>\x00八王子\ufeff高尾\u202e浅川</p>",
        "<<<<>>>>八王子</></p><p/>高尾",
        "<pre><pre>八王子</pre>高尾</pre>浅川",
        "<svg/><p>八王子</p>",
        "<P DATA-NO-FURIGANA>八王子</P><p>高尾</p>",
        "",
        "八王子" * 5000,
    ],
)
def test_broken_or_odd_markup_round_trips(html):
    annotated = annotate_html(html)

    assert without_ruby(annotated) == html


def test_nested_markup_and_marked_elements_are_honoured():
    index = ReadingIndex(())
    assert annotate_html("<pre><pre>八王子</pre>高尾</pre>浅川", index).count("<ruby>") == 1
    assert "<ruby>" not in annotate_html("<P DATA-NO-FURIGANA>八王子</P>", index)
    assert annotate_html("<p>八王子</p><x 高尾", index).count("<ruby>") == 1


def test_a_huge_page_is_served_with_ruby_and_round_trips(tree):
    paragraphs = [
        f"第{number}回 八王子市由木地区と高尾・浅川の活動報告です。申し込みは事務局へ。"
        for number in range(3000)
    ]
    page = page_with(tree, paragraphs, slug="huge")
    plain = Client().get(page.url).content.decode()

    response = with_furigana().get(page.url)

    assert response.status_code == 200
    text = response.content.decode()
    assert text.count("<ruby>由木<rt>ゆぎ</rt></ruby>") == 3000
    assert without_ruby(annotate_html(plain)) == plain


def test_entities_in_text_are_kept(tree):
    article = make_article(tree.news, title="高尾 & 浅川 <合同> 説明会", slug="entities")

    response = with_furigana().get(article.url)

    text = response.content.decode()
    assert response.status_code == 200
    assert "&amp;" in text
    assert "&lt;" in text
    assert "<合同>" not in text


# The 読み仮名辞書 in the admin


@pytest.fixture
def office():
    return logged_in(make_user("jimu", "事務局"))


def errors(response):
    assert response.status_code == 200
    soup = parse(response)
    return " ".join(
        error.get_text(" ", strip=True) for error in soup.select(".error-message, .help-critical")
    )


def test_the_seeded_dictionary_is_there():
    readings = dict(LocalReading.objects.values_list("surface", "reading"))

    assert readings["由木"] == "ゆぎ"
    assert readings["廿里"] == "とどり"
    assert readings["左入"] == "さにゅう"
    assert len(readings) >= 40


def test_the_office_finds_the_dictionary_under_settings(office):
    response = office.get(LISTING)
    found = office.get(LISTING, {"q": "由木"})

    assert response.status_code == 200
    assert "読み仮名辞書" in response.content.decode()
    assert "ゆぎ" in found.content.decode()


def test_an_entry_the_office_adds_changes_the_ruby_of_a_cached_page(tree, office):
    page = page_with(tree, ["長池見附橋を渡ります。"], slug="bridge")
    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=True, PAGE_CACHE_SECONDS=300):
        before = with_furigana().get(page.url)
        assert with_furigana().get(page.url)["X-Page-Cache"] == "hit"
        assert "ながいけみつけばし" not in shown_reading(parse(before).find("main"))

        response = office.post(
            ADD, {"surface": "長池見附橋", "reading": "ながいけみつけばし", "kind": "place"}
        )
        assert response.status_code == 302

        after = with_furigana().get(page.url)
    cache.clear()
    assert after["X-Page-Cache"] == "miss"
    assert "<ruby>長池見附橋<rt>ながいけみつけばし</rt></ruby>" in after.content.decode()


@pytest.mark.parametrize(
    ("surface", "reading_typed", "message"),
    [
        ("由木", "ユギ", "ひらがなと長音記号"),
        ("由木", "yugi", "ひらがなと長音記号"),
        ("由木", "ゆ ぎ", "ひらがなと長音記号"),
        ("由木", "由木", "ひらがなと長音記号"),
        ("ゆぎ", "ゆぎ", "漢字を含む表記"),
        ("由 木", "ゆぎ", "空白は入れられません"),
        ("", "ゆぎ", "表記を入力してください"),
        ("高月", "", "読みをひらがなで入力してください"),
        ("高月\u202e", "たかつき", "表示できない文字"),
        ("八" * 31, "はち", "30"),
        ("高月", "た" * 61, "60"),
    ],
)
def test_a_faulty_entry_is_refused_in_japanese(office, surface, reading_typed, message):
    count = LocalReading.objects.count()

    response = office.post(ADD, {"surface": surface, "reading": reading_typed, "kind": "place"})

    assert message in errors(response)
    assert LocalReading.objects.count() == count


def test_a_surface_already_listed_is_refused_in_japanese(office):
    response = office.post(ADD, {"surface": "由木", "reading": "ゆぎ", "kind": "place"})

    assert "すでに登録されています" in errors(response)


def test_an_unknown_kind_is_refused(office):
    response = office.post(ADD, {"surface": "高月", "reading": "たかつき", "kind": "river"})

    assert response.status_code == 200
    assert not LocalReading.objects.filter(surface="高月").exists()


def test_a_visitor_cannot_open_the_dictionary(client):
    response = client.get(LISTING)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
