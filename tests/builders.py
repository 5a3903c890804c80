"""Small builders for the page tree, so each test states only the fields it cares about."""

import datetime
from dataclasses import dataclass

from wagtail.models import Site

from home.models import ArticleIndexPage, ArticlePage, HomePage, StandardPage
from projects.models import (
    Area,
    Category,
    EventIndexPage,
    EventPage,
    OrganizationIndexPage,
    OrganizationPage,
    Problem,
    Program,
    ProjectIndexPage,
    ProjectPage,
    SupportMenu,
)

TOKYO = datetime.timezone(datetime.timedelta(hours=9))


def home_page():
    return Site.objects.get(is_default_site=True).root_page.specific


def add_page(parent, page):
    """Add `page` under `parent` and publish it through a revision, as an editor would."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_organization(index, **fields):
    fields.setdefault("title", "八王子猫のおうち探しの会")
    fields.setdefault("slug", "hachioji-cat-homes")
    return add_page(index, OrganizationPage(**fields))


def make_project(index, organization, **fields):
    fields.setdefault("title", "経理業務の効率化")
    fields.setdefault("slug", "cat-homes-accounting")
    fields.setdefault("status", "in_progress")
    return add_page(index, ProjectPage(organization=organization, **fields))


def make_event(index, **fields):
    start = fields.pop("starts_at", datetime.datetime(2016, 9, 25, 14, 0, tzinfo=TOKYO))
    fields.setdefault("title", "プロボノワーカー募集説明会(第1回)")
    fields.setdefault("slug", "briefing-2016-09-25")
    fields.setdefault("ends_at", start + datetime.timedelta(hours=2))
    return add_page(index, EventPage(starts_at=start, **fields))


@dataclass
class CatalogTree:
    home: HomePage
    organizations: OrganizationIndexPage
    projects: ProjectIndexPage
    events: EventIndexPage
    news: ArticleIndexPage


def build_catalog_tree():
    home = home_page()
    return CatalogTree(
        home=home,
        organizations=add_page(home, OrganizationIndexPage(title="団体一覧", slug="organizations")),
        projects=add_page(home, ProjectIndexPage(title="プロジェクト一覧", slug="projects")),
        events=add_page(home, EventIndexPage(title="イベント", slug="events")),
        news=add_page(home, ArticleIndexPage(title="お知らせ", slug="news")),
    )


def make_terms():
    """One term of each facet, as the seed's first project uses them."""
    return {
        "problem": Problem.objects.create(name="組織の基盤を整えたい", slug="capacity-building"),
        "category": Category.objects.create(name="動物との共生", slug="animals"),
        "support": SupportMenu.objects.create(name="経理改善", slug="accounting"),
        "area": Area.objects.create(name="八王子市", slug="hachioji"),
        "program": Program.objects.create(name="プロボノ@八王子", slug="probono-hachioji"),
    }


def make_article(index, **fields):
    fields.setdefault("title", "成果報告会を開きました")
    fields.setdefault("slug", "report-meeting-2017")
    fields.setdefault("date", datetime.date(2017, 3, 25))
    return add_page(index, ArticlePage(**fields))


def make_standard_page(parent, **fields):
    fields.setdefault("title", "センターについて")
    fields.setdefault("slug", "about")
    return add_page(parent, StandardPage(**fields))
