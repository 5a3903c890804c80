"""The open data API's answers, field by field, against the pages built here; the project list filtered
exactly as the catalog page is; paging; the documentation page generated from the schema."""

import datetime
import json

import pytest
from wagtail.rich_text import RichText

from projects.models import Area, EventRelatedProject, ProjectReportLink
from tests.builders import TOKYO, make_event, make_organization, make_project, make_terms
from tests.html import get_catalog, parse, result_slugs

pytestmark = pytest.mark.django_db

# The event is upcoming whenever the suite runs.
FUTURE_YEAR = datetime.date.today().year + 3


def get_json(client, url, params=None, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, (url, response.content[:500])
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


@pytest.fixture
def written(tree):
    """A project, its organization and an event as editors write them, with every field filled in."""
    terms = make_terms()
    area = terms["area"]
    organization = make_organization(
        tree.organizations,
        legal_form="NPO法人",
        representative="猫山 ねこ",
        postal_code="192-0083",
        address="八王子市旭町",
        website="https://example.org/cats",
        area=area,
        founded_year=2012,
        description="<p><b>八王子周辺</b>で猫を保護。</p><ul><li>譲渡会</li></ul>",
    )
    project = make_project(
        tree.projects,
        organization,
        summary="記帳のルールを整える。",
        body=[
            ("heading", {"text": "背景", "level": "h2"}),
            ("paragraph", RichText("<p>記帳ノートを<i>一緒に</i>確認。</p>")),
        ],
        progress=[
            (
                "entry",
                {
                    "date": datetime.date(2017, 1, 25),
                    "title": "ヒアリング",
                    "body": RichText("<p>課題を<b>合意</b>。</p>"),
                    "link_url": "https://example.org/report",
                    "link_text": "報告",
                },
            ),
            ("entry", {"date": datetime.date(2016, 12, 23), "title": "キックオフ", "body": RichText("")}),
        ],
        status="completed",
        started_on=datetime.date(2016, 12, 23),
        ended_on=datetime.date(2017, 3, 10),
        team_size=3,
        outcome="<p>勘定科目を整理。</p>",
        problems=[terms["problem"]],
        categories=[terms["category"]],
        support_menus=[terms["support"]],
        areas=[area],
        programs=[terms["program"]],
        report_links=[ProjectReportLink(title="レポート", url="https://example.org/r/1", sort_order=0)],
    )
    event = make_event(
        tree.events,
        starts_at=datetime.datetime(FUTURE_YEAR, 3, 25, 14, 0, tzinfo=TOKYO),
        kind="report",
        venue="センター 会議室",
        address="八王子市旭町10-2",
        online_url="https://meet.example.jp/secret-room",
        capacity=30,
        registration_enabled=True,
        registration_closes_at=datetime.datetime(FUTURE_YEAR, 3, 20, 17, 0, tzinfo=TOKYO),
        description="<p>成果を報告します。</p>",
        slug="report-2030",
        related_projects=[EventRelatedProject(project=project, sort_order=0)],
    )
    return {"terms": terms, "organization": organization, "project": project, "event": event}


def test_a_project_field_by_field(client, written):
    project = written["project"]
    record = get_json(client, "/api/projects/cat-homes-accounting/")

    assert record == {
        "slug": "cat-homes-accounting",
        "title": "経理業務の効率化",
        "url": "http://testserver/projects/cat-homes-accounting/",
        "organization": {
            "slug": "hachioji-cat-homes",
            "name": "八王子猫のおうち探しの会",
            "url": "http://testserver/organizations/hachioji-cat-homes/",
        },
        "summary": "記帳のルールを整える。",
        "body": "背景\n\n記帳ノートを一緒に確認。",
        "status": {"value": "completed", "label": "完了"},
        "fiscal_year": 2016,
        "started_on": "2016-12-23",
        "ended_on": "2017-03-10",
        "team_size": 3,
        "outcome": "勘定科目を整理。",
        "facets": {
            "problem": [{"slug": "capacity-building", "name": "組織の基盤を整えたい"}],
            "category": [{"slug": "animals", "name": "動物との共生"}],
            "support": [{"slug": "accounting", "name": "経理改善"}],
            "area": [{"slug": "hachioji", "name": "八王子市"}],
            "program": [{"slug": "probono-hachioji", "name": "プロボノ@八王子"}],
        },
        "progress": [
            {"date": "2016-12-23", "title": "キックオフ", "text": "", "link": None},
            {
                "date": "2017-01-25",
                "title": "ヒアリング",
                "text": "課題を合意。",
                "link": {"title": "報告", "url": "https://example.org/report"},
            },
        ],
        "links": [{"title": "レポート", "url": "https://example.org/r/1"}],
        "updated_at": project.last_published_at.astimezone(TOKYO).isoformat(),
    }
    assert record["updated_at"].endswith("+09:00")
    assert get_json(client, "/api/projects/")["items"] == [record]


def test_an_organization_field_by_field(client, tree, written):
    record = get_json(client, "/api/organizations/hachioji-cat-homes/")

    assert record == {
        "slug": "hachioji-cat-homes",
        "name": "八王子猫のおうち探しの会",
        "url": "http://testserver/organizations/hachioji-cat-homes/",
        "legal_form": "NPO法人",
        "representative": "猫山 ねこ",
        "postal_code": "192-0083",
        "address": "八王子市旭町",
        "website": "https://example.org/cats",
        "area": {"slug": "hachioji", "name": "八王子市"},
        "founded_year": 2012,
        "description": "八王子周辺で猫を保護。\n\n譲渡会",
        "project_count": 1,
        "updated_at": written["organization"].last_published_at.astimezone(TOKYO).isoformat(),
    }
    assert get_json(client, "/api/organizations/")["items"] == [record]
    assert get_json(client, "/api/organizations/", {"area": "hachioji"})["count"] == 1
    make_organization(tree.organizations, title="別の団体", slug="other")
    assert [
        item["slug"] for item in get_json(client, "/api/organizations/", {"area": "hachioji"})["items"]
    ] == ["hachioji-cat-homes"]


def test_an_event_field_by_field(client, written):
    record = get_json(client, "/api/events/report-2030/")

    assert record == {
        "slug": "report-2030",
        "title": "プロボノワーカー募集説明会(第1回)",
        "url": "http://testserver/events/report-2030/",
        "kind": {"value": "report", "label": "成果報告会"},
        "starts_at": f"{FUTURE_YEAR}-03-25T14:00:00+09:00",
        "ends_at": f"{FUTURE_YEAR}-03-25T16:00:00+09:00",
        "venue": "センター 会議室",
        "address": "八王子市旭町10-2",
        "online": True,
        "capacity": 30,
        "registration": {
            "enabled": True,
            "opens_at": None,
            "closes_at": f"{FUTURE_YEAR}-03-20T17:00:00+09:00",
        },
        "description": "成果を報告します。",
        "projects": [
            {
                "slug": "cat-homes-accounting",
                "title": "経理業務の効率化",
                "url": "http://testserver/projects/cat-homes-accounting/",
            }
        ],
        "updated_at": written["event"].last_published_at.astimezone(TOKYO).isoformat(),
    }
    assert get_json(client, "/api/events/")["items"] == [record]
    assert get_json(client, "/api/events/", {"kind": "report"})["count"] == 1
    assert get_json(client, "/api/events/", {"kind": "briefing"})["count"] == 0
    assert get_json(client, "/api/events/", {"when": "past"})["count"] == 0


def test_upcoming_soonest_first_and_past_latest_first(client, tree):
    now = datetime.datetime.now(TOKYO)
    for days in (3, -3, 10, -10):
        make_event(tree.events, slug=f"event{days}", starts_at=now + datetime.timedelta(days=days))

    upcoming = [item["slug"] for item in get_json(client, "/api/events/")["items"]]
    past = [item["slug"] for item in get_json(client, "/api/events/", {"when": "past"})["items"]]

    assert upcoming == ["event3", "event10"]
    assert past == ["event-3", "event-10"]


def test_taxonomy_lists_the_five_facets_with_counts_of_visible_projects(client, catalog):
    answer = get_json(client, "/api/taxonomy/")

    assert [(facet["key"], facet["label"]) for facet in answer["facets"]] == [
        ("problem", "解決したい課題"),
        ("category", "カテゴリ"),
        ("support", "支援内容"),
        ("area", "地域"),
        ("program", "プログラム"),
    ]
    category = answer["facets"][1]
    assert category["terms"] == [
        {"slug": "children", "name": "子ども・子育て", "count": 2},
        {"slug": "animals", "name": "動物との共生", "count": 1},
        {"slug": "disability", "name": "障害のある人と家族", "count": 2},
    ]
    assert get_json(client, "/api/taxonomy/category/") == category

    catalog["cat-accounting"].unpublish()
    assert get_json(client, "/api/taxonomy/category/")["terms"][1]["count"] == 0


def test_annual_results_list_and_one_year(client, catalog):
    years = get_json(client, "/api/annual-results/")["items"]
    year_2016 = next(item for item in years if item["fiscal_year"] == 2016)

    assert year_2016 == {
        "fiscal_year": 2016,
        "label": "2016年度",
        "start": "2016-04-01",
        "end": "2017-03-31",
        "project_count": 2,
        "completed_count": 2,
        "in_progress_count": 0,
        "organization_count": 1,
    }
    assert [item["fiscal_year"] for item in years] == sorted(
        (item["fiscal_year"] for item in years), reverse=True
    )

    record = get_json(client, "/api/annual-results/2016/")
    assert {key: record[key] for key in year_2016} == year_2016
    assert record["breakdowns"] == {
        "support": [
            {"slug": "facebook", "name": "Facebook活用", "count": 1},
            {"slug": "accounting", "name": "経理改善", "count": 1},
        ],
        "area": [{"slug": "hachioji", "name": "八王子市", "count": 2}],
    }
    assert record["projects"] == [
        {
            "slug": "cat-accounting",
            "title": "経理業務の効率化",
            "url": "http://testserver/projects/cat-accounting/",
            "status": {"value": "completed", "label": "完了"},
        },
        {
            "slug": "facebook-page",
            "title": "Facebookページ",
            "url": "http://testserver/projects/facebook-page/",
            "status": {"value": "completed", "label": "完了"},
        },
    ]
    assert "この年度の実績はありません" in get_json(client, "/api/annual-results/2001/", status=404)["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "category=children&category=animals",
        "category=children&category=animals&support=accounting",
        "status=completed&status=recruiting",
        "year=2016",
        "year=2017&area=takao",
        "q=経理",
        "q=Facebook&sort=title",
        "sort=newest",
        "sort=title",
        "area=takao&area=hachioji&category=disability&sort=newest",
    ],
)
def test_filters_give_the_catalog_pages_projects_in_its_order(client, catalog, query):
    api = [item["slug"] for item in get_json(client, f"/api/projects/?{query}")["items"]]
    page = client.get(f"/projects/?{query}")
    cards = [link["href"].strip("/").split("/")[-1] for link in parse(page).select("#results .card__link")]

    assert api == cards
    assert sorted(api) == result_slugs(get_catalog(client, dict(_pairs(query))))


