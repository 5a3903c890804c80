"""`manage.py export_catalog`: the import format byte for byte, images copied beside the file, and a
round trip through an empty database that gives the same file again."""

import datetime
import json
from io import StringIO

import pytest
from django.core.files.images import ImageFile
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import RichText

from projects.models import (
    FACETS,
    Category,
    EventIndexPage,
    EventPage,
    EventRelatedProject,
    OrganizationIndexPage,
    OrganizationPage,
    ProjectIndexPage,
    ProjectPage,
    ProjectReportLink,
)
from tests.builders import make_event, make_organization, make_project, make_terms
from tests.catalog_files import EXAMPLE_PATH, example, import_file, write_catalog, write_png

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def export_to_stdout():
    stdout = StringIO()
    call_command("export_catalog", stdout=stdout, stderr=StringIO())
    return stdout.getvalue()


def export_to_file(path):
    call_command("export_catalog", str(path), stdout=StringIO(), stderr=StringIO())
    return path.read_text(encoding="utf-8")


def image_files(folder):
    return {path.name: path.read_bytes() for path in sorted((folder / "images").glob("*"))}


def make_image(path, title, color):
    write_png(path, color)
    with path.open("rb") as file:
        return get_image_model().objects.create(title=title, file=ImageFile(file, name=path.name))


def empty_the_catalog():
    """Delete every catalog page, term and image, as on a site that never had a catalog."""
    # Projects go before organizations: a project protects its organization from deletion.
    for index_model in (EventIndexPage, ProjectIndexPage, OrganizationIndexPage):
        for index in index_model.objects.all():
            index.delete()
    for facet in FACETS:
        facet.model.objects.all().delete()
    get_image_model().objects.all().delete()
    assert not Page.objects.type(OrganizationPage, ProjectPage, EventPage).exists()


@pytest.fixture
def admin_written_catalog(tree, tmp_path):
    """Catalog content as editors write it in the admin: formatting, headings, quotes, images, drafts."""
    terms = make_terms()
    Category.objects.create(name="子ども・子育て", slug="children", description="子育て支援の団体")
    logo = make_image(tmp_path / "uploads" / "logo.png", "八王子猫のおうち探しの会 ロゴ", (200, 40, 40))
    photo = make_image(tmp_path / "uploads" / "cafe.png", "はちねこ!カフェ", (40, 40, 200))
    organization = make_organization(
        tree.organizations,
        description="<p><b>八王子周辺</b>で猫を保護。</p><h3>活動場所</h3><ul><li>はちねこ!カフェ</li><li>譲渡会</li></ul>",
        logo=logo,
        area=terms["area"],
        founded_year=2012,
        postal_code="192-0083",
        website="https://example.org/",
    )
    project = make_project(
        tree.projects,
        organization,
        summary="記帳や帳票の実物を確かめながら、ルールを整える。",
        body=[
            ("heading", {"text": "背景", "level": "h2"}),
            ("paragraph", RichText("<p>記帳ノートを<i>一緒に</i>確認。<br/>課題を整理。</p>")),
            ("quote", {"text": "助かりました。", "attribution": "団体の方"}),
            ("image", {"image": photo, "caption": "カフェ", "alt_text": ""}),
        ],
        progress=[
            (
                "entry",
                {
                    "date": datetime.date(2017, 1, 25),
                    "title": "課題の深掘りヒアリング",
                    "body": RichText("<p>課題と方策を<b>合意</b>。</p>"),
                    "image": photo,
                    "link_url": "https://example.org/report",
                    "link_text": "報告",
                },
            ),
            ("entry", {"date": datetime.date(2016, 12, 23), "title": "キックオフ", "body": RichText("")}),
        ],
        image=photo,
        started_on=datetime.date(2016, 12, 23),
        team_size=3,
        outcome="<p>勘定科目を整理。</p>",
        categories=[terms["category"], Category.objects.get(slug="children")],
        support_menus=[terms["support"]],
        report_links=[ProjectReportLink(title="レポート", url="https://example.org/r/1", sort_order=0)],
    )
    draft = make_project(tree.projects, organization, title="下書き", slug="draft-project")
    draft.unpublish()
    make_event(
        tree.events,
        starts_at=datetime.datetime(2017, 3, 25, 5, 0, tzinfo=datetime.UTC),
        description="<p>成果を報告します。</p>",
        related_projects=[
            EventRelatedProject(project=project, sort_order=0),
            EventRelatedProject(project=draft, sort_order=1),
        ],
    )


