"""An article page and the news index: byline, hero image, tags, related pages, the articles before and after,
and the index's tag filter, which survives any value a visitor or a stale link puts in `?tag=`."""

import datetime
import io
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction, Revision
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import ArticlePage, ArticleRelatedPage
from home.pagination import PER_PAGE
from tests.builders import TOKYO, make_article, make_event, make_image, make_organization, make_project
from tests.html import soup_of

pytestmark = pytest.mark.django_db

REPORT, NOTICE, EVENT_REPORT = "活動レポート", "お知らせ", "イベント報告"


def card_titles(soup):
    return [title.get_text(strip=True) for title in soup.select(".article-card .card__title")]


def article(news, slug, date, tags=(), **fields):
    page = make_article(news, slug=slug, title=fields.pop("title", f"記事 {slug}"), date=date, **fields)
    if tags:
        page.tags.add(*tags)
        page.save_revision().publish()
    return page


def make_private(page):
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="members")


# ---------- The article page ----------


def test_article_shows_its_date_byline_and_hero_image_with_the_editors_alt_text(client, tree):
    image = make_image("説明会の様子", size=(1600, 900), name="briefing.png")
    page = make_article(
        tree.news, author="事務局 広報担当", hero_image=image, hero_image_alt="会議室で話を聞く参加者たち"
    )

    header = soup_of(client, page.url).select_one("article .page-header")
    hero = soup_of(client, page.url).select_one(".hero-figure img")

    assert header.find("time")["datetime"] == page.date.isoformat()
    assert header.select_one(".page-header__byline").get_text(strip=True) == "執筆者:事務局 広報担当"
    assert hero["alt"] == "会議室で話を聞く参加者たち"
    # A rendition 1200 wide, its height in the original's proportions, so the page does not jump as it loads.
    assert hero["src"] != image.file.url
    assert int(hero["width"]) == 1200
    assert int(hero["height"]) == round(1200 * image.height / image.width)


def test_article_without_byline_or_image_shows_neither(client, tree):
    page = make_article(tree.news)

    soup = soup_of(client, page.url)

    assert soup.select_one(".page-header__byline") is None
    assert soup.select_one(".hero-figure") is None
    assert "執筆者" not in soup.get_text()


def test_tags_link_to_the_index_filtered_by_that_tag(client, tree):
    report = article(tree.news, "report", datetime.date(2017, 3, 25), tags=[REPORT, NOTICE])
    article(tree.news, "other-report", datetime.date(2017, 2, 1), tags=[REPORT])
    article(tree.news, "notice", datetime.date(2017, 1, 10), tags=[NOTICE])

    links = {
        link.get_text(strip=True): link["href"] for link in soup_of(client, report.url).select(".tag-list a")
    }

    assert set(links) == {REPORT, NOTICE}
    assert card_titles(soup_of(client, links[REPORT])) == ["記事 report", "記事 other-report"]
    assert card_titles(soup_of(client, links[NOTICE])) == ["記事 report", "記事 notice"]


def test_back_link_returns_to_the_index(client, tree):
    page = make_article(tree.news)

    back = soup_of(client, page.url).select_one(".back-link a")

    assert back["href"] == tree.news.url
    assert back.get_text(strip=True) == "お知らせ一覧へ戻る"


# ---------- Related projects and events ----------


@pytest.fixture
def related_candidates(tree):
    organization = make_organization(tree.organizations)
    soon = datetime.datetime.now(TOKYO).replace(microsecond=0) + datetime.timedelta(days=20)
    pages = {
        "project": make_project(tree.projects, organization, title="経理業務の効率化", slug="accounting"),
        "event": make_event(tree.events, title="成果報告会", slug="report-meeting", starts_at=soon),
        "draft": make_project(tree.projects, organization, title="下書きのプロジェクト", slug="draft"),
        "private": make_event(tree.events, title="会員限定の勉強会", slug="members-only"),
    }
    pages["draft"].unpublish()
    make_private(pages["private"])
    return pages


def relate(page, *related):
    page.related_pages = [
        ArticleRelatedPage(page=item, sort_order=index) for index, item in enumerate(related)
    ]
    page.save_revision().publish()


def related_items(soup):
    return [
        (item.select_one(".kind-label").get_text(strip=True), item.a.get_text(strip=True), item.a["href"])
        for item in soup.select(".related-pages__item")
    ]


