"""`manage.py import_catalog`: pages, terms and relations land where they belong, a re-import changes
nothing, a dry run writes nothing, and a bad file is refused with messages that name record and key."""

import datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from projects.catalog import schema
from projects.models import (
    FACETS,
    Category,
    EventPage,
    EventRelatedProject,
    OrganizationIndexPage,
    OrganizationPage,
    ProjectPage,
    ProjectReportLink,
)
from tests.catalog_files import EXAMPLE_PATH, example, import_file, write_catalog, write_png

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

TOKYO = ZoneInfo("Asia/Tokyo")
FORMAT_DOCUMENT = Path(__file__).parent.parent / "docs" / "catalog-format.md"

EXAMPLE_PAGES = [
    (OrganizationPage, "hachioji-civic-center", "/organizations/hachioji-civic-center/"),
    (OrganizationPage, "katatsumuri", "/organizations/katatsumuri/"),
    (OrganizationPage, "hachioji-cat-homes", "/organizations/hachioji-cat-homes/"),
    (ProjectPage, "hachioji-accompaniment-2016", "/projects/hachioji-accompaniment-2016/"),
    (ProjectPage, "katatsumuri-facebook", "/projects/katatsumuri-facebook/"),
    (ProjectPage, "cat-homes-accounting", "/projects/cat-homes-accounting/"),
    (EventPage, "briefing-2016-09-25", "/events/briefing-2016-09-25/"),
    (EventPage, "briefing-2016-10-06", "/events/briefing-2016-10-06/"),
    (EventPage, "report-2017-03-25", "/events/report-2017-03-25/"),
]


def import_failure(path, *args):
    """Run the command expecting it to fail; returns (stderr, the CommandError's message)."""
    stderr = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_catalog", str(path), *args, stdout=StringIO(), stderr=stderr)
    return stderr.getvalue(), str(failure.value)


def catalog_state():
    """Counts of everything an import can write."""
    return {
        "pages": Page.objects.count(),
        "live pages": Page.objects.live().count(),
        "revisions": Revision.objects.count(),
        "terms": sum(facet.model.objects.count() for facet in FACETS),
        "images": get_image_model().objects.count(),
        "report links": ProjectReportLink.objects.count(),
        "related projects": EventRelatedProject.objects.count(),
        "progress entries": sum(len(page.progress) for page in ProjectPage.objects.all()),
    }


# Importing the example


def test_example_pages_are_live_at_their_urls(client):
    import_file(EXAMPLE_PATH)

    for model, slug, url in EXAMPLE_PAGES:
        page = model.objects.get(slug=slug)
        assert page.url == url
        assert Page.objects.live().filter(pk=page.pk).exists()
        assert client.get(url).status_code == 200, url
    for url in ["/organizations/", "/projects/", "/events/"]:
        assert client.get(url).status_code == 200, url


def test_index_pages_are_created_under_the_home_page_with_japanese_titles():
    out, _ = import_file(EXAMPLE_PATH)

    titles = {page.url: page.title for page in Page.objects.filter(depth=3).live()}
    assert titles == {"/organizations/": "団体一覧", "/projects/": "プロジェクト一覧", "/events/": "イベント"}
    assert "一覧ページを作成しました: 団体一覧、プロジェクト一覧、イベント" in out


def test_existing_index_pages_are_reused(tree):
    import_file(EXAMPLE_PATH)

    assert OrganizationIndexPage.objects.count() == 1
    assert OrganizationPage.objects.child_of(tree.organizations).count() == 3
    assert ProjectPage.objects.child_of(tree.projects).count() == 3
    assert EventPage.objects.child_of(tree.events).count() == 3


def test_organization_fields_and_area():
    import_file(EXAMPLE_PATH)

    center = OrganizationPage.objects.get(slug="hachioji-civic-center")
    assert center.title == "八王子市市民活動支援センター(NPOさぽーと802)"
    assert center.legal_form == "中間支援組織"
    assert center.postal_code == "192-0083"
    assert center.website == "http://www.shiencenter-hachioji.org/"
    assert center.founded_year == 2003
    assert center.area.slug == "hachioji"
    assert center.description.startswith("<p>2003年の開設以来、市内の市民活動の拠点。")
    assert OrganizationPage.objects.get(slug="katatsumuri").founded_year is None


