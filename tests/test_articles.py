"""The news index's tag filter, which survives any value a visitor or a stale link puts in `?tag=`."""

import datetime
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from home.pagination import PER_PAGE
from tests.builders import make_article

pytestmark = pytest.mark.django_db

REPORT, NOTICE, EVENT_REPORT = "活動レポート", "お知らせ", "イベント報告"


def soup_of(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


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
    soup = BeautifulSoup(client.get(f"{tree.news.url}?{query}").content, "html.parser")

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
