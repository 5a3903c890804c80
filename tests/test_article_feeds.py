"""The news feeds: RSS 2.0 at <index>/feed/ and Atom at <index>/feed/atom/, of live public articles only,
linked from the head of the home page, the index and every article."""

import datetime
import html
from email.utils import parsedate_to_datetime
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction, Site

from home.feeds import FEED_LENGTH
from tests.builders import TOKYO, make_article

pytestmark = pytest.mark.django_db

ATOM = {"atom": "http://www.w3.org/2005/Atom"}
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
SITE_URL = "http://testserver"  # PUBLIC_BASE_URL in the test settings


def get_feed(client, url, content_type, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, url
    assert response["Content-Type"] == f"{content_type}; charset=utf-8"
    return ElementTree.fromstring(response.content)


def get_rss(client, url="/news/feed/", params=None):
    root = get_feed(client, url, "application/rss+xml", params)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.find("channel")


def get_atom(client, url="/news/feed/atom/", params=None):
    root = get_feed(client, url, "application/atom+xml", params)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    return root


def rss_titles(channel):
    return [item.findtext("title") for item in channel.findall("item")]


def atom_titles(feed):
    return [entry.findtext("atom:title", namespaces=ATOM) for entry in feed.findall("atom:entry", ATOM)]


def start_of_day_in_tokyo(day):
    return datetime.datetime.combine(day, datetime.time(), tzinfo=TOKYO)


@pytest.fixture
def articles(tree):
    """Three live public articles, a draft and a private one, in the news index."""
    pages = {
        "report": make_article(
            tree.news,
            title="成果報告会を開きました",
            slug="report",
            date=datetime.date(2017, 3, 25),
            author="事務局 広報担当",
            lead="2つのプロジェクトが完了しました。<予告>と & も書けます。",
        ),
        "briefing": make_article(
            tree.news,
            title="説明会を開きます",
            slug="briefing",
            date=datetime.date(2016, 9, 1),
            author="事務局",
        ),
        "kickoff": make_article(
            tree.news, title="キックオフ", slug="kickoff", date=datetime.date(2016, 12, 20)
        ),
    }
    pages["report"].tags.add("活動レポート", "イベント報告")
    pages["report"].save_revision().publish()
    pages["briefing"].tags.add("お知らせ")
    pages["briefing"].save_revision().publish()
    draft = make_article(tree.news, title="下書きの記事", slug="draft", date=datetime.date(2017, 4, 1))
    draft.unpublish()
    private = make_article(tree.news, title="会員向けの記事", slug="private", date=datetime.date(2017, 4, 2))
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="members")
    return pages


NEWEST_FIRST = ["成果報告会を開きました", "キックオフ", "説明会を開きます"]


def test_rss_lists_live_public_articles_newest_first(client, articles):
    channel = get_rss(client)

    assert rss_titles(channel) == NEWEST_FIRST
    assert channel.findtext("link") == f"{SITE_URL}/news/"
    assert channel.findtext("language") == "ja"


def test_rss_items_carry_link_description_date_author_and_tags(client, articles):
    report = articles["report"]
    item = get_rss(client).find("item")

    assert item.findtext("link") == f"{SITE_URL}{report.url}"
    assert item.findtext("guid") == f"{SITE_URL}{report.url}"
    # The description is HTML to feed readers, so the plain-text lead arrives escaped once.
    assert item.findtext("description") == html.escape(report.lead)
    assert parsedate_to_datetime(item.findtext("pubDate")) == start_of_day_in_tokyo(report.date)
    assert item.findtext("pubDate").endswith("+0900")
    assert item.findtext(DC_CREATOR) == "事務局 広報担当"
    assert sorted(category.text for category in item.findall("category")) == ["イベント報告", "活動レポート"]


def test_an_article_without_byline_has_no_author_in_the_feeds(client, articles):
    kickoff_item = get_rss(client).findall("item")[1]
    kickoff_entry = get_atom(client).findall("atom:entry", ATOM)[1]

    assert kickoff_item.find(DC_CREATOR) is None
    assert kickoff_entry.find("atom:author", ATOM) is None