def test_related_list_shows_live_public_pages_in_the_editors_order(client, tree, related_candidates):
    pages = related_candidates
    page = make_article(tree.news)
    relate(page, pages["event"], pages["draft"], pages["private"], pages["project"])

    soup = soup_of(client, page.url)

    assert soup.select_one(".related-pages h2").get_text(strip=True) == "関連するプロジェクト・イベント"
    assert related_items(soup) == [
        ("イベント", "成果報告会", pages["event"].url),
        ("プロジェクト", "経理業務の効率化", pages["project"].url),
    ]
    start = pages["event"].starts_at.astimezone(TOKYO)
    assert f"{start.month}月{start.day}日" in soup.select_one(".related-pages__meta").get_text()


def test_no_related_section_when_nothing_related_is_visible(client, tree, related_candidates):
    page = make_article(tree.news)
    relate(page, related_candidates["draft"], related_candidates["private"])

    assert soup_of(client, page.url).select_one(".related-pages") is None


def test_related_list_reads_the_same_number_of_queries_for_two_pages_or_six(client, tree):
    organization = make_organization(tree.organizations)
    projects = [
        make_project(tree.projects, organization, title=f"プロジェクト{n}", slug=f"project-{n}")
        for n in range(3)
    ]
    events = [
        make_event(
            tree.events,
            title=f"説明会{n}",
            slug=f"briefing-{n}",
            starts_at=datetime.datetime(2017, 1, n + 1, tzinfo=TOKYO),
        )
        for n in range(3)
    ]
    few = make_article(tree.news, slug="few")
    many = make_article(tree.news, slug="many")
    relate(few, projects[0], events[0])
    relate(many, *projects, *events)

    counts = {}
    for page in (few, many):
        client.get(page.url)  # the menu and the site's root paths are cached by the first request
        with CaptureQueriesContext(connection) as queries:
            soup = soup_of(client, page.url)
        counts[page.slug] = len(queries)
        assert len(related_items(soup)) == len(page.related_pages.all())

    assert counts["many"] == counts["few"]


# ---------- The articles before and after ----------


def pager_links(soup):
    return {
        link["rel"][0]: (link.select_one(".article-pager__label").get_text(strip=True), link["href"])
        for link in soup.select(".article-pager a")
    }


def test_previous_and_next_articles_by_date_then_creation_among_live_public_ones(client, tree):
    first = article(tree.news, "first", datetime.date(2017, 1, 10))
    draft = article(tree.news, "draft", datetime.date(2017, 1, 20))
    draft.unpublish()
    private = article(tree.news, "private", datetime.date(2017, 1, 25))
    make_private(private)
    # Two articles of one day follow each other in the order they were written, as on the index.
    morning = article(tree.news, "morning", datetime.date(2017, 2, 1))
    evening = article(tree.news, "evening", datetime.date(2017, 2, 1))

    assert pager_links(soup_of(client, first.url)) == {"next": ("次の記事", morning.url)}
    assert pager_links(soup_of(client, morning.url)) == {
        "prev": ("前の記事", first.url),
        "next": ("次の記事", evening.url),
    }
    assert pager_links(soup_of(client, evening.url)) == {"prev": ("前の記事", morning.url)}
    titles = [
        title.get_text(strip=True) for title in soup_of(client, morning.url).select(".article-pager__title")
    ]
    assert titles == [first.title, evening.title]


def test_index_order_agrees_with_previous_and_next(client, tree):
    for slug, day in [("b", 5), ("a", 5), ("c", 1), ("d", 9)]:
        article(tree.news, slug, datetime.date(2017, 4, day))
    listed = [link["href"] for link in soup_of(client, tree.news.url).select(".card__link")]

    # Walking 前の記事 from the newest article visits the index's list in order.
    walked = [listed[0]]
    while "prev" in (links := pager_links(soup_of(client, walked[-1]))):
        walked.append(links["prev"][1])

    assert walked == listed


# ---------- The index's tag filter ----------


