"""Site search at /search/: finds what people type in Japanese, filters by type, marks the words found,
shows editors' picks, and takes whatever a visitor types without failing."""

import datetime
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.search.models import IndexEntry

from tests.builders import (
    make_article,
    make_event,
    make_organization,
    make_project,
    make_standard_page,
    make_terms,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(tree):
    terms = make_terms()
    organization = make_organization(
        tree.organizations, description="<p>飼い主のいない猫を保護し、新しい家族を探しています。</p>"
    )
    project = make_project(
        tree.projects,
        organization,
        summary="記帳のルールを整え、経理の負担を減らす。",
        body=[("paragraph", RichText("<p>勘定科目を見直しました。</p>"))],
        progress=[
            (
                "entry",
                {
                    "date": datetime.date(2016, 12, 23),
                    "title": "キックオフ",
                    "body": RichText("<p>はちねこカフェを訪ねました。</p>"),
                },
            )
        ],
        categories=[terms["category"]],
        support_menus=[terms["support"]],
        areas=[terms["area"]],
    )
    event = make_event(tree.events, description="<p>プロボノの進め方を説明します。</p>")
    article = make_article(tree.news, lead="NPO法人かたつむりのFacebookページが公開されました。", body=[])
    about = make_standard_page(tree.home, lead="センターの案内です。")
    return {
        "terms": terms,
        "organization": organization,
        "project": project,
        "event": event,
        "article": article,
        "about": about,
    }


def search(client, **params):
    # Empty parameters and page numbers that name no page are redirected once to the page's own address.
    response = client.get("/search/", params, follow=True)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def result_urls(soup):
    results = soup.find(id="results")
    return [link["href"] for link in results.select(".search-result__title a")] if results else []


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("猫", "organization"),  # one kanji
        ("おうち探し", "organization"),  # a word inside a compound
        ("八王子猫のおうち探しの会", "organization"),
        ("業務", "project"),
        ("ｹｲﾘ", "project"),  # the reading of 経理, typed in half-width katakana
        ("けいり", "project"),  # the reading typed in hiragana, before conversion
        ("ほたる", None),  # a word the site does not use
        ("カタツムリ", "article"),  # katakana finds hiragana
        ("ＦＡＣＥＢＯＯＫ", "article"),  # full-width, upper case
        ("説明会", "event"),
        ("センター", "about"),
    ],
)
def test_finds_what_people_type(client, site, query, page):
    urls = result_urls(search(client, q=query))
    if page is None:
        assert urls == []
    else:
        assert site[page].url in urls


def test_terms_separated_by_spaces_must_all_match(client, site):
    assert result_urls(search(client, q="経理 猫")) == [site["project"].url]
    assert result_urls(search(client, q="NPO　Facebook")) == [site["article"].url]
    assert result_urls(search(client, q="経理 ほたる")) == []


def test_finds_text_inside_body_blocks_and_progress_entries(client, site):
    assert site["project"].url in result_urls(search(client, q="勘定科目"))
    assert site["project"].url in result_urls(search(client, q="はちねこ"))


def test_finds_a_project_by_its_organizations_name_and_its_terms(client, site):
    assert site["project"].url in result_urls(search(client, q="おうち探しの会"))
    assert site["project"].url in result_urls(search(client, q="動物との共生"))
    assert site["project"].url in result_urls(search(client, q="経理改善"))


def test_renaming_an_organization_or_a_term_reindexes_its_projects(client, site):
    organization = site["organization"]
    organization.title = "はちおうじ保護猫ネット"
    organization.save_revision().publish()
    term = site["terms"]["area"]
    term.name = "由木・南大沢"
    term.save()

    assert site["project"].url in result_urls(search(client, q="保護猫ネット"))
    assert site["project"].url in result_urls(search(client, q="南大沢"))
    assert site["project"].url not in result_urls(search(client, q="おうち探し"))