def test_atom_feed_has_the_same_articles(client, articles):
    report = articles["report"]
    feed = get_atom(client)
    entry = feed.find("atom:entry", ATOM)

    assert atom_titles(feed) == NEWEST_FIRST
    assert feed.find("atom:link[@rel='self']", ATOM).get("href") == f"{SITE_URL}/news/feed/atom/"
    assert feed.find("atom:link[@rel='alternate']", ATOM).get("href") == f"{SITE_URL}/news/"
    assert entry.find("atom:link", ATOM).get("href") == f"{SITE_URL}{report.url}"
    published = datetime.datetime.fromisoformat(entry.findtext("atom:published", namespaces=ATOM))
    assert published == start_of_day_in_tokyo(report.date)
    assert entry.findtext("atom:author/atom:name", namespaces=ATOM) == "事務局 広報担当"
    assert entry.findtext("atom:summary", namespaces=ATOM) == html.escape(report.lead)
    assert sorted(category.get("term") for category in entry.findall("atom:category", ATOM)) == [
        "イベント報告",
        "活動レポート",
    ]


def test_feeds_are_titled_with_the_site_name(client, articles):
    Site.objects.filter(is_default_site=True).update(site_name="市民活動センター(テスト)")

    assert get_rss(client).findtext("title") == "お知らせ | 市民活動センター(テスト)"
    assert get_atom(client).findtext("atom:title", namespaces=ATOM) == "お知らせ | 市民活動センター(テスト)"


def test_feeds_hold_the_latest_twenty(client, tree):
    first_day = datetime.date(2017, 1, 1)
    for n in range(FEED_LENGTH + 2):
        make_article(
            tree.news, title=f"記事{n:02d}", slug=f"a-{n}", date=first_day + datetime.timedelta(days=n)
        )

    newest_first = [f"記事{n:02d}" for n in reversed(range(2, FEED_LENGTH + 2))]
    assert rss_titles(get_rss(client)) == newest_first
    assert atom_titles(get_atom(client)) == newest_first


def test_feeds_read_a_fixed_number_of_queries(client, tree, django_assert_max_num_queries):
    for n in range(FEED_LENGTH + 5):
        page = make_article(
            tree.news, slug=f"a-{n}", date=datetime.date(2017, 1, 1) + datetime.timedelta(days=n)
        )
        page.tags.add("活動レポート", f"タグ{n}")
        page.save_revision().publish()
    client.get("/news/feed/")

    with django_assert_max_num_queries(10):
        channel = get_rss(client)

    assert len(channel.findall("item")) == FEED_LENGTH


def test_a_tag_narrows_the_feeds_and_an_unknown_one_is_ignored(client, articles):
    assert rss_titles(get_rss(client, params={"tag": "活動レポート"})) == ["成果報告会を開きました"]
    tagged = get_atom(client, params={"tag": "お知らせ"})
    assert atom_titles(tagged) == ["説明会を開きます"]
    assert "お知らせ" in tagged.findtext("atom:title", namespaces=ATOM)

    for value in ["", "no-such-tag", "<script>", "\x00", "' OR 1=1 --", "x" * 3000]:
        assert rss_titles(get_rss(client, params={"tag": value})) == NEWEST_FIRST


def test_feeds_follow_the_index_wherever_it_is(client, tree, articles):
    tree.news.slug = "topics"
    tree.news.save_revision().publish()
    report = articles["report"]
    report.refresh_from_db()

    channel = get_rss(client, "/topics/feed/")

    assert channel.findtext("link") == f"{SITE_URL}/topics/"
    assert channel.find("item").findtext("link") == f"{SITE_URL}/topics/report/"
    assert get_atom(client, "/topics/feed/atom/").find("atom:link[@rel='self']", ATOM).get("href") == (
        f"{SITE_URL}/topics/feed/atom/"
    )
    assert client.get("/news/feed/").status_code == 404


def test_no_feeds_for_an_unpublished_or_private_index(client, tree, articles):
    PageViewRestriction.objects.create(page=tree.news, restriction_type="login")
    for url in ["/news/feed/", "/news/feed/atom/"]:
        response = client.get(url)
        assert response.status_code != 200
        assert "成果報告会".encode() not in response.content

    tree.news.unpublish()
    assert client.get("/news/feed/").status_code == 404


def feed_links(client, url):
    head = BeautifulSoup(client.get(url).content, "html.parser").head
    return {link["type"]: link["href"] for link in head.find_all("link", rel="alternate")}


def test_home_index_and_articles_link_the_feeds_in_their_head(client, tree, articles):
    for url in ["/", tree.news.url, articles["report"].url]:
        links = feed_links(client, url)
        assert links == {"application/rss+xml": "/news/feed/", "application/atom+xml": "/news/feed/atom/"}, (
            url
        )

    get_rss(client, links["application/rss+xml"])
    get_atom(client, links["application/atom+xml"])


def test_home_page_links_no_feeds_without_a_live_news_index(client, tree):
    tree.news.unpublish()

    assert feed_links(client, "/") == {}
