"""A small site for the open data tests: public, private (view-restricted) and draft records side by side,
values that test CSV quoting, and the open data page at /opendata/."""

import csv
import datetime
import io
import json
from dataclasses import dataclass

from django.core.management import call_command
from wagtail.models import PageViewRestriction

from projects.models import OpenDataPage, OrganizationPage, ProjectPage, Registration
from tests.builders import TOKYO, add_page, make_event, make_organization, make_project, make_terms

FILES = (
    "projects.csv",
    "project_progress.csv",
    "projects.json",
    "organizations.csv",
    "organizations.json",
    "events.csv",
    "events.json",
    "annual_results.csv",
    "annual_results.json",
)
MEETING_URL = "https://meet.example.com/secret-room-4711"
# Strings that must never leave the site in a file.
SECRETS = (
    MEETING_URL,
    "secret-room",
    "非公開の団体",
    "非公開プロジェクト",
    "下書きのプロジェクト",
    "山田 花子",
    "hanako@example.jp",
)


@dataclass
class OpenDataSite:
    tree: object
    page: OpenDataPage
    organization: OrganizationPage
    project: ProjectPage
    other_project: ProjectPage
    event: object
    online_event: object


def build_open_data_site(tree):
    terms = make_terms()
    organization = make_organization(
        tree.organizations,
        legal_form="任意団体",
        representative="八王子 太郎",
        postal_code="192-0083",
        address="八王子市旭町",
        website="https://cats.example.org/",
        area=terms["area"],
        founded_year=2008,
        description="<p>保護猫の譲渡会を開いています。</p>",
    )
    project = make_project(
        tree.projects,
        organization,
        title='経理業務の効率化, "会計" 編',
        summary="一行目\n二行目, カンマ入り",
        status="completed",
        started_on=datetime.date(2016, 12, 23),
        ended_on=datetime.date(2017, 3, 20),
        team_size=5,
        outcome="<p>月次決算が締まるようになりました。</p>",
        progress=[
            {
                "type": "entry",
                "value": {"date": "2017-01-10", "title": "キックオフ", "body": "<p>顔合わせ</p>"},
            },
            {
                "type": "entry",
                "value": {
                    "date": "2016-12-23",
                    "title": "相談",
                    "body": '<p>最初の相談, "ていねいに"</p>',
                    "link_url": "https://cats.example.org/blog/1",
                    "link_text": "団体のブログ",
                },
            },
        ],
    )
    project.categories.add(terms["category"])
    project.support_menus.add(terms["support"])
    project.areas.add(terms["area"])
    project.save_revision().publish()
    other_project = make_project(
        tree.projects,
        organization,
        slug="cat-homes-sns",
        title="SNS発信",
        status="in_progress",
        started_on=datetime.date(2017, 5, 1),
    )
    # A view-restricted organization and project, and a draft: none may appear anywhere.
    hidden_organization = make_organization(tree.organizations, slug="hidden", title="非公開の団体")
    PageViewRestriction.objects.create(
        page=hidden_organization, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    hidden_project = make_project(
        tree.projects,
        organization,
        slug="hidden-project",
        title="非公開プロジェクト",
        status="completed",
        started_on=datetime.date(2016, 6, 1),
        ended_on=datetime.date(2016, 9, 1),
    )
    PageViewRestriction.objects.create(
        page=hidden_project, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    draft = ProjectPage(
        slug="draft-project", title="下書きのプロジェクト", organization=organization, live=False
    )
    tree.projects.add_child(instance=draft)
    draft.save_revision()

    event = make_event(
        tree.events,
        venue="八王子市市民活動支援センター 会議室",
        address="東京都八王子市旭町",
        capacity=30,
        registration_enabled=True,
        registration_closes_at=datetime.datetime(2016, 9, 24, 17, 0, tzinfo=TOKYO),
        description="<p>プロボノの進め方を紹介します。</p>",
    )
    Registration.objects.create(
        event=event, name="山田 花子", name_kana="やまだ はなこ", email="hanako@example.jp"
    )
    online_event = make_event(
        tree.events,
        slug="online-briefing",
        title="オンライン説明会",
        starts_at=datetime.datetime(2016, 10, 1, 19, 0, tzinfo=TOKYO),
        online_url=MEETING_URL,
    )
    page = add_page(
        tree.home, OpenDataPage(title="オープンデータ", slug="opendata", intro="<p>自由に使えます。</p>")
    )
    return OpenDataSite(tree, page, organization, project, other_project, event, online_event)


def generate():
    out = io.StringIO()
    call_command("generate_open_data", stdout=out)
    return out.getvalue()


def csv_rows(response):
    """The rows of a CSV response (header first), after checking its BOM and CRLF line ends."""
    assert response.status_code == 200
    body = response.content
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8")[1:]
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    # Every row ends with CRLF; a line break inside a value stays a bare LF, inside quotes.
    assert text.count("\r\n") == len(rows)
    return rows


def records(response):
    assert response.status_code == 200
    return json.loads(response.content.decode("utf-8"))