def test_deleting_an_organization_or_a_term_reindexes_its_projects(client, site):
    site["terms"]["category"].delete()
    site["organization"].delete()

    assert site["project"].url not in result_urls(search(client, q="動物との共生"))
    assert result_urls(search(client, q="おうち探し")) == []
    assert site["project"].url in result_urls(search(client, q="勘定科目"))


def test_an_editors_published_change_is_found_and_an_unpublished_page_is_not(client, site):
    project = site["project"]
    project.title = "寄付の受け入れの仕組みづくり"
    project.save_revision().publish()
    assert project.url in result_urls(search(client, q="寄付"))

    project.unpublish()
    assert project.url not in result_urls(search(client, q="寄付"))


def test_update_index_rebuilds_a_lost_index(client, site):
    IndexEntry.objects.all().delete()
    assert result_urls(search(client, q="おうち探し")) == []

    call_command("update_index", stdout=StringIO())

    assert site["organization"].url in result_urls(search(client, q="おうち探し"))


@pytest.mark.parametrize("query", ["おうち探し", '"おうち探し"', '"%" おうち探し', 'おうち探し "😺"'])
def test_the_admins_page_search_reads_japanese(client, site, django_user_model, query):
    client.force_login(django_user_model.objects.create_superuser("editor", "editor@example.org", "x"))

    response = client.get("/admin/pages/search/", {"q": query})

    assert response.status_code == 200
    assert site["organization"].title in response.content.decode()


@pytest.mark.parametrize("query", ['"%"', '"😺" "\\"', "%"])
def test_the_admins_page_search_takes_a_query_with_nothing_to_search(client, site, django_user_model, query):
    client.force_login(django_user_model.objects.create_superuser("editor", "editor@example.org", "x"))

    assert client.get("/admin/pages/search/", {"q": query}).status_code == 200


def test_a_draft_change_is_not_found(client, site):
    project = site["project"]
    project.title = "下書きだけの新しい題名"
    project.save_revision()

    assert result_urls(search(client, q="下書き")) == []


def test_title_hits_rank_above_body_hits(client, tree):
    body_only = make_article(
        tree.news,
        title="今年度の講座のお知らせ",
        slug="courses",
        lead="防災の講座、防災の訓練、防災の備えについて。防災について詳しく紹介します。",
    )
    in_title = make_article(
        tree.news, title="防災講座を開きました", slug="bosai", lead="ご参加ありがとうございました。"
    )

    assert result_urls(search(client, q="防災")) == [in_title.url, body_only.url]


def test_type_filter_shows_one_type_and_tabs_count_each(client, site):
    soup = search(client, q="猫", type="project")

    assert result_urls(soup) == [site["project"].url]
    tabs = {link.get_text(strip=True) for link in soup.select(".result-types a")}
    assert {"すべて", "プロジェクト(1)", "団体(1)", "イベント(0)", "お知らせ・活動レポート(0)"} == tabs
    assert soup.select_one('.result-types a[aria-current="page"]').get_text(strip=True) == "プロジェクト(1)"


@pytest.mark.parametrize("value", ["projects", "'; DROP TABLE x", "<b>", "", "project\x00", "x" * 500])
def test_an_unknown_type_searches_everything(client, site, value):
    soup = search(client, q="猫", type=value)
    assert {site["organization"].url, site["project"].url} <= set(result_urls(soup))


def test_a_title_hit_outranks_body_hits_even_with_a_long_body(client, tree):
    long_lead = "地域の皆さんと一緒に、まちの安全について考える講座を開いています。" * 30
    in_title = make_article(
        tree.news, title="地域の防災講座のご案内と今年度の予定", slug="bosai", lead=long_lead
    )
    body_only = make_article(tree.news, title="お知らせ", slug="short", lead="防災。" * 20)

    assert result_urls(search(client, q="防災")) == [in_title.url, body_only.url]