def test_project_fields_facets_and_organization():
    import_file(EXAMPLE_PATH)

    project = ProjectPage.objects.get(slug="katatsumuri-facebook")
    assert project.organization.slug == "katatsumuri"
    assert project.status == "completed"
    assert (project.started_on, project.ended_on) == (datetime.date(2017, 1, 6), datetime.date(2017, 2, 28))
    assert project.team_size == 3
    assert project.outcome == "<p>Facebookページを公開し、100ページを超える活用マニュアルを納品。</p>"
    facets = {facet.key: [term.slug for term in getattr(project, facet.field_name).all()] for facet in FACETS}
    assert facets == {
        "problem": ["outreach"],
        "category": ["children", "disability"],
        "support": ["facebook"],
        "area": ["hachioji"],
        "program": ["probono-hachioji"],
    }


def test_project_body_becomes_one_paragraph_block():
    import_file(EXAMPLE_PATH)

    body = ProjectPage.objects.get(slug="hachioji-accompaniment-2016").body
    assert [child.block_type for child in body] == ["paragraph"]
    html = body[0].value.source
    assert html.startswith("<p>センターはこれまで寄贈された")
    assert html.count("<p>") == 2


def test_progress_entries_and_report_links():
    import_file(EXAMPLE_PATH)

    project = ProjectPage.objects.get(slug="hachioji-accompaniment-2016")
    entries = project.progress_entries()
    assert len(entries) == 8
    assert entries[0]["date"] == datetime.date(2016, 7, 20)
    assert entries[0]["title"] == "プロボノコーディネート研修"
    assert entries[0]["body"].source == "<p>公開イベントとして実施。都内の中間支援組織から約20名も受講。</p>"
    assert entries[1]["body"].source == ""
    assert project.last_progress_on == datetime.date(2017, 11, 15)
    assert [(link.title, link.url) for link in project.report_links.all()] == [
        (
            "2017年度上期完了プロジェクト レポート(1)",
            "http://www.shiencenter-hachioji.org/event/detail.php?q=rp170928-145829",
        )
    ]


def test_event_fields_and_related_projects():
    import_file(EXAMPLE_PATH)

    event = EventPage.objects.get(slug="report-2017-03-25")
    assert event.kind == "report"
    assert event.starts_at == datetime.datetime(2017, 3, 25, 14, 0, tzinfo=TOKYO)
    assert event.ends_at == datetime.datetime(2017, 3, 25, 16, 30, tzinfo=TOKYO)
    assert event.registration_closes_at == datetime.datetime(2017, 3, 24, 17, 0, tzinfo=TOKYO)
    assert event.capacity == 40
    assert (event.registration_enabled, event.waitlist_enabled) == (True, False)
    assert [project.slug for project in event.linked_projects()] == [
        "katatsumuri-facebook",
        "cat-homes-accounting",
    ]


def test_taxonomy_terms_keep_the_order_of_the_file():
    import_file(EXAMPLE_PATH)

    assert [(term.slug, term.sort_order) for term in Category.objects.all()] == [
        ("children", 0),
        ("disability", 1),
        ("animals", 2),
        ("intermediary", 3),
    ]
    assert Category.objects.get(slug="animals").name == "動物との共生"


def test_every_page_is_published_through_a_revision():
    import_file(EXAMPLE_PATH)

    for model, slug, _url in EXAMPLE_PAGES:
        page = model.objects.get(slug=slug)
        assert page.live_revision is not None
        assert page.last_published_at is not None
        assert not page.has_unpublished_changes


