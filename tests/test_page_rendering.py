"""Every page type renders for an anonymous visitor with its fields visible."""

import datetime

import pytest
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from home.models import HomeFeaturedProject
from projects.models import FACETS_BY_KEY, EventRelatedProject, ProjectReportLink
from tests.builders import (
    TOKYO,
    make_article,
    make_event,
    make_organization,
    make_project,
    make_standard_page,
    make_terms,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def terms(db):
    return make_terms()


@pytest.fixture
def organization(tree, terms):
    return make_organization(
        tree.organizations,
        legal_form="任意団体",
        representative="大山 健三",
        postal_code="192-0083",
        address="東京都八王子市旭町12-1 ファルマ802ビル5階",
        website="https://example.org/cats/",
        founded_year=2012,
        area=terms["area"],
        description="<p>飼い主のいない猫を保護しています。</p>",
    )


@pytest.fixture
def project(tree, organization, terms):
    return make_project(
        tree.projects,
        organization,
        summary="記帳や帳票を見直して経理のルールを整える。",
        status="completed",
        started_on=datetime.date(2016, 12, 23),
        ended_on=datetime.date(2017, 3, 17),
        team_size=3,
        outcome="<p>整理した勘定科目を納品しました。</p>",
        body=[("paragraph", RichText("<p>ヒアリングを重ねて真の課題を探りました。</p>"))],
        progress=[
            ("entry", {"date": datetime.date(2017, 3, 17), "title": "納品完了", "body": RichText("")}),
            (
                "entry",
                {"date": datetime.date(2016, 12, 23), "title": "キックオフ", "body": RichText("<p>訪問</p>")},
            ),
        ],
        report_links=[ProjectReportLink(title="完了レポート", url="https://example.org/report")],
        **{FACETS_BY_KEY[key].field_name: [term] for key, term in terms.items()},
    )


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_page_shows_hero_and_featured_project(client, tree, project):
    tree.home.hero_title = "地域の課題に、仕事の力を。"
    tree.home.save()
    HomeFeaturedProject.objects.create(page=tree.home, project=project)

    page = html(client, "/")

    assert '<html lang="ja"' in page
    assert "地域の課題に、仕事の力を。" in page
    assert project.url in page


def test_organization_page_shows_basic_information_and_projects(client, organization, project):
    page = html(client, organization.url)

    profile = page.split('class="org-profile', 1)[1]
    expected = ("八王子猫のおうち探しの会", "任意団体", "大山 健三", "192-0083", "ファルマ802ビル5階", "2012")
    for text in expected:
        assert text in profile
    assert "https://example.org/cats/" in page
    assert project.url in page


def test_organization_index_lists_organizations(client, tree, organization):
    assert organization.url in html(client, tree.organizations.url)


def test_project_page_shows_status_timeline_outcome_and_facets(client, project, organization, terms):
    page = html(client, project.url)

    assert "経理業務の効率化" in page
    assert organization.url in page
    assert 'aria-current="step">完了' in page
    assert "納品完了" in page and "キックオフ" in page
    # The timeline runs oldest first whatever order the editor entered it in.
    assert page.index("キックオフ") < page.index("納品完了")
    assert "2017.03.17" in page  # 最終更新, from the latest progress entry
    assert "整理した勘定科目を納品しました。" in page
    assert "ヒアリングを重ねて真の課題を探りました。" in page
    assert "https://example.org/report" in page
    for term in terms.values():
        assert term.name in page


def test_project_index_lists_projects_in_results(client, tree, project):
    page = html(client, tree.projects.url)

    assert 'id="results"' in page
    assert project.url in page


def test_event_page_shows_japanese_date_and_venue(client, tree, project):
    event = make_event(
        tree.events,
        venue="クリエイトホール",
        address="東京都八王子市旭町12-1",
        capacity=20,
        starts_at=datetime.datetime(2016, 9, 25, 14, 0, tzinfo=TOKYO),
        ends_at=datetime.datetime(2016, 9, 25, 16, 0, tzinfo=TOKYO),
    )
    EventRelatedProject.objects.create(page=event, project=project)

    page = html(client, event.url)

    assert "2016年9月25日(日)" in page
    assert "クリエイトホール" in page
    assert "14:00" in page and "16:00" in page
    assert "東京都八王子市旭町12-1" in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert '<span class="kind-label">説明会</span>' in page
    assert project.url in page


def test_event_index_lists_upcoming_before_past(client, tree):
    past = make_event(tree.events)
    soon = datetime.datetime.now(TOKYO) + datetime.timedelta(days=10)
    upcoming = make_event(tree.events, title="次回の説明会", slug="next-briefing", starts_at=soon)

    page = html(client, tree.events.url)

    assert page.index(upcoming.url) < page.index(past.url)


def test_article_pages_render(client, tree):
    article = make_article(tree.news, lead="初年度の成果を報告しました。")
    article.tags.add("活動レポート")
    article.save()

    page = html(client, article.url)
    assert "成果報告会を開きました" in page
    assert "初年度の成果を報告しました。" in page
    assert "2017年3月25日" in page
    assert article.url in html(client, tree.news.url)


def test_standard_page_renders(client, tree):
    about = make_standard_page(tree.home, lead="市民活動の拠点です。")
    assert "市民活動の拠点です。" in html(client, about.url)


def test_draft_pages_are_not_served(client, tree, organization):
    draft = make_organization(tree.organizations, title="下書きの団体", slug="draft-org")
    draft.unpublish()

    assert client.get("/organizations/draft-org/").status_code == 404
    assert "下書きの団体" not in html(client, tree.organizations.url)


def test_unknown_url_gives_japanese_404(client, tree):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


@pytest.mark.parametrize("page_param", ["abc", "0", "-3", "9999", "1" * 400, "%00", "<script>"])
def test_listing_pagination_survives_bad_page_numbers(client, tree, organization, page_param):
    for number in range(13):
        make_project(tree.projects, organization, title=f"プロジェクト{number:02d}", slug=f"project-{number}")

    # Redirected once to a page that exists (home/pagination.py).
    response = client.get(tree.projects.url, {"page": page_param}, follow=True)

    assert response.status_code == 200 and len(response.redirect_chain) == 1
    results = response.content.decode().split('id="results"', 1)[1]
    # Non-numbers and numbers below 1 go to the first page (12 projects), out-of-range numbers to the last
    # (the 13th).
    expected_count = 1 if page_param.isdigit() and int(page_param) > 1 else 12
    assert results.count('href="/projects/project-') == expected_count


def test_menu_shows_a_newly_published_page_at_once(client, tree):
    assert "センターについて" not in html(client, "/")  # also fills the menu cache

    about = make_standard_page(tree.home, show_in_menus=True)
    assert f'href="{about.url}"' in html(client, "/")

    about.unpublish()
    assert f'href="{about.url}"' not in html(client, "/")


def test_private_featured_project_stays_off_the_home_page(client, tree, project):
    HomeFeaturedProject.objects.create(page=tree.home, project=project)
    PageViewRestriction.objects.create(page=project, restriction_type="login")

    assert project.url not in html(client, "/")


def test_menu_leaves_out_sections_that_do_not_exist(client, tree):
    tree.news.unpublish()

    page = html(client, "/")

    assert 'href="/projects/"' in page
    assert 'href="/news/"' not in page
