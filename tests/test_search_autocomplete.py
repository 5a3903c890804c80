"""Suggestions as you type (/search/suggest/?q=…): titles of the pages a visitor may see and the catalog's
facet terms, whatever the width, kana or case typed, never a private or draft page, and never a failure
whatever arrives in `q`."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from projects.models import FACETS, Category, Program
from tests.builders import make_article, make_event, make_project, make_standard_page

pytestmark = pytest.mark.django_db

SUGGEST_URL = "/search/suggest/"


@pytest.fixture
def site(tree, catalog):
    """The catalog fixture's four projects and their organization, an event, an article, a standard page,
    and a project in the プロボノ@八王子 program."""
    program = Program.objects.create(name="プロボノ@八王子", slug="probono-hachioji")
    organization = catalog["cat-accounting"].organization
    catalog["website"] = make_project(
        tree.projects, organization, title="ホームページの改善", slug="website", programs=[program]
    )
    return {
        **catalog,
        "organization": organization,
        "event": make_event(tree.events),
        "article": make_article(tree.news, title="カタツムリ通信 第1号", slug="katatsumuri-news"),
        "about": make_standard_page(tree.home),
    }


def suggest(client, query):
    response = client.get(SUGGEST_URL, {"q": query})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def labels(client, query):
    return [item["label"] for item in suggest(client, query)["suggestions"]]


def by_label(client, query):
    return {item["label"]: item for item in suggest(client, query)["suggestions"]}


def test_a_title_is_suggested_from_its_first_characters(client, site):
    answer = suggest(client, "経理業")

    assert answer["query"] == "経理業"
    assert answer["suggestions"] == [
        {"label": "経理業務の効率化", "kind": "プロジェクト", "url": site["cat-accounting"].url}
    ]


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("face", "Facebookページ"),  # a Latin word's beginning
        ("ＦＡＣＥ", "Facebookページ"),  # full-width, upper case
        ("ﾎｰﾑﾍﾟ", "ホームページの改善"),  # half-width katakana
        ("ほーむぺ", "ホームページの改善"),  # hiragana for katakana
        ("かたつむり", "カタツムリ通信 第1号"),
        ("おうち探", "八王子猫のおうち探しの会"),  # a word inside the title
        ("説明会", "プロボノワーカー募集説明会(第1回)"),
        ("センター", "センターについて"),
    ],
)
def test_titles_are_found_however_they_are_typed(client, site, query, label):
    assert label in labels(client, query)


def test_each_suggestion_says_what_it_is_and_where_it_leads(client, site):
    suggestions = by_label(client, "八王子")

    assert suggestions["八王子猫のおうち探しの会"]["kind"] == "団体"
    assert suggestions["八王子猫のおうち探しの会"]["url"] == site["organization"].url
    assert suggestions["八王子市"] == {"label": "八王子市", "kind": "地域", "url": "/projects/area/hachioji/"}
    assert suggestions["プロボノ@八王子"] == {
        "label": "プロボノ@八王子",
        "kind": "プログラム",
        "url": "/projects/program/probono-hachioji/",
    }
    assert by_label(client, "説明")["プロボノワーカー募集説明会(第1回)"]["kind"] == "イベント"
    assert by_label(client, "カタツムリ")["カタツムリ通信 第1号"]["kind"] == "お知らせ・活動レポート"
    assert by_label(client, "センター")["センターについて"]["kind"] == "ページ"


@pytest.mark.parametrize(
    ("query", "label", "url"),
    [
        ("経理", "経理改善", "/projects/support/accounting/"),
        ("子育て", "子ども・子育て", "/projects/category/children/"),  # inside the name
        ("ｆａｃｅｂｏｏｋ", "Facebook活用", "/projects/support/facebook/"),
        ("ぷろぼの", "プロボノ@八王子", "/projects/program/probono-hachioji/"),
        ("高尾 浅川", "高尾・浅川", "/projects/area/takao/"),  # every word typed
    ],
)
def test_facet_terms_lead_to_their_projects(client, site, query, label, url):
    suggestion = by_label(client, query)[label]

    assert suggestion["url"] == url
    assert client.get(url).status_code == 200


def terms_offered(client, query):
    facet_labels = {facet.label for facet in FACETS}
    return [item["label"] for item in suggest(client, query)["suggestions"] if item["kind"] in facet_labels]


def carry_new_category(project, name, slug):
    """A category with that name, carried by the project (published), so the catalog offers it."""
    project.categories.add(Category.objects.create(name=name, slug=slug))
    project.save_revision().publish()


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("ぼうさい", "防災・地域の安全"),  # a reading typed in kana
        ("ボウサイ", "防災・地域の安全"),
        ("子供", "子ども・子育て"),  # another spelling
        ("こそだて", "子ども・子育て"),
        ("こども", "子ども・子育て"),
        ("ちいきのあん", "防災・地域の安全"),  # the word being typed is a prefix
    ],
)
def test_facet_terms_are_found_as_search_finds_them(client, site, query, label):
    carry_new_category(site["takao-sns"], "防災・地域の安全", "safety")

    assert label in terms_offered(client, query)


@pytest.mark.parametrize("query", ["ぼうはん", "子ども 防犯", "大人", "ぼうさい 子供"])
def test_a_word_not_in_a_term_name_offers_nothing(client, site, query):
    carry_new_category(site["takao-sns"], "防災・地域の安全", "safety")

    assert terms_offered(client, query) == []


def test_a_term_whose_name_starts_with_the_query_comes_first(client, site):
    Category.objects.create(name="まちの子育て", slug="town-children")
    site["takao-sns"].categories.add(Category.objects.get(slug="town-children"))
    site["takao-sns"].save_revision().publish()

    terms = [item["label"] for item in suggest(client, "子")["suggestions"] if item["kind"] == "カテゴリ"]

    assert terms == ["子ども・子育て", "まちの子育て"]


def test_a_term_no_visible_project_carries_is_not_suggested(client, tree, site):
    Category.objects.create(name="まちづくり", slug="town")
    draft_only = Category.objects.create(name="まちの防災", slug="bosai")
    project = make_project(
        tree.projects, site["organization"], title="防災訓練", slug="bosai", categories=[draft_only]
    )
    project.unpublish()

    assert [item for item in suggest(client, "まち")["suggestions"] if item["kind"] == "カテゴリ"] == []


def test_a_draft_or_unpublished_page_is_never_suggested(client, site):
    project = site["cat-accounting"]
    project.title = "下書きだけの新しい題名"
    project.save_revision()
    site["about"].unpublish()

    assert labels(client, "下書き") == []
    assert "経理業務の効率化" in labels(client, "経理業")
    assert labels(client, "センター") == []


def test_a_view_restricted_page_and_its_children_are_never_suggested(client, tree, site):
    members = make_standard_page(tree.home, title="会員のページ", slug="members")
    make_standard_page(members, title="会員向けの資料", slug="papers")
    PageViewRestriction.objects.create(
        page=members, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )

    assert labels(client, "会員") == []


def test_at_most_eight_suggestions_and_terms_keep_their_places(client, tree, site):
    for number in range(12):
        make_article(tree.news, title=f"八王子だより 第{number + 1}号", slug=f"dayori-{number}")

    suggestions = suggest(client, "八王子")["suggestions"]

    assert len(suggestions) == 8
    kinds = [item["kind"] for item in suggestions]
    assert kinds.count("地域") == 1 and kinds.count("プログラム") == 1
    assert len({item["url"] for item in suggestions}) == 8


def test_the_answer_is_private_to_the_visitor_and_not_indexed(client, site):
    response = client.get(SUGGEST_URL, {"q": "経理"})

    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "max-age=60" in cache_control
    assert "public" not in cache_control
    assert response["X-Robots-Tag"] == "noindex"
    assert not response.cookies


def test_only_get_is_answered(client, site):
    assert client.post(SUGGEST_URL, {"q": "経理"}).status_code == 405


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "\u3000",
        "\u200b",
        "\x00",
        "\x00経理",
        '"',
        '"経理',
        "'",
        "%",
        "_",
        "\\",
        "*",
        "!?。、…",
        "😺",
        "経理😺",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "経理' OR '1'='1",
        "経理; DROP TABLE wagtailcore_page; --",
        "NEAR(経理 改善)",
        "経理 AND OR NOT",
        "{title}: 経理",
        "経" * 10_000,
        "a" * 10_000,
    ],
)
def test_odd_queries_never_fail(client, site, query):
    answer = suggest(client, query)

    assert isinstance(answer["suggestions"], list)
    assert len(answer["suggestions"]) <= 8
    assert len(answer["query"]) <= 200
    assert all(set(item) == {"label", "kind", "url"} for item in answer["suggestions"])


@pytest.mark.parametrize(
    ("query", "cleaned"),
    [("", ""), ("   ", ""), ("\x00", ""), ('"', ""), ("!?。、…", "!?。、…"), ("😺", "😺"), ("*", "*")],
)
def test_nothing_to_search_suggests_nothing(client, site, query, cleaned):
    assert suggest(client, query) == {"query": cleaned, "suggestions": []}


def test_a_missing_or_repeated_parameter_is_answered(client, site):
    assert client.get(SUGGEST_URL).json() == {"query": "", "suggestions": []}
    assert "経理業務の効率化" in [
        item["label"] for item in client.get(f"{SUGGEST_URL}?q=zzz&q=経理業").json()["suggestions"]
    ]


def test_a_query_is_cut_to_200_characters(client, site):
    assert suggest(client, "経" * 10_000)["query"] == "経" * 200


def test_the_markup_of_a_title_is_text_in_the_json(client, tree, site):
    make_article(tree.news, title="<b>太字</b>の話", slug="bold")

    body = client.get(SUGGEST_URL, {"q": "太字"}).content.decode()

    assert json.loads(body)["suggestions"][0]["label"] == "<b>太字</b>の話"


def queries_for(client, query):
    with CaptureQueriesContext(connection) as captured:
        suggest(client, query)
    return len(captured)


def test_the_number_of_sql_queries_does_not_grow_with_the_suggestions(client, tree, site):
    suggest(client, "八王子")  # Django's ContentType cache lives as long as the process: fill it first
    cache.clear()
    few_cold = queries_for(client, "八王子")
    few_warm = queries_for(client, "八王子")

    for number in range(4):
        make_article(tree.news, title=f"八王子だより 第{number + 1}号", slug=f"dayori-{number}")
    make_event(
        tree.events,
        title="八王子の説明会",
        slug="hachioji-briefing",
        starts_at=datetime.datetime(2017, 5, 1, tzinfo=datetime.UTC),
    )
    make_standard_page(tree.home, title="八王子へのアクセス", slug="access")
    assert len(suggest(client, "八王子")["suggestions"]) == 8
    cache.clear()

    assert queries_for(client, "八王子") == few_cold
    assert queries_for(client, "八王子") == few_warm
    # Cold, the synonyms and the 読み仮名辞書 (the terms' readings follow it) are read once each too.
    assert few_warm < few_cold <= 11


def test_finding_terms_by_their_forms_adds_no_sql_queries(client, site):
    carry_new_category(site["takao-sns"], "防災・地域の安全", "safety")
    suggest(client, "ぼうさい")  # as above
    cache.clear()
    one_cold = queries_for(client, "ぼうさい")
    one_warm = queries_for(client, "ぼうさい")

    for number, name in enumerate(["防災訓練", "地域の防災", "防災グッズ"]):
        carry_new_category(site["takao-sns"], name, f"safety-{number}")
    assert len(terms_offered(client, "ぼうさい")) == 4
    cache.clear()

    assert queries_for(client, "ぼうさい") == one_cold
    assert queries_for(client, "ぼうさい") == one_warm
    assert queries_for(client, "子供") == one_warm
