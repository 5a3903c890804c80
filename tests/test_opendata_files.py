"""The open data files (/opendata/<file>): each parsed back, column by column, against the pages built here;
nothing private, draft, view-restricted or personal in any of them."""

import pytest

from home.dates import fiscal_year_of, today
from projects.opendata.datasets import ANNUAL_COLUMNS, EVENT_COLUMNS, ORGANIZATION_COLUMNS, PROJECT_COLUMNS
from tests.opendata_site import FILES, MEETING_URL, SECRETS, build_open_data_site, csv_rows, generate, records

pytestmark = pytest.mark.django_db

EVENT_HEADER = [
    "全国地方公共団体コード", "ID", "地方公共団体名", "イベント名", "イベント名_カナ", "イベント名_英語",
    "開始日", "終了日", "開始時間", "終了時間", "開始日時特記事項", "説明", "料金(基本)", "料金(詳細)",
    "連絡先名称", "連絡先電話番号", "連絡先内線番号", "主催者", "場所名称", "住所", "方書", "緯度", "経度",
    "アクセス方法", "駐車場情報", "定員", "参加申込終了日", "参加申込終了時間", "参加申込方法", "URL", "備考",
]  # fmt: skip


@pytest.fixture
def site(tree, media_root):
    site = build_open_data_site(tree)
    generate()
    return site


def by_first_column(rows):
    header, *body = rows
    return header, {row[0]: dict(zip(header, row, strict=True)) for row in body}


def test_projects_csv_has_one_row_per_visible_project_with_every_column(client, site):
    header, rows = by_first_column(csv_rows(client.get("/opendata/projects.csv")))
    assert header == [column.name for column in PROJECT_COLUMNS]
    assert set(rows) == {"cat-homes-accounting", "cat-homes-sns"}
    row = rows["cat-homes-accounting"]
    assert row["プロジェクト名"] == '経理業務の効率化, "会計" 編'
    assert row["URL"] == "http://testserver/projects/cat-homes-accounting/"
    assert row["団体名"] == "八王子猫のおうち探しの会"
    assert row["団体のURL"] == "http://testserver/organizations/hachioji-cat-homes/"
    assert row["概要"] == "一行目\n二行目, カンマ入り"
    assert row["進捗率"] == "完了"
    assert row["開始年度"] == "2016"
    assert (row["開始日"], row["終了日"]) == ("2016-12-23", "2017-03-20")
    assert row["プロボノワーカーの人数"] == "5"
    assert row["成果"] == "月次決算が締まるようになりました。"
    assert (row["カテゴリ"], row["支援内容"], row["地域"]) == ("動物との共生", "経理改善", "八王子市")
    assert row["解決したい課題"] == row["プログラム"] == ""
    assert row["進捗の件数"] == "2"
    assert row["最終更新日時"].endswith("+09:00")
    assert rows["cat-homes-sns"]["終了日"] == ""


def test_progress_is_a_table_of_its_own_keyed_by_project_slug_oldest_first(client, site):
    header, *rows = csv_rows(client.get("/opendata/project_progress.csv"))
    assert header == [
        "プロジェクトのスラッグ",
        "プロジェクト名",
        "日付",
        "見出し",
        "内容",
        "関連リンクの名前",
        "関連リンクのURL",
    ]
    assert rows == [
        [
            "cat-homes-accounting",
            '経理業務の効率化, "会計" 編',
            "2016-12-23",
            "相談",
            '最初の相談, "ていねいに"',
            "団体のブログ",
            "https://cats.example.org/blog/1",
        ],
        [
            "cat-homes-accounting",
            '経理業務の効率化, "会計" 編',
            "2017-01-10",
            "キックオフ",
            "顔合わせ",
            "",
            "",
        ],
    ]


def test_organizations_csv(client, site):
    header, rows = by_first_column(csv_rows(client.get("/opendata/organizations.csv")))
    assert header == [column.name for column in ORGANIZATION_COLUMNS]
    assert list(rows) == ["hachioji-cat-homes"]
    row = rows["hachioji-cat-homes"]
    assert row["団体名"] == "八王子猫のおうち探しの会"
    assert row["代表者名"] == "八王子 太郎"
    assert (row["郵便番号"], row["所在地"]) == ("192-0083", "八王子市旭町")
    assert row["ホームページ"] == "https://cats.example.org/"
    assert (row["地域"], row["設立年"]) == ("八王子市", "2008")
    assert row["団体の紹介"] == "保護猫の譲渡会を開いています。"
    assert row["プロジェクト数"] == "2"