@pytest.fixture
def tagged_articles(tree):
    pages = {
        "report": article(tree.news, "report", datetime.date(2017, 3, 25), tags=[REPORT, EVENT_REPORT]),
        "both": article(tree.news, "both", datetime.date(2017, 2, 1), tags=[REPORT, NOTICE]),
        "notice": article(tree.news, "notice", datetime.date(2017, 1, 10), tags=[NOTICE]),
        "untagged": article(tree.news, "untagged", datetime.date(2016, 12, 1)),
    }
    draft = article(tree.news, "draft", datetime.date(2017, 4, 1), tags=["下書きだけのタグ", REPORT])
    draft.unpublish()
    make_private(article(tree.news, "private", datetime.date(2017, 4, 2), tags=["会員向け", REPORT]))
    return pages


def filter_links(soup):
    return [
        (link.get_text(strip=True), link["href"], link.get("aria-current"))
        for link in soup.select(".tag-filter a")
    ]


def tag_url(news, name):
    return f"{news.url}?{urlencode({'tag': name})}"


def test_index_offers_the_tags_its_live_public_articles_use(client, tree, tagged_articles):
    soup = soup_of(client, tree.news.url)

    # Most used first, then by name; tags only drafts or private articles carry are not offered.
    assert filter_links(soup) == [
        ("すべて", tree.news.url, "page"),
        (f"{NOTICE}(2件)", tag_url(tree.news, NOTICE), None),
        (f"{REPORT}(2件)", tag_url(tree.news, REPORT), None),
        (f"{EVENT_REPORT}(1件)", tag_url(tree.news, EVENT_REPORT), None),
    ]
    assert soup.select_one(".result-count").get_text(strip=True) == "全4件"
    assert soup.select_one(".notice") is None


def test_filtering_by_a_tag_lists_its_articles_and_marks_it_current(client, tree, tagged_articles):
    soup = soup_of(client, tree.news.url, {"tag": NOTICE})

    assert card_titles(soup) == ["記事 both", "記事 notice"]
    assert soup.select_one(".result-count").get_text(strip=True) == f"「{NOTICE}」の記事 2件"
    current = soup.select(".tag-filter a[aria-current]")
    assert [link.get_text(strip=True) for link in current] == [f"{NOTICE}(2件)"]
    assert soup.select_one(".notice") is None


def test_a_repeated_tag_is_the_same_filter(client, tree, tagged_articles):
    response = client.get(f"{tree.news.url}?{urlencode([('tag', REPORT), ('tag', REPORT)])}")

    soup = BeautifulSoup(response.content, "html.parser")
    assert card_titles(soup) == ["記事 report", "記事 both"]
    assert soup.select_one(".notice") is None


@pytest.mark.parametrize(
    "query",
    [
        "tag=" + "a" * 5000,
        "tag=%00",
        "tag=%2500",
        "tag=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "tag=%27%20OR%201%3D1%20--",
        "tag=x%27%3B%20DROP%20TABLE%20taggit_tag%3B%20--",
        "tag=%FF%FE%E6%B4",  # not UTF-8
        "tag=%E4%B8%8B%E6%9B%B8%E3%81%8D%E3%81%A0%E3%81%91%E3%81%AE%E3%82%BF%E3%82%B0",  # 下書きだけのタグ
        "tag=%E4%BC%9A%E5%93%A1%E5%90%91%E3%81%91",  # 会員向け, only on a private article
        "tag=%E6%B4%BB%E5%8B%95%E3%83%AC%E3%83%9D%E3%83%BC%E3%83%88&tag=%E3%81%8A%E7%9F%A5%E3%82%89%E3%81%9B",
        "tag[]=x&tag=__proto__",
    ],
)
def test_unknown_or_hostile_tags_show_every_article_with_a_notice(client, tree, tagged_articles, query):
    response = client.get(f"{tree.news.url}?{query}")

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert card_titles(soup) == ["記事 report", "記事 both", "記事 notice", "記事 untagged"]
    assert soup.select_one(".result-count").get_text(strip=True) == "全4件"
    assert "すべての記事を表示しています" in soup.select_one(".notice").get_text()
    assert [link.get_text(strip=True) for link in soup.select(".tag-filter a[aria-current]")] == ["すべて"]
    assert b"<script>alert" not in response.content
    assert "下書きだけのタグ" not in soup.get_text() and "会員向け" not in soup.get_text()