def _pairs(query):
    pairs = {}
    for pair in filter(None, query.split("&")):
        name, value = pair.split("=")
        pairs.setdefault(name, []).append(value)
    return pairs


def test_paging_with_next_and_previous_addresses(client, catalog):
    first = get_json(client, "/api/projects/", {"sort": "title", "limit": 3})
    assert first["count"] == 4 and len(first["items"]) == 3
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/projects/?sort=title&limit=3&offset=3"

    second = get_json(client, first["next"].removeprefix("http://testserver"))
    assert [item["slug"] for item in first["items"] + second["items"]] == [
        item["slug"] for item in get_json(client, "/api/projects/", {"sort": "title"})["items"]
    ]
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/projects/?sort=title&limit=3&offset=0"

    beyond = get_json(client, "/api/projects/", {"offset": 100000})
    assert beyond["items"] == [] and beyond["count"] == 4 and beyond["next"] is None


def test_repeated_and_reordered_facet_values_give_one_answer(client, catalog):
    one = client.get("/api/projects/?category=animals&category=children")
    other = client.get("/api/projects/?category=children&category=animals&category=children")
    assert one.content == other.content


def test_a_project_outside_the_catalog_or_unknown_is_404_in_japanese(client, catalog):
    answer = get_json(client, "/api/projects/no-such-project/", status=404)
    assert answer == {"detail": "指定されたデータは見つかりません。"}
    get_json(client, "/api/organizations/nobody/", status=404)
    get_json(client, "/api/events/nothing/", status=404)
    get_json(client, "/api/taxonomy/colours/", status=404)