def test_plain_text_becomes_escaped_paragraphs_with_line_breaks(tmp_path):
    data = example()
    data["projects"][0]["body"] = "一行目\n二行目\n\n\n<b>太字</b> & 記号\r\n"
    import_file(write_catalog(tmp_path, data))

    body = ProjectPage.objects.get(slug="hachioji-accompaniment-2016").body
    assert body[0].value.source == "<p>一行目<br/>二行目</p><p>&lt;b&gt;太字&lt;/b&gt; &amp; 記号</p>"


def test_datetimes_without_an_offset_are_tokyo_time(tmp_path):
    data = example()
    data["events"][0]["starts_at"] = "2016-09-25T14:00:00"
    data["events"][0]["ends_at"] = "2016-09-25T07:00:00Z"
    import_file(write_catalog(tmp_path, data))

    event = EventPage.objects.get(slug="briefing-2016-09-25")
    assert event.starts_at == datetime.datetime(2016, 9, 25, 14, 0, tzinfo=TOKYO)
    assert event.ends_at == datetime.datetime(2016, 9, 25, 16, 0, tzinfo=TOKYO)


# Re-importing


def test_second_import_of_the_same_file_changes_nothing():
    import_file(EXAMPLE_PATH)
    before = catalog_state()
    published = dict(Page.objects.values_list("pk", "last_published_at"))

    out, _ = import_file(EXAMPLE_PATH)

    assert catalog_state() == before
    assert dict(Page.objects.values_list("pk", "last_published_at")) == published
    assert "分類 新規0・更新0・変更なし13" in out
    assert "プロジェクト 新規0・更新0・変更なし3" in out


def test_changed_title_updates_the_page_in_place(tmp_path, client):
    import_file(EXAMPLE_PATH)
    page = ProjectPage.objects.get(slug="katatsumuri-facebook")
    page_revisions = page.revisions.count()
    before = catalog_state()
    data = example()
    data["projects"][1]["title"] = "Facebookページの立ち上げ"

    out, _ = import_file(write_catalog(tmp_path, data))

    updated = ProjectPage.objects.get(slug="katatsumuri-facebook")
    assert updated.pk == page.pk
    assert updated.title == "Facebookページの立ち上げ"
    assert updated.revisions.count() == page_revisions + 1
    assert catalog_state() == {**before, "revisions": before["revisions"] + 1}
    assert "プロジェクト 新規0・更新1・変更なし2" in out
    assert "Facebookページの立ち上げ" in client.get(updated.url).content.decode()


def test_changed_relations_update_in_place(tmp_path):
    import_file(EXAMPLE_PATH)
    data = example()
    data["projects"][1]["category"] = ["disability"]
    data["projects"][1]["progress"][0]["body"] = "団体のニーズを聞き取り、目標を決めた。"
    data["projects"][1]["links"] = [{"title": "報告", "url": "https://example.org/report"}]
    data["events"][2]["projects"] = ["cat-homes-accounting"]
    import_file(write_catalog(tmp_path, data))

    project = ProjectPage.objects.get(slug="katatsumuri-facebook")
    assert [term.slug for term in project.categories.all()] == ["disability"]
    assert project.progress_entries()[0]["body"].source == "<p>団体のニーズを聞き取り、目標を決めた。</p>"
    assert [link.url for link in project.report_links.all()] == ["https://example.org/report"]
    event = EventPage.objects.get(slug="report-2017-03-25")
    assert [project.slug for project in event.linked_projects()] == ["cat-homes-accounting"]
    assert ProjectReportLink.objects.count() == 2


def test_formatting_added_in_the_admin_survives_when_the_text_is_the_same():
    import_file(EXAMPLE_PATH)
    page = OrganizationPage.objects.get(slug="katatsumuri")
    page.description = page.description.replace("発達障害", "<b>発達障害</b>")
    page.save_revision().publish()
    revisions = Revision.objects.count()

    out, _ = import_file(EXAMPLE_PATH)

    assert "<b>発達障害</b>" in OrganizationPage.objects.get(slug="katatsumuri").description
    assert Revision.objects.count() == revisions
    assert "団体 新規0・更新0・変更なし3" in out