def test_events_csv_follows_the_recommended_dataset_columns(client, site):
    header, *body = csv_rows(client.get("/opendata/events.csv"))
    assert header == EVENT_HEADER == [column.name for column in EVENT_COLUMNS]
    rows = {row[1]: dict(zip(header, row, strict=True)) for row in body}
    assert list(rows) == ["briefing-2016-09-25", "online-briefing"]
    row = rows["briefing-2016-09-25"]
    assert (row["全国地方公共団体コード"], row["地方公共団体名"]) == ("132012", "東京都八王子市")
    assert row["イベント名"] == "プロボノワーカー募集説明会(第1回)"
    assert (row["開始日"], row["終了日"], row["開始時間"], row["終了時間"]) == (
        "2016-09-25",
        "2016-09-25",
        "14:00",
        "16:00",
    )
    assert row["説明"] == "プロボノの進め方を紹介します。"
    assert (row["場所名称"], row["住所"], row["定員"]) == (
        "八王子市市民活動支援センター 会議室",
        "東京都八王子市旭町",
        "30",
    )
    assert (row["参加申込終了日"], row["参加申込終了時間"]) == ("2016-09-24", "17:00")
    assert row["参加申込方法"] == "イベントのページ(URL欄)の申込フォームから申し込みます。"
    assert row["URL"] == "http://testserver/events/briefing-2016-09-25/"
    assert row["備考"] == "種類:説明会。"
    assert row["イベント名_カナ"] == row["料金(基本)"] == row["緯度"] == ""
    online = rows["online-briefing"]
    assert online["場所名称"] == "オンライン"
    assert online["参加申込終了日"] == online["参加申込方法"] == ""
    assert "オンラインで参加できます" in online["備考"]


def test_annual_results_csv_has_one_row_per_year(client, site):
    header, rows = by_first_column(csv_rows(client.get("/opendata/annual_results.csv")))
    assert header == [column.name for column in ANNUAL_COLUMNS]
    # The project in progress since 2017 counts in every 年度 up to the current one.
    assert list(rows) == [str(year) for year in range(2016, fiscal_year_of(today()) + 1)]
    year = rows["2016"]
    assert (year["年度の表記"], year["開始日"], year["終了日"]) == ("2016年度", "2016-04-01", "2017-03-31")
    assert (year["プロジェクト数"], year["完了したプロジェクト数"], year["支援した団体数"]) == ("1", "1", "1")
    assert year["支援内容別の件数"] == "経理改善(1)"
    assert year["プロジェクト"] == "cat-homes-accounting"
    assert rows["2017"]["進行中のプロジェクト数"] == "1"


def test_json_files_carry_the_records_with_licence_and_attribution(client, site):
    document = records(client.get("/opendata/projects.json"))
    assert set(document) == {"dataset", "license", "attribution", "generated_at", "items"}
    assert document["dataset"] == "プロジェクト一覧"
    assert document["license"] == {
        "name": "クリエイティブ・コモンズ 表示 4.0 国際(CC BY 4.0)",
        "url": "https://creativecommons.org/licenses/by/4.0/deed.ja",
    }
    assert document["attribution"].startswith("出典:")
    assert document["generated_at"].endswith("+09:00")
    project = next(item for item in document["items"] if item["slug"] == "cat-homes-accounting")
    assert project["title"] == '経理業務の効率化, "会計" 編'
    assert [entry["date"] for entry in project["progress"]] == ["2016-12-23", "2017-01-10"]
    assert records(client.get("/opendata/organizations.json"))["items"][0]["slug"] == "hachioji-cat-homes"
    events = records(client.get("/opendata/events.json"))["items"]
    assert [event["slug"] for event in events] == ["briefing-2016-09-25", "online-briefing"]
    assert events[1]["online"] is True
    years = records(client.get("/opendata/annual_results.json"))["items"]
    assert [year["fiscal_year"] for year in years] == list(range(2016, fiscal_year_of(today()) + 1))


def test_no_file_holds_private_draft_restricted_or_personal_content(client, site):
    for name in FILES:
        body = client.get(f"/opendata/{name}").content.decode("utf-8")
        for secret in SECRETS:
            assert secret not in body, (name, secret)
    assert MEETING_URL not in client.get("/opendata/events.json").content.decode()


def test_the_command_prints_each_file_with_its_size_and_the_time_taken(tree, media_root):
    build_open_data_site(tree)
    output = generate()
    for name in FILES:
        assert f"\n{name}\t" in f"\n{output}"
    assert "9件のファイルを作りました(" in output and "秒)" in output


def test_the_files_and_the_api_publish_the_same_records_when_a_section_is_unpublished(client, site):
    """One definition of what is published: projects below an unpublished catalog index leave the API and
    the files alike, even though their own pages are still live."""
    site.tree.projects.unpublish()
    generate()

    _header, rows = by_first_column(csv_rows(client.get("/opendata/projects.csv")))
    api = client.get("/api/projects/").json()

    assert rows == {}
    assert api["count"] == 0
    assert len(records(client.get("/opendata/projects.json"))["items"]) == 0
