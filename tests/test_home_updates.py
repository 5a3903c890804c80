"""The home page's 新着情報: articles, project progress entries and upcoming events, newest first, each with
its type, from live public pages only, in a fixed number of queries however many projects there are."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from home.updates import DEFAULT_LIMIT
from projects.models import EventPage
from tests.builders import TOKYO, make_article, make_event, make_organization, make_project

pytestmark = pytest.mark.django_db


def days_ago(days):
    # Read the date at each call, not at import: a suite that runs past midnight (JST) would otherwise
    # compare yesterday's dates with today's announcements.
    return timezone.localdate() - datetime.timedelta(days=days)


def dot(day):
    return f"{day.year:04d}.{day.month:02d}.{day.day:02d}"


def entry(day, title):
    return ("entry", {"date": day, "title": title, "body": RichText("")})


def tagged_article(news, slug, date, *tags, title=None):
    page = make_article(news, slug=slug, title=title or f"記事 {slug}", date=date)
    if tags:
        page.tags.add(*tags)
        page.save_revision().publish()
    return page


def announced_event(events, slug, announced_days_ago, starts_in_days, title=None):
    start = datetime.datetime.now(TOKYO).replace(microsecond=0) + datetime.timedelta(days=starts_in_days)
    event = make_event(events, slug=slug, title=title or f"イベント {slug}", starts_at=start)
    announced = timezone.now() - datetime.timedelta(days=announced_days_ago)
    EventPage.objects.filter(pk=event.pk).update(first_published_at=announced)
    return event


def home_soup(client):
    response = client.get("/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def stream(soup):
    return [
        (
            item.select_one(".updates__date").get_text(strip=True),
            item.select_one(".updates__label").get_text(strip=True),
            item.select_one(".updates__title").get_text(strip=True),
        )
        for item in soup.select(".updates__item")
    ]


@pytest.fixture
def organization(tree):
    return make_organization(tree.organizations)


def test_stream_merges_articles_progress_and_events_newest_first(client, tree, organization):
    tagged_article(tree.news, "report", days_ago(2), "イベント報告", title="報告会を開きました")
    tagged_article(tree.news, "notice", days_ago(10), "お知らせ", title="休館日のお知らせ")
    tagged_article(tree.news, "untagged", days_ago(30), title="センターだより")
    make_project(
        tree.projects,
        organization,
        title="経理業務の効率化",
        progress=[entry(days_ago(40), "キックオフ"), entry(days_ago(5), "帳票の見直し")],
    )
    announced_event(tree.events, "briefing", announced_days_ago=1, starts_in_days=20, title="募集説明会")

    assert stream(home_soup(client)) == [
        (dot(days_ago(1)), "イベント", "募集説明会"),
        (dot(days_ago(2)), "活動レポート", "報告会を開きました"),
        (dot(days_ago(5)), "進捗", "経理業務の効率化:帳票の見直し"),
        (dot(days_ago(10)), "お知らせ", "休館日のお知らせ"),
        (dot(days_ago(30)), "お知らせ", "センターだより"),
        (dot(days_ago(40)), "進捗", "経理業務の効率化:キックオフ"),
    ]


def test_drafts_private_pages_and_ended_events_stay_out(client, tree, organization):
    tagged_article(tree.news, "public", days_ago(3), title="公開の記事")
    make_article(tree.news, slug="draft", title="下書きの記事", date=days_ago(1)).unpublish()
    private_article = make_article(tree.news, slug="private", title="会員向けの記事", date=days_ago(1))
    PageViewRestriction.objects.create(page=private_article, restriction_type="login")
    private_project = make_project(
        tree.projects, organization, slug="private", progress=[entry(days_ago(1), "会員向けの進捗")]
    )
    PageViewRestriction.objects.create(page=private_project, restriction_type="login")
    project = make_project(
        tree.projects, organization, slug="public", progress=[entry(days_ago(4), "公開の進捗")]
    )
    # A new entry saved as a draft is not on the live page yet.
    project.progress = [
        *project.progress.raw_data,
        {"type": "entry", "value": {"date": str(days_ago(1)), "title": "未公開の進捗"}},
    ]
    project.save_revision()
    announced_event(tree.events, "ended", announced_days_ago=1, starts_in_days=-2)
    announced_event(tree.events, "draft-event", announced_days_ago=1, starts_in_days=5).unpublish()

    titles = [title for _date, _label, title in stream(home_soup(client))]

    assert titles == ["公開の記事", f"{project.title}:公開の進捗"]


def test_each_item_links_to_its_page_and_progress_to_the_projects_timeline(client, tree, organization):
    article = tagged_article(tree.news, "report", days_ago(2))
    project = make_project(tree.projects, organization, progress=[entry(days_ago(3), "納品")])
    event = announced_event(tree.events, "briefing", announced_days_ago=1, starts_in_days=20)

    soup = home_soup(client)
    links = [item.select_one(".updates__title a")["href"] for item in soup.select(".updates__item")]
    when = soup.select_one(".updates__item--event .updates__when").get_text(strip=True)

    assert links == [event.url, article.url, f"{project.url}#timeline-heading"]
    project_page = BeautifulSoup(client.get(project.url).content, "html.parser")
    assert project_page.find(id="timeline-heading") is not None
    start = event.starts_at.astimezone(TOKYO)
    assert when.startswith(f"開催日時{start.year}年{start.month}月{start.day}日")
    assert f"{start:%H:%M}" in when


def test_stream_holds_the_newest_items_only(client, tree):
    titles = [f"記事{n:02d}" for n in range(DEFAULT_LIMIT + 4)]
    for n, title in enumerate(titles):
        tagged_article(tree.news, f"a-{n}", days_ago(n), title=title)

    assert [title for _date, _label, title in stream(home_soup(client))] == titles[:DEFAULT_LIMIT]


def test_an_event_counts_from_its_announcement_not_its_start(client, tree):
    """An event announced long ago gives way to newer news, even when it starts next week; the home page's
    開催予定のイベント still shows it."""
    for n in range(DEFAULT_LIMIT):
        tagged_article(tree.news, f"a-{n}", days_ago(n))
    event = announced_event(
        tree.events, "old-news", announced_days_ago=60, starts_in_days=5, title="以前に告知した説明会"
    )

    soup = home_soup(client)

    assert "以前に告知した説明会" not in [title for _date, _label, title in stream(soup)]
    assert event.url in [link["href"] for link in soup.select(".event-card .card__link")]


def test_no_stream_section_when_there_is_nothing_to_show(client, tree):
    soup = home_soup(client)

    assert soup.find(id="updates-heading") is None


def count_queries(client):
    client.get("/")  # fills the menu cache and the site's root paths, as any earlier visit would
    with CaptureQueriesContext(connection) as queries:
        home_soup(client)
    return len(queries)


def test_stream_reads_as_many_queries_for_thirty_projects_as_for_three(
    client, tree, organization, django_assert_max_num_queries
):
    def add_projects(numbers):
        for n in numbers:
            make_project(
                tree.projects,
                organization,
                title=f"プロジェクト{n:02d}",
                slug=f"project-{n}",
                progress=[entry(days_ago(100 + n), "キックオフ"), entry(days_ago(3 + n), f"進捗{n:02d}")],
            )

    tagged_article(tree.news, "report", days_ago(1), title="報告")
    announced_event(tree.events, "briefing", announced_days_ago=2, starts_in_days=10, title="説明会")
    add_projects(range(3))
    with_three = count_queries(client)
    add_projects(range(3, 30))
    client.get("/")

    with django_assert_max_num_queries(with_three):
        soup = home_soup(client)

    titles = [title for _date, _label, title in stream(soup)]
    assert titles == [
        "報告",
        "説明会",
        *(f"プロジェクト{n:02d}:進捗{n:02d}" for n in range(DEFAULT_LIMIT - 2)),
    ]
