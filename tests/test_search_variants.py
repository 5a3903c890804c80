"""Search forgives how people write: spelling variants, kana readings typed before conversion, katakana
and Latin loanwords, long-vowel and small-kana variants, synonyms staff add, and 「もしかして」 for typos.
Through the search page, the catalog's keyword box and the admin's page search."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from search.models import SynonymGroup
from search.suggestions import suggest
from search.vocabulary import vocabulary
from tests.builders import make_organization, make_project, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(tree):
    organization = make_organization(
        tree.organizations,
        title="由木こども食堂ネットワーク",
        slug="yugi-kodomo",
        description="<p>子ども食堂の運営を支えるため、地域のボランティアとつながっています。</p>",
    )
    accounting = make_project(
        tree.projects,
        organization,
        title="経理業務の見直し",
        slug="accounting",
        summary="会計ソフトとデータベースを整え、Facebookで寄付を呼びかける。",
    )
    website = make_project(
        tree.projects,
        organization,
        title="ホームページの作り直し",
        slug="website",
        summary="クラウドファンディングの準備として、インスタグラムも始めます。",
    )
    return {"organization": organization, "accounting": accounting, "website": website}


def search(client, query, path="/search/"):
    response = client.get(path, {"q": query})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def result_urls(soup):
    results = soup.find(id="results")
    return [link["href"] for link in results.select(".search-result__title a")] if results else []


def notice(soup):
    found = soup.select_one(".did-you-mean")
    return " ".join(found.get_text().split()) if found else None


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("子供食堂", "organization"),  # kanji for the kana of 子ども
        ("こども食堂", "organization"),
        ("子ども食堂", "organization"),
        ("けいり", "accounting"),  # a reading typed before conversion
        ("ケイリ", "accounting"),
        ("しょくどう", "organization"),  # the reading of a word inside a compound
        ("フェイスブック", "accounting"),  # katakana for a Latin brand name
        ("Instagram", "website"),  # Latin for a katakana brand name
        ("データーベース", "accounting"),  # a long-vowel variant
        ("ボランテイア", "organization"),  # a small-kana variant
        ("ぼらんてぃあ", "organization"),
        ("ホームページ", "website"),
    ],
)
def test_finds_other_spellings_of_what_the_pages_say(client, site, query, page):
    assert site[page].url in result_urls(search(client, query))


def test_other_spellings_still_must_all_match(client, site):
    assert result_urls(search(client, "けいり フェイスブック")) == [site["accounting"].url]
    assert result_urls(search(client, "けいり インスタグラム")) == []


def test_a_title_with_the_exact_spelling_ranks_first(client, tree, site):
    exact = make_project(tree.projects, site["organization"], title="子供食堂の献立づくり", slug="menus")

    urls = result_urls(search(client, "子供食堂"))

    assert urls[0] == exact.url
    assert site["organization"].url in urls


def test_the_catalog_keyword_box_reads_the_same_way(client, site):
    response = client.get("/projects/", {"q": "けいり"})

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert site["accounting"].url in {link["href"] for link in soup.select("a[href]")}
    assert site["website"].url not in {link["href"] for link in soup.select("a[href]")}


def test_the_admins_page_search_reads_the_same_way(client, site):
    client.force_login(make_user("editor", "編集者"))

    response = client.get("/admin/pages/search/", {"q": "こども食堂"})

    assert response.status_code == 200
    assert site["organization"].title in response.content.decode()


def test_a_synonym_applies_on_the_next_search_without_reindexing(client, site):
    assert site["website"].url not in result_urls(search(client, "リニューアル"))

    group = SynonymGroup.objects.create(terms="リニューアル\n作り直し")

    assert site["website"].url in result_urls(search(client, "リニューアル"))
    assert site["website"].url in result_urls(search(client, "ホームページのリニューアル"))  # inside a term
    response = client.get("/projects/", {"q": "リニューアル"})
    assert site["website"].url in response.content.decode()

    group.delete()

    assert site["website"].url not in result_urls(search(client, "リニューアル"))


def test_the_default_synonyms_and_loanwords_apply(client, site):
    assert site["website"].url in result_urls(search(client, "クラファン"))
    assert site["website"].url in result_urls(search(client, "HP"))
    assert site["website"].url in result_urls(search(client, "インスタ"))


def test_a_typo_that_finds_nothing_shows_the_closest_words_results(client, site):
    soup = search(client, "経理業務の見直お")

    assert notice(soup) == (
        "「経理業務の見直お」に一致するページは見つからなかったため、「経理業務の見直し」の検索結果を表示しています。"
    )
    assert result_urls(soup)[0] == site["accounting"].url


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("寄副", "寄付"),  # one kanji wrong
        ("facebok", "Facebook"),  # one letter missing
        ("ネットワーケ", "ネットワーク"),  # one kana wrong
        ("子ども食道", "子ども食堂"),  # one word of a compound wrong
    ],
)
def test_typos_are_corrected_from_the_indexed_words(client, site, typo, meant):
    soup = search(client, typo)

    assert f"「{meant}」の検索結果を表示しています" in notice(soup)
    assert result_urls(soup)


def test_a_variant_that_finds_pages_still_offers_the_usual_spelling(client, site):
    soup = search(client, "ボランテア")

    assert site["organization"].url in result_urls(soup)
    assert notice(soup) == "もしかして:ボランティア"
    link = soup.select_one(".did-you-mean a")["href"]
    assert link == "?q=%E3%83%9C%E3%83%A9%E3%83%B3%E3%83%86%E3%82%A3%E3%82%A2"  # ボランティア


def test_known_words_and_readings_get_no_suggestion(client, site):
    for query in ("経理", "けいり", "食堂", "理業", "ネットワーク"):
        assert notice(search(client, query)) is None, query


def test_nothing_close_gives_no_suggestion(client, site):
    soup = search(client, "ほたる")

    assert notice(soup) is None
    assert result_urls(soup) == []


def test_suggestions_never_come_from_pages_visitors_cannot_see(client, tree, site):
    draft = make_project(tree.projects, site["organization"], title="極秘合宿計画", slug="secret")
    draft.unpublish()
    private = make_project(tree.projects, site["organization"], title="内部監査報告", slug="private")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    known = vocabulary().surfaces
    assert "経理業務の見直し" in known  # a public page's title
    assert "極秘合宿計画" not in known
    assert "内部監査報告" not in known
    assert suggest("極秘合宿計面") is None
    assert suggest("内部監査報吉") is None
    assert notice(search(client, "極秘合宿計面")) is None
    assert notice(search(client, "内部監査報吉")) is None


def test_an_unpublished_pages_words_leave_the_suggestions(client, tree, site):
    assert "「ホームページの作り直し」" in notice(search(client, "ホームページの作り直お"))

    site["website"].unpublish()

    assert "ホームページの作り直し" not in vocabulary().surfaces
    assert notice(search(client, "ホームページの作り直お")) is None


@pytest.mark.parametrize(
    "query",
    [
        "経" * 200,
        "八王字 " * 40,
        "😺😺😺",
        "'; DROP TABLE search_indexedwords; --",
        "<script>alert(1)</script>",
        "寄副 facebok ネットワーケ 子ども食道 ほたる",
        "\\%_*",
    ],
)
def test_any_query_gets_a_page(client, site, query):
    soup = search(client, query)

    assert soup.select_one(".result-count")
    assert "<script>alert" not in str(soup.select_one(".did-you-mean") or "")


def test_a_corrected_search_costs_a_bounded_number_of_queries(client, site):
    search(client, "経理")  # the synonyms and the vocabulary are read once

    with CaptureQueriesContext(connection) as queries:
        soup = search(client, "寄副")

    assert result_urls(soup)
    assert len(queries) <= 25, "\n".join(query["sql"][:160] for query in queries)


def test_correct_spellings_and_readings_get_no_suggestion(client, site):
    for query in ("子供食堂", "こども食堂", "フェイスブック", "ウエブサイト", "ほーむぺーじ", "しょくどう"):
        assert notice(search(client, query)) is None, query


def test_a_loanword_in_latin_letters_does_not_find_katakana_compounds(client, tree, site):
    online = make_project(tree.projects, site["organization"], title="オンライン相談会", slug="online")
    line = make_project(tree.projects, site["organization"], title="LINE公式アカウントの開設", slug="line")

    urls = result_urls(search(client, "LINE"))

    assert line.url in urls
    assert online.url not in urls
    assert line.url in result_urls(search(client, "ライン"))  # typed in katakana, it finds the Latin word


def test_a_paged_corrected_search_counts_once(client, tree, site):
    from search.models import ZeroResultSearch

    for number in range(12):
        make_project(
            tree.projects, site["organization"], title=f"経理の講座{number}", slug=f"course-{number}"
        )

    client.get("/search/", {"q": "経埋"})
    client.get("/search/", {"q": "経埋", "page": 2})

    assert ZeroResultSearch.objects.get().count == 1