def test_organization_filter_by_area(client, tree):
    hachioji = Area.objects.create(name="八王子市", slug="hachioji")
    make_organization(tree.organizations, slug="a", title="あ", area=hachioji)
    make_organization(tree.organizations, slug="b", title="い")

    assert [item["slug"] for item in get_json(client, "/api/organizations/")["items"]] == ["a", "b"]
    assert [item["slug"] for item in get_json(client, "/api/organizations/?area=hachioji")["items"]] == ["a"]


def test_documentation_page_lists_every_endpoint_and_parameter_from_the_schema(client, catalog):
    schema = get_json(client, "/api/schema/")
    response = client.get("/api/")
    assert response.status_code == 200
    page = parse(response)
    text = page.get_text()

    assert page.find("h1").get_text() == "オープンデータAPI"
    assert page.select_one(".site-header") and page.select_one(".site-footer")
    for path, operations in schema["paths"].items():
        operation = operations["get"]
        heading = page.find(id=operation["operationId"])
        assert heading is not None and path in heading.get_text()
        section = heading.find_parent("section")
        for parameter in operation.get("parameters", []):
            row = next(
                row
                for row in section.select("tbody tr")
                if row.find("th").get_text().startswith(parameter["name"])
            )
            assert parameter["description"] in row.get_text()
        assert section.find(string=lambda string: "例" in string)
    for section in ("ページ分け", "年度", "利用回数の制限", "条件付きリクエスト", "CORS", "ライセンス"):
        assert section in text
    assert page.find("a", href="/opendata/")
    # Nothing from another site: every script, stylesheet and font is the site's own.
    for element in page.find_all(["script", "link"]):
        address = element.get("src") or element.get("href") or ""
        assert not address.startswith(("http:", "https:", "//")) or address.startswith("http://testserver")