def test_export_of_the_imported_example_is_the_example_byte_for_byte():
    import_file(EXAMPLE_PATH)

    assert export_to_stdout() == EXAMPLE_PATH.read_text(encoding="utf-8")


def test_round_trip_through_an_empty_database_gives_the_same_file(admin_written_catalog, tmp_path):
    first = export_to_file(tmp_path / "first" / "catalog.json")
    empty_the_catalog()

    import_file(tmp_path / "first" / "catalog.json")
    second = export_to_file(tmp_path / "second" / "catalog.json")

    assert second == first
    assert image_files(tmp_path / "second") == image_files(tmp_path / "first")
    assert len(image_files(tmp_path / "first")) == 2


def test_rich_text_and_body_blocks_are_exported_as_plain_text(admin_written_catalog):
    data = json.loads(export_to_stdout())

    organization = data["organizations"][0]
    assert organization["description"] == "八王子周辺で猫を保護。\n\n活動場所\n\nはちねこ!カフェ\n\n譲渡会"
    project = data["projects"][0]
    assert project["body"] == "背景\n\n記帳ノートを一緒に確認。\n課題を整理。\n\n助かりました。"
    assert project["progress"][0] == {
        "date": "2017-01-25",
        "title": "課題の深掘りヒアリング",
        "body": "課題と方策を合意。",
        "link": {"title": "報告", "url": "https://example.org/report"},
    }


def test_only_live_pages_are_exported(admin_written_catalog):
    data = json.loads(export_to_stdout())

    assert [project["slug"] for project in data["projects"]] == ["cat-homes-accounting"]
    assert data["events"][0]["projects"] == ["cat-homes-accounting"]


def test_pages_are_exported_in_tree_order(tree):
    organization = make_organization(tree.organizations)
    make_project(tree.projects, organization, title="B プロジェクト", slug="b-project")
    make_project(tree.projects, organization, title="A プロジェクト", slug="a-project")

    data = json.loads(export_to_stdout())

    assert [project["slug"] for project in data["projects"]] == ["b-project", "a-project"]


def test_terms_are_exported_in_sort_order(db):
    Category.objects.create(name="動物との共生", slug="animals", sort_order=2)
    Category.objects.create(name="子ども・子育て", slug="children", sort_order=1, description="子育て")

    data = json.loads(export_to_stdout())

    assert data["taxonomies"]["category"] == [
        {"slug": "children", "name": "子ども・子育て", "description": "子育て"},
        {"slug": "animals", "name": "動物との共生"},
    ]


def test_datetimes_are_written_in_tokyo_time(tree):
    make_event(tree.events, starts_at=datetime.datetime(2016, 9, 25, 5, 0, tzinfo=datetime.UTC))

    event = json.loads(export_to_stdout())["events"][0]

    assert (event["starts_at"], event["ends_at"]) == (
        "2016-09-25T14:00:00+09:00",
        "2016-09-25T16:00:00+09:00",
    )


def test_empty_site_exports_an_empty_catalog(db):
    assert json.loads(export_to_stdout()) == {
        "version": 1,
        "taxonomies": {facet.key: [] for facet in FACETS},
        "organizations": [],
        "projects": [],
        "events": [],
    }


def test_export_to_a_file_copies_images_beside_it(tmp_path):
    source = tmp_path / "source"
    logo = write_png(source / "images" / "katatsumuri-logo.png", (10, 120, 10))
    kickoff = write_png(source / "images" / "kickoff.png", (10, 10, 120))
    data = example()
    data["organizations"][1]["logo"] = "images/katatsumuri-logo.png"
    data["projects"][1]["image"] = "images/katatsumuri-logo.png"
    data["projects"][1]["progress"][0]["image"] = "images/kickoff.png"
    import_file(write_catalog(source, data))

    exported = json.loads(export_to_file(tmp_path / "out" / "catalog.json"))

    assert exported["organizations"][1]["logo"] == "images/katatsumuri-logo.png"
    assert exported["projects"][1]["image"] == "images/katatsumuri-logo.png"
    assert exported["projects"][1]["progress"][0]["image"] == "images/kickoff.png"
    assert image_files(tmp_path / "out") == {
        "katatsumuri-logo.png": logo.read_bytes(),
        "kickoff.png": kickoff.read_bytes(),
    }


def test_export_to_stdout_leaves_images_out(tmp_path):
    write_png(tmp_path / "source" / "images" / "katatsumuri-logo.png")
    data = example()
    data["organizations"][1]["logo"] = "images/katatsumuri-logo.png"
    import_file(write_catalog(tmp_path / "source", data))

    assert export_to_stdout() == EXAMPLE_PATH.read_text(encoding="utf-8")