def test_records_missing_from_the_file_are_kept(tmp_path):
    import_file(EXAMPLE_PATH)
    before = catalog_state()
    data = {"version": 1, "organizations": [example()["organizations"][1]]}

    import_file(write_catalog(tmp_path, data))

    assert catalog_state() == before


def test_references_may_name_records_already_in_the_database(tmp_path):
    import_file(EXAMPLE_PATH)
    project = {
        **example()["projects"][1],
        "slug": "katatsumuri-website",
        "title": "ウェブサイトの改善",
        "progress": [],
    }
    data = {
        "version": 1,
        "projects": [project],
        "events": [{**example()["events"][0], "projects": ["katatsumuri-website"]}],
    }

    import_file(write_catalog(tmp_path, data))

    new = ProjectPage.objects.get(slug="katatsumuri-website")
    assert new.organization.slug == "katatsumuri"
    assert [term.slug for term in new.categories.all()] == ["children", "disability"]
    assert [p.slug for p in EventPage.objects.get(slug="briefing-2016-09-25").linked_projects()] == [
        "katatsumuri-website"
    ]


# Dry run


def test_dry_run_reports_what_would_be_created_and_writes_nothing():
    before = catalog_state()

    out, _ = import_file(EXAMPLE_PATH, "--dry-run")

    assert catalog_state() == before
    assert "確認のみ(何も書き込んでいません)" in out
    assert "プロジェクト 新規3・更新0・変更なし0" in out
    assert "新規: プロジェクト katatsumuri-facebook" in out


def test_dry_run_reports_updates_without_making_them(tmp_path):
    import_file(EXAMPLE_PATH)
    before = catalog_state()
    data = example()
    data["organizations"][2]["name"] = "八王子 猫のおうち探しの会"

    out, _ = import_file(write_catalog(tmp_path, data), "--dry-run")

    assert catalog_state() == before
    assert OrganizationPage.objects.get(slug="hachioji-cat-homes").title == "八王子猫のおうち探しの会"
    assert "更新: 団体 hachioji-cat-homes" in out
    assert "団体 新規0・更新1・変更なし2" in out


def test_dry_run_stores_no_image_files(tmp_path, media_root):
    data = example()
    data["organizations"][1]["logo"] = "images/katatsumuri.png"
    write_png(tmp_path / "catalog" / "images" / "katatsumuri.png")

    import_file(write_catalog(tmp_path / "catalog", data), "--dry-run")

    assert get_image_model().objects.count() == 0
    assert not [path for path in media_root.rglob("*") if path.is_file()]


# Images


def test_images_are_imported_once_per_file_content(tmp_path):
    folder = tmp_path / "catalog"
    write_png(folder / "images" / "katatsumuri.png", color=(10, 120, 10))
    write_png(folder / "images" / "same-picture.png", color=(10, 120, 10))
    write_png(folder / "images" / "kickoff.png", color=(10, 10, 120))
    data = example()
    data["organizations"][1]["logo"] = "images/katatsumuri.png"
    data["projects"][1]["image"] = "images/same-picture.png"
    data["projects"][1]["progress"][0]["image"] = "images/kickoff.png"
    path = write_catalog(folder, data)

    import_file(path)
    import_file(path)

    logo = OrganizationPage.objects.get(slug="katatsumuri").logo
    project = ProjectPage.objects.get(slug="katatsumuri-facebook")
    assert logo.title == "katatsumuri"
    assert project.image == logo
    assert project.progress_entries()[0]["image"].title == "kickoff"
    assert get_image_model().objects.count() == 2


def test_missing_image_key_keeps_the_image_and_null_removes_it(tmp_path):
    folder = tmp_path / "catalog"
    write_png(folder / "images" / "katatsumuri.png")
    data = example()
    data["organizations"][1]["logo"] = "images/katatsumuri.png"
    data["projects"][1]["progress"][0]["image"] = "images/katatsumuri.png"
    import_file(write_catalog(folder, data))

    import_file(EXAMPLE_PATH)
    assert OrganizationPage.objects.get(slug="katatsumuri").logo is not None
    assert ProjectPage.objects.get(slug="katatsumuri-facebook").progress_entries()[0]["image"] is not None

    data = example()
    data["organizations"][1]["logo"] = None
    import_file(write_catalog(tmp_path / "again", data))
    assert OrganizationPage.objects.get(slug="katatsumuri").logo is None