def test_a_latin_word_matches_whole_words_only(client, tree):
    make_article(tree.news, title="NPOs法律相談", slug="npos")
    npo = make_article(tree.news, title="NPO法人の設立", slug="npo")

    assert result_urls(search(client, q="npo法")) == [npo.url]
    assert result_urls(search(client, q="np")) == []


def test_result_count_and_pagination(client, tree):
    for number in range(12):
        make_article(tree.news, title=f"活動報告 第{number + 1}号", slug=f"report-{number}")

    first = search(client, q="活動報告")
    second = search(client, q="活動報告", page="2")

    assert "「活動報告」の検索結果:12件" in first.select_one(".result-count").get_text()
    assert len(result_urls(first)) == 10
    assert len(first.find(id="results").find_all("a")) == 10  # one link per hit
    assert len(result_urls(second)) == 2
    assert set(result_urls(first)).isdisjoint(result_urls(second))
    assert second.find(id="results").find("ol")["start"] == "11"


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1.5", "%00", "9" * 50])
def test_a_malformed_or_out_of_range_page_shows_a_page_of_results(client, tree, page):
    for number in range(12):
        make_article(tree.news, title=f"活動報告 第{number + 1}号", slug=f"report-{number}")

    assert result_urls(search(client, q="活動報告", page=page))


def test_the_words_found_are_marked_in_titles_and_excerpts(client, site):
    soup = search(client, q="経理")

    result = soup.select_one(".search-result")
    assert [mark.get_text() for mark in result.select(".search-result__title mark")] == ["経理"]
    assert "経理" in [mark.get_text() for mark in result.select(".search-result__text mark")]


def test_marks_follow_normalization_back_to_the_original_text(client, site):
    soup = search(client, q="facebook")

    assert "Facebook" in [mark.get_text() for mark in soup.select(".search-result__text mark")]


def test_marks_cover_whole_original_characters_and_whole_latin_words(client, tree):
    make_article(tree.news, title="ｶﾞｲﾄﾞブック", slug="guide", lead="Emailでの連絡と、AIの活用。猫猫猫猫猫")

    soup = search(client, q="ガイド ai")
    assert [mark.get_text() for mark in soup.select(".search-result__title mark")] == ["ｶﾞｲﾄﾞ"]
    assert [mark.get_text() for mark in soup.select(".search-result__text mark")] == ["AI"]
    marks = search(client, q="猫猫").select(".search-result__text mark")
    assert [mark.get_text() for mark in marks] == ["猫猫猫猫猫"]


def test_excerpts_show_rich_text_entities_as_characters(client, tree):
    make_organization(tree.organizations, description="<p>子ども&amp;家族の居場所づくり</p>")

    assert (
        search(client, q="居場所").select_one(".search-result__text").get_text()
        == "子ども&家族の居場所づくり"
    )


def test_an_excerpt_is_cut_around_the_word_in_a_long_text(client, tree):
    make_article(tree.news, title="長いお知らせ", slug="long", lead="あ" * 300 + "プロボノ" + "い" * 300)

    text = search(client, q="プロボノ").select_one(".search-result__text").get_text()

    assert "プロボノ" in text
    assert text.startswith("…") and text.endswith("…")
    assert len(text) < 140


def test_page_text_is_escaped_in_excerpts(client, tree):
    make_article(tree.news, title="お知らせ", slug="escaped", lead="猫<script>alert(1)</script>の話")

    results = search(client, q="猫").find(id="results")

    assert results.find("script") is None
    assert "alert(1)" in results.select_one(".search-result__text").get_text()


def test_empty_query_shows_the_search_page_without_results(client, site):
    soup = search(client, q="")

    assert soup.find(id="results") is None
    assert soup.select(".browse-nav a")