@pytest.mark.parametrize("query", ["tag=", "tag=%20%20", "tag=&tag="])
def test_an_empty_tag_is_no_filter(client, tree, tagged_articles, query):
    response = client.get(f"{tree.news.url}?{query}", follow=True)
    soup = BeautifulSoup(response.content, "html.parser")

    assert response.redirect_chain == [(tree.news.url, 301)]  # to the list's own address
    assert len(card_titles(soup)) == 4
    assert soup.select_one(".notice") is None


def test_the_filter_is_kept_across_pages(client, tree):
    tagged = [
        article(
            tree.news, f"tagged-{n}", datetime.date(2017, 1, 1) + datetime.timedelta(days=n), tags=[REPORT]
        )
        for n in range(PER_PAGE + 2)
    ]
    article(tree.news, "newest-untagged", datetime.date(2018, 1, 1))

    first = soup_of(client, tree.news.url, {"tag": REPORT})
    next_link = first.select_one(".pagination a[rel=next]")["href"]
    second = soup_of(client, tree.news.url + next_link)

    assert len(card_titles(first)) == PER_PAGE
    assert card_titles(second) == [page.title for page in reversed(tagged[:2])]
    assert second.select_one(".result-count").get_text(strip=True) == f"「{REPORT}」の記事 {len(tagged)}件"


def test_index_reads_a_fixed_number_of_queries(client, tree, django_assert_max_num_queries):
    for n in range(PER_PAGE + 5):
        article(
            tree.news,
            f"a-{n}",
            datetime.date(2017, 1, 1) + datetime.timedelta(days=n),
            tags=[REPORT, f"t{n}"],
        )
    client.get(tree.news.url)

    with django_assert_max_num_queries(14):
        soup = soup_of(client, tree.news.url, {"tag": REPORT, "page": "2"})

    assert len(card_titles(soup)) == 5


# ---------- Editors ----------


def article_form(slug, **fields):
    return nested_form_data(
        {
            **fields,
            "title": "フィードについて",
            "slug": slug,
            "date": "2017-03-25",
            "author": "",
            "lead": "",
            "body": streamfield([("paragraph", rich_text("<p>本文</p>"))]),
            "tags": "",
            "related_pages": inline_formset([]),
            "action-publish": "公開",
        }
    )


def test_editors_cannot_give_an_article_the_feeds_address(admin_client, tree):
    url = reverse("wagtailadmin_pages:add", args=["home", "articlepage", tree.news.pk])

    refused = admin_client.post(url, article_form("feed"))
    accepted = admin_client.post(url, article_form("feed-guide"))

    assert refused.status_code == 200
    assert "お知らせのフィードのURLに使われている" in refused.content.decode()
    assert accepted.status_code == 302
    assert list(ArticlePage.objects.values_list("slug", flat=True)) == ["feed-guide"]


def test_a_hero_image_without_alt_text_is_refused_with_a_japanese_message(admin_client, tree):
    url = reverse("wagtailadmin_pages:add", args=["home", "articlepage", tree.news.pk])
    hero = make_image("説明会の様子", size=(1200, 800), name="briefing.png")

    refused = admin_client.post(url, article_form("no-alt", hero_image=hero.pk, hero_image_alt="  "))
    accepted = admin_client.post(
        url, article_form("with-alt", hero_image=hero.pk, hero_image_alt="説明会で話す講師")
    )

    assert refused.status_code == 200
    assert "メイン画像の代替テキストを入力してください。" in refused.content.decode()
    assert accepted.status_code == 302
    saved = ArticlePage.objects.values_list("slug", "hero_image_alt")
    assert list(saved) == [("with-alt", "説明会で話す講師")]


# ---------- The demo ----------


@pytest.mark.demo
def test_demo_articles_have_bylines_and_related_pages_and_reload_unchanged(client, db):
    revisions = Revision.objects.count()
    report = ArticlePage.objects.get(slug="report-meeting-2017")

    soup = soup_of(client, report.url)
    call_command("load_demo", stdout=io.StringIO())

    assert all(page.author.startswith("事務局") for page in ArticlePage.objects.all())
    assert soup.select_one(".page-header__byline").get_text(strip=True) == f"執筆者:{report.author}"
    assert related_items(soup) == [
        (item.page.specific.get_verbose_name(), item.page.title, item.page.url)
        for item in report.related_pages.all()
    ]
    assert len(related_items(soup)) == 3
    assert Revision.objects.count() == revisions