# Warnings


def test_unknown_keys_are_reported_as_warnings_and_the_rest_is_imported(tmp_path):
    data = example()
    data["generator"] = "spreadsheet"
    data["projects"][0]["colour"] = "red"
    data["taxonomies"]["season"] = [{"slug": "summer", "name": "夏"}]

    _out, err = import_file(write_catalog(tmp_path, data))

    assert "generator: 不明な項目なので読み込みません。" in err
    assert 'projects[0](hachioji-accompaniment-2016): 不明な項目 "colour" は読み込みません。' in err
    assert "taxonomies.season: 不明な分類なので読み込みません" in err
    assert ProjectPage.objects.count() == 3


# Bad input


def setting(*path, value):
    def mutate(data):
        *parents, last = path
        for step in parents:
            data = data[step]
        data[last] = value

    return mutate


def deleting(*path):
    def mutate(data):
        *parents, last = path
        for step in parents:
            data = data[step]
        del data[last]

    return mutate


ACCOMPANIMENT = "projects[0](hachioji-accompaniment-2016)"
KATATSUMURI_FACEBOOK = "projects[1](katatsumuri-facebook)"
CAT_HOMES_ACCOUNTING = "projects[2](cat-homes-accounting)"
BRIEFING = "events[0](briefing-2016-09-25)"
REPORT = "events[2](report-2017-03-25)"