def test_no_results_offer_the_catalogs_facets_and_editors_keywords(client, site):
    promoted = Query.get("説明会")
    SearchPromotion.objects.create(query=promoted, page=site["event"], sort_order=0)

    soup = search(client, q="見つからない言葉")

    assert soup.find(id="results").find_all("a") == []
    assert "見つかりませんでした" in soup.find(id="results").get_text()
    assert len(soup.select(".search-suggestions .browse-nav a")) == 5
    assert [link.get_text() for link in soup.select(".keyword-list a")] == ["説明会"]


def test_editors_picks_appear_above_the_results(client, site):
    query = Query.get("npo")
    SearchPromotion.objects.create(
        query=query, page=site["about"], description="センターの案内です。", sort_order=0
    )
    SearchPromotion.objects.create(
        query=query,
        external_link_url="https://example.org/npo",
        external_link_text="NPOの基礎知識",
        sort_order=1,
    )

    soup = search(client, q="ＮＰＯ")

    picks = soup.select(".promotions .promotion__link")
    assert [link.get_text() for link in picks] == ["センターについて", "NPOの基礎知識"]
    assert soup.select_one(".promotions").find_next(id="results") is not None
    assert query.hits == 1


def test_a_pick_matches_the_query_in_any_kana_or_width(client, site):
    SearchPromotion.objects.create(query=Query.get("プロボノ"), page=site["about"], sort_order=0)

    picks = search(client, q="ぷろぼの").select(".promotions .promotion__link")

    assert [link.get_text() for link in picks] == ["センターについて"]


def test_a_search_that_finds_nothing_is_not_recorded(client, site):
    search(client, q="見つからない言葉")

    assert not Query.objects.filter(query_string="見つからない言葉").exists()


def test_a_pick_whose_page_is_unpublished_is_not_shown(client, site):
    SearchPromotion.objects.create(query=Query.get("案内"), page=site["about"], sort_order=0)
    site["about"].unpublish()

    assert search(client, q="案内").select(".promotions") == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"猫',
        "\x00",
        "'",
        "%",
        "%%",
        "_",
        "\\",
        "猫😺",
        "😺",
        "<script>alert(1)</script>",
        "<b>猫</b>",
        "' OR 1=1 --",
        "猫' OR '1'='1",
        "NEAR(猫 犬)",
        "猫 AND OR NOT",
        "猫*",
        "{title}: 猫",
        "経" * 1000,
        "  ",
        "\u200b",
    ],
)
def test_odd_queries_never_fail_and_are_escaped(client, site, query):
    response = client.get("/search/", {"q": query}, follow=True)

    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "<b>猫</b>" not in content


def test_query_is_cut_to_200_characters(client, tree):
    response = client.get("/search/", {"q": "あ" * 500})
    assert response.context["search_query"] == "あ" * 200


def test_the_catalog_search_uses_the_same_japanese_search(client, site):
    response = client.get("/projects/", {"q": "業務"})

    soup = BeautifulSoup(response.content, "html.parser")
    assert site["project"].url in [link["href"] for link in soup.find(id="results").find_all("a")]


def test_admin_autocomplete_reads_japanese_too(site):
    found = Page.objects.autocomplete("おうち")
    assert site["organization"].pk in [page.pk for page in found]


def test_a_page_of_results_costs_a_bounded_number_of_queries(client, tree):
    organization = make_organization(tree.organizations)
    for number in range(10):
        make_project(
            tree.projects, organization, title=f"経理の仕組みづくり{number}", slug=f"project-{number}"
        )
        make_article(tree.news, title=f"経理講座{number}", slug=f"article-{number}")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "経理"})

    assert response.status_code == 200
    assert len(result_urls(BeautifulSoup(response.content, "html.parser"))) == 10
    # 27 for the page itself (2 of them the footer's お問い合わせ and アクセス links), and 3 to read the
    # synonyms and the 「もしかして」 vocabulary into the cache, once after each content change.
    assert len(queries) <= 30, "\n".join(query["sql"][:160] for query in queries)