BAD_INPUTS = [
    # The envelope
    pytest.param(setting("version", value=2), "version: 対応していない形式のバージョン 2 です", id="version"),
    pytest.param(deleting("version"), "version: 必須の項目がありません", id="no-version"),
    pytest.param(
        setting("organizations", value={}), "organizations: 配列([ ... ])で指定してください", id="not-a-list"
    ),
    pytest.param(
        setting("events", 1, value="説明会"),
        'events[1]: オブジェクト({ ... })で指定してください("説明会")',
        id="not-an-object",
    ),
    # Required keys
    pytest.param(
        deleting("taxonomies", "category", 0, "slug"),
        "taxonomies.category[0].slug: 必須の項目がありません。",
        id="term-slug",
    ),
    pytest.param(
        deleting("taxonomies", "support", 1, "name"),
        "taxonomies.support[1](accounting).name: 必須の項目がありません。",
        id="term-name",
    ),
    pytest.param(
        setting("organizations", 2, "slug", value=""),
        "organizations[2].slug: 必須の項目が空です。",
        id="organization-slug",
    ),
    pytest.param(
        deleting("organizations", 1, "name"),
        "organizations[1](katatsumuri).name: 必須の項目がありません。",
        id="organization-name",
    ),
    pytest.param(
        deleting("projects", 0, "slug"), "projects[0].slug: 必須の項目がありません。", id="project-slug"
    ),
    pytest.param(
        deleting("projects", 1, "title"),
        f"{KATATSUMURI_FACEBOOK}.title: 必須の項目がありません。",
        id="project-title",
    ),
    pytest.param(
        deleting("projects", 2, "organization"),
        f"{CAT_HOMES_ACCOUNTING}.organization: 必須の項目がありません。",
        id="project-organization",
    ),
    pytest.param(
        deleting("projects", 0, "status"),
        f"{ACCOMPANIMENT}.status: 必須の項目がありません。",
        id="project-status",
    ),
    pytest.param(deleting("events", 0, "slug"), "events[0].slug: 必須の項目がありません。", id="event-slug"),
    pytest.param(
        setting("events", 0, "title", value=" "), f"{BRIEFING}.title: 必須の項目が空です。", id="event-title"
    ),
    pytest.param(
        deleting("events", 0, "kind"), f"{BRIEFING}.kind: 必須の項目がありません。", id="event-kind"
    ),
    pytest.param(
        deleting("events", 0, "starts_at"),
        f"{BRIEFING}.starts_at: 必須の項目がありません。",
        id="event-starts-at",
    ),
    pytest.param(
        setting("events", 0, "ends_at", value=None),
        f"{BRIEFING}.ends_at: 必須の項目が空です。",
        id="event-ends-at",
    ),
    pytest.param(
        deleting("projects", 2, "progress", 3, "title"),
        f"{CAT_HOMES_ACCOUNTING}.progress[3].title: 必須の項目がありません。",
        id="progress-title",
    ),
    pytest.param(
        setting("projects", 1, "progress", 0, "link", value={"title": "報告"}),
        f"{KATATSUMURI_FACEBOOK}.progress[0].link.url: 必須の項目がありません。",
        id="progress-link-url",
    ),
    # Dates and datetimes
    pytest.param(
        setting("projects", 1, "started_on", value="2017/01/06"),
        f'{KATATSUMURI_FACEBOOK}.started_on: 日付は「2017-01-06」の形式で指定してください("2017/01/06")。',
        id="date-format",
    ),
    pytest.param(
        setting("projects", 1, "ended_on", value="2017-02-30"),
        f'{KATATSUMURI_FACEBOOK}.ended_on: 日付は「2017-01-06」の形式で指定してください("2017-02-30")。',
        id="date-impossible",
    ),
    pytest.param(
        setting("projects", 1, "progress", 2, "date", value="1月18日"),
        f'{KATATSUMURI_FACEBOOK}.progress[2].date: 日付は「2017-01-06」の形式で指定してください("1月18日")。',
        id="progress-date",
    ),
    pytest.param(
        setting("events", 0, "starts_at", value="2016-09-25 午後2時"),
        f"{BRIEFING}.starts_at: 日時は「2016-09-25T14:00:00+09:00」の形式で指定してください",
        id="datetime-format",
    ),
    pytest.param(
        setting("events", 0, "starts_at", value="2016-09-25"),
        f'{BRIEFING}.starts_at: 日時は「2016-09-25T14:00:00+09:00」の形式で指定してください("2016-09-25")。',
        id="datetime-without-time",
    ),
    pytest.param(
        setting("projects", 2, "ended_on", value="2016-12-01"),
        f'{CAT_HOMES_ACCOUNTING}.ended_on: 終了日が開始日より前です("2016-12-23" → "2016-12-01")。',
        id="project-ends-before-start",
    ),
    pytest.param(
        setting("events", 2, "ends_at", value="2017-03-25T13:00:00+09:00"),
        f"{REPORT}.ends_at: 終了日時が開始日時より前です",
        id="event-ends-before-start",
    ),
    pytest.param(
        setting("events", 0, "registration_closes_at", value="2016-08-31T17:00:00+09:00"),
        f"{BRIEFING}.registration_closes_at: 申込締切が申込開始より前です",
        id="registration-closes-before-opening",
    ),
    # References and choices
    pytest.param(
        setting("projects", 1, "category", value=["children", "foo"]),
        f'{KATATSUMURI_FACEBOOK}.category: 未登録のカテゴリ "foo" です。',
        id="unknown-category",
    ),
    pytest.param(
        setting("projects", 0, "support", value=["coaching"]),
        f'{ACCOMPANIMENT}.support: 未登録の支援内容 "coaching" です。',
        id="unknown-support",
    ),
    pytest.param(
        setting("organizations", 0, "area", value="tama"),
        'organizations[0](hachioji-civic-center).area: 未登録の地域 "tama" です。',
        id="unknown-area",
    ),
    pytest.param(
        setting("projects", 2, "organization", value="nobody"),
        f'{CAT_HOMES_ACCOUNTING}.organization: 未登録の団体 "nobody" です。',
        id="unknown-organization",
    ),
    pytest.param(
        setting("events", 2, "projects", value=["katatsumuri-facebook", "nope"]),
        f'{REPORT}.projects: 未登録のプロジェクト "nope" です。',
        id="unknown-project",
    ),
    pytest.param(
        setting("projects", 0, "status", value="done"),
        f'{ACCOMPANIMENT}.status: 不明な進捗率 "done" です'
        "(使える値: preparing, recruiting, in_progress, completed)。",
        id="unknown-status",
    ),
    pytest.param(
        setting("events", 1, "kind", value="party"),
        'events[1](briefing-2016-10-06).kind: 不明な種類 "party" です',
        id="unknown-kind",
    ),
    pytest.param(
        setting("projects", 1, "problem", value=["outreach", "outreach"]),
        f'{KATATSUMURI_FACEBOOK}.problem: "outreach" が2回指定されています。',
        id="term-listed-twice",
    ),
    # Slugs
    pytest.param(
        setting("events", 0, "slug", value="briefing 2016/09/25"),
        'events[0](briefing 2016/09/25).slug: スラッグ "briefing 2016/09/25" は使えません',
        id="bad-slug",
    ),
    pytest.param(
        setting("projects", 2, "slug", value="katatsumuri-facebook"),
        'projects[2](katatsumuri-facebook).slug: スラッグ "katatsumuri-facebook" が '
        "projects[1](katatsumuri-facebook) と重複しています。",
        id="duplicate-slug",
    ),
    pytest.param(
        setting("taxonomies", "problem", 2, "slug", value="outreach"),
        'taxonomies.problem[2](outreach).slug: スラッグ "outreach" が '
        "taxonomies.problem[0](outreach) と重複しています。",
        id="duplicate-term-slug",
    ),
    pytest.param(
        setting("projects", 0, "slug", value="results"),
        'projects[0](results).slug: スラッグ "results" はカタログの絞り込み用のURLに'
        "使われているため使えません。",
        id="reserved-slug",
    ),
    # Types and limits
    pytest.param(
        setting("projects", 0, "team_size", value="abc"),
        f'{ACCOMPANIMENT}.team_size: 整数で指定してください("abc")。',
        id="team-size-text",
    ),
    pytest.param(
        setting("events", 0, "capacity", value=-1),
        f"{BRIEFING}.capacity: 0以上の整数で指定してください(-1)。",
        id="capacity-negative",
    ),
    pytest.param(
        setting("organizations", 0, "founded_year", value=1700),
        "organizations[0](hachioji-civic-center).founded_year: 1800以上の整数で指定してください(1700)。",
        id="founded-year-range",
    ),
    pytest.param(
        setting("projects", 1, "progress", value="キックオフ"),
        f'{KATATSUMURI_FACEBOOK}.progress: 配列([ ... ])で指定してください("キックオフ")。',
        id="progress-not-a-list",
    ),
    pytest.param(
        setting("projects", 1, "category", value="children"),
        f'{KATATSUMURI_FACEBOOK}.category: スラッグの配列で指定してください("children")。',
        id="facet-not-a-list",
    ),
    pytest.param(
        setting("events", 0, "registration_enabled", value="yes"),
        f'{BRIEFING}.registration_enabled: true か false で指定してください("yes")。',
        id="boolean",
    ),
    pytest.param(
        setting("projects", 1, "title", value=123),
        f"{KATATSUMURI_FACEBOOK}.title: 文字列で指定してください(123)。",
        id="title-number",
    ),
    pytest.param(
        setting("projects", 0, "summary", value="あ" * 301),
        f"{ACCOMPANIMENT}.summary: 300文字以内にしてください(今は301文字です)。",
        id="summary-too-long",
    ),
    pytest.param(
        setting("organizations", 0, "postal_code", value="1920083"),
        "organizations[0](hachioji-civic-center).postal_code: 郵便番号は「192-0083」のように",
        id="postal-code",
    ),
    # URLs and images
    pytest.param(
        setting("organizations", 1, "website", value="facebook.com/katatsumuri2007"),
        'organizations[1](katatsumuri).website: URLの形式が正しくありません("facebook.com/katatsumuri2007")',
        id="website-url",
    ),
    pytest.param(
        setting("projects", 0, "links", 0, "url", value="rp170928-145829"),
        f'{ACCOMPANIMENT}.links[0].url: URLの形式が正しくありません("rp170928-145829")',
        id="link-url",
    ),
    pytest.param(
        setting("organizations", 0, "logo", value="images/missing.png"),
        'organizations[0](hachioji-civic-center).logo: 画像ファイル "images/missing.png" が見つかりません。',
        id="missing-image",
    ),
    pytest.param(
        setting("projects", 0, "image", value="../outside.png"),
        f"{ACCOMPANIMENT}.image: "
        '画像のパスはJSONファイルのあるフォルダからの相対パスで指定してください("../outside.png")。',
        id="image-outside-folder",
    ),
]


@pytest.mark.parametrize("mutate, message", BAD_INPUTS)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(tmp_path, mutate, message):
    data = example()
    mutate(data)
    path = write_catalog(tmp_path, data)
    before = catalog_state()

    err, summary = import_failure(path)

    assert message in err
    assert "何も書き込んでいません" in summary
    assert catalog_state() == before


@pytest.mark.parametrize(
    "content, message",
    [
        pytest.param(
            '{"version": 1,\n  "projects": [}',
            "JSONの形式が正しくありません(2行目 16文字目",
            id="invalid-json",
        ),
        pytest.param("[]", "カタログの最上位はオブジェクト({ ... })にしてください。", id="not-an-object"),
        pytest.param(b"\xff\xfe{}", "UTF-8 のテキストとして読み込めません。", id="not-utf-8"),
    ],
)
def test_unreadable_file_is_refused(tmp_path, content, message):
    path = tmp_path / "catalog.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")

    err, _summary = import_failure(path)

    assert message in err


def test_missing_file_is_refused(tmp_path):
    err, _summary = import_failure(tmp_path / "nowhere.json")

    assert "ファイルが見つかりません。" in err


def test_file_that_is_not_an_image_is_refused(tmp_path):
    folder = tmp_path / "catalog"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "logo.png").write_text("not a picture")
    data = example()
    data["organizations"][0]["logo"] = "images/logo.png"

    err, _summary = import_failure(write_catalog(folder, data))

    assert (
        'organizations[0](hachioji-civic-center).logo: 画像ファイル "images/logo.png" '
        "を画像として読み込めません。" in err
    )


def test_every_error_is_reported_not_only_the_first(tmp_path):
    data = example()
    data["projects"][0]["team_size"] = "abc"
    data["projects"][1]["category"] = ["foo"]
    data["events"][0]["capacity"] = -1

    err, summary = import_failure(write_catalog(tmp_path, data))

    assert f"{ACCOMPANIMENT}.team_size" in err
    assert f"{KATATSUMURI_FACEBOOK}.category" in err
    assert f"{BRIEFING}.capacity" in err
    assert summary.startswith("3件のエラーがあるため取り込みませんでした。")


def test_refused_file_leaves_existing_records_untouched(tmp_path):
    import_file(EXAMPLE_PATH)
    before = catalog_state()
    data = example()
    data["organizations"][0]["name"] = "新しい名前"
    data["events"][2]["kind"] = "party"

    import_failure(write_catalog(tmp_path, data))

    assert catalog_state() == before
    assert OrganizationPage.objects.get(slug="hachioji-civic-center").title.startswith(
        "八王子市市民活動支援センター"
    )


def test_format_document_describes_every_key():
    document = FORMAT_DOCUMENT.read_text(encoding="utf-8")
    record_schemas = [
        schema.TERM,
        schema.ORGANIZATION,
        schema.PROJECT,
        schema.PROGRESS_ENTRY,
        schema.PROGRESS_LINK,
        schema.REPORT_LINK,
        schema.EVENT,
    ]
    for record_schema in record_schemas:
        for name in record_schema.names:
            assert f"| `{name}` |" in document, f"{record_schema.section}.{name}"
