"""The published datasets and their columns: one definition, read by the generator, the page's column
tables, its JSON-LD and docs/opendata.md.

Each CSV table is a list of columns; a column has a Japanese name, what it means, an example and the
function that reads its value from one record (a dict of `projects.public_records`). The JSON files carry
the records themselves.
"""

from dataclasses import dataclass, field
from typing import Any

from home import dates

from .. import public_records
from ..annual_results import available_fiscal_years
from ..models import FACETS

CSV = "csv"
JSON = "json"
MEDIA_TYPES = {CSV: "text/csv", JSON: "application/json"}
CONTENT_TYPES = {CSV: "text/csv; charset=utf-8", JSON: "application/json"}


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    example: str
    value: Any  # record -> str | int | None

    def cell(self, record, context):
        value = self.value(record, context)
        return "" if value is None else value


@dataclass(frozen=True)
class Table:
    """One CSV file: a row per item that `rows(records)` yields."""

    filename: str
    title: str
    columns: tuple
    rows: Any = None  # records -> the items of the rows; default: the records themselves

    def items(self, records):
        return self.rows(records) if self.rows else records


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    description: str
    keywords: tuple
    records: Any  # () -> list of records
    tables: tuple
    json_filename: str
    notes: tuple = field(default_factory=tuple)

    @property
    def filenames(self):
        return [table.filename for table in self.tables] + [self.json_filename]


@dataclass(frozen=True)
class Context:
    """What columns read besides the record: the licence settings and the center's details."""

    municipality_code: str = ""
    municipality_name: str = ""
    center_name: str = ""
    center_phone: str = ""


def _get(*path):
    def read(record, context):
        value = record
        for key in path:
            if value is None:
                return None
            value = value.get(key)
        return value

    return read


def _names(facet_key):
    return lambda record, context: "、".join(term["name"] for term in record["facets"][facet_key])


def _date_part(key):
    return lambda record, context: (record[key] or "")[:10] or None


def _time_part(key):
    return lambda record, context: (record[key] or "")[11:16] or None


# Projects


PROJECT_COLUMNS = (
    Column(
        "スラッグ",
        "プロジェクトの識別子(URLの末尾)。進捗の表と結び付けるキーです。",
        "cat-homes-accounting",
        _get("slug"),
    ),
    Column("プロジェクト名", "プロジェクトの名前。", "経理業務の効率化", _get("title")),
    Column(
        "URL", "プロジェクトのページのURL。", "https://example.jp/projects/cat-homes-accounting/", _get("url")
    ),
    Column("団体名", "支援先の団体の名前。", "八王子猫のおうち探しの会", _get("organization", "name")),
    Column(
        "団体のURL",
        "支援先の団体のページのURL。",
        "https://example.jp/organizations/hachioji-cat-homes/",
        _get("organization", "url"),
    ),
    Column(
        "概要",
        "プロジェクトの短い説明。",
        "会計ソフトの導入と経理の手順づくりを支援しました。",
        _get("summary"),
    ),
    Column("本文", "団体の課題と支援の内容(書式を除いた文章)。", "団体では…", _get("body")),
    Column("進捗率", "準備中・募集中・進行中・完了のいずれか。", "完了", _get("status", "label")),
    Column("開始年度", "開始日の属する年度(4月始まり、西暦)。", "2016", _get("fiscal_year")),
    Column("開始日", "プロジェクトの開始日(YYYY-MM-DD)。", "2016-12-23", _get("started_on")),
    Column("終了日", "プロジェクトの終了日(YYYY-MM-DD)。", "2017-03-20", _get("ended_on")),
    Column("プロボノワーカーの人数", "チームに参加したプロボノワーカーの人数。", "5", _get("team_size")),
    Column(
        "成果",
        "支援で生まれたもの、団体の変化(書式を除いた文章)。",
        "月次決算が翌月10日までに締まるようになりました。",
        _get("outcome"),
    ),
    *(
        Column(facet.label, f"{facet.label}(複数あるときは「、」区切り)。", example, _names(facet.key))
        for facet, example in zip(
            FACETS,
            ("組織の基盤を整えたい", "動物との共生", "経理改善", "八王子市", "プロボノ@八王子"),
            strict=True,
        )
    ),
    Column(
        "進捗の件数",
        "進捗状況の件数(内容は project_progress.csv)。",
        "3",
        lambda record, context: len(record["progress"]),
    ),
    Column(
        "最終更新日時",
        "ページを最後に公開した日時(日本時間、ISO 8601)。",
        "2017-03-25T10:00:00+09:00",
        _get("updated_at"),
    ),
)

PROGRESS_COLUMNS = (
    Column(
        "プロジェクトのスラッグ",
        "どのプロジェクトの進捗か(projects.csv のスラッグ)。",
        "cat-homes-accounting",
        _get("project_slug"),
    ),
    Column("プロジェクト名", "プロジェクトの名前。", "経理業務の効率化", _get("project_title")),
    Column("日付", "進捗の日付(YYYY-MM-DD)。プロジェクトごとに古い順です。", "2016-12-23", _get("date")),
    Column("見出し", "進捗の見出し。", "キックオフミーティング", _get("title")),
    Column(
        "内容", "進捗の内容(書式を除いた文章)。", "団体の皆さんとチームが顔を合わせました。", _get("text")
    ),
    Column("関連リンクの名前", "進捗に添えたリンクの名前。", "活動報告(団体のブログ)", _get("link", "title")),
    Column("関連リンクのURL", "進捗に添えたリンクのURL。", "https://example.org/blog/1", _get("link", "url")),
)


def _progress_rows(records):
    return [
        {"project_slug": record["slug"], "project_title": record["title"], **entry}
        for record in records
        for entry in record["progress"]
    ]


def _projects():
    return public_records.project_records(
        public_records.published_projects().order_by("-started_on", "title", "pk")
    )


# Organizations


ORGANIZATION_COLUMNS = (
    Column("スラッグ", "団体の識別子(URLの末尾)。", "hachioji-cat-homes", _get("slug")),
    Column("団体名", "団体の名前。", "八王子猫のおうち探しの会", _get("name")),
    Column("URL", "団体のページのURL。", "https://example.jp/organizations/hachioji-cat-homes/", _get("url")),
    Column("法人格・団体の種類", "NPO法人、一般社団法人、任意団体など。", "任意団体", _get("legal_form")),
    Column(
        "代表者名",
        "団体が公開を了承した代表者の名前(団体のページに表示しているときだけ)。",
        "八王子 花子",
        lambda record, context: record.get("representative"),
    ),
    Column("郵便番号", "団体の所在地の郵便番号。", "192-0083", _get("postal_code")),
    Column("所在地", "団体が公開している範囲の所在地。", "八王子市旭町", _get("address")),
    Column("ホームページ", "団体の公式サイトやSNSのURL。", "https://example.org/", _get("website")),
    Column("地域", "団体の主な活動地域。", "八王子市", _get("area", "name")),
    Column("設立年", "団体の設立年(西暦)。", "2008", _get("founded_year")),
    Column(
        "団体の紹介",
        "団体の目的と主な活動(書式を除いた文章)。",
        "保護猫の譲渡会を開いています。",
        _get("description"),
    ),
    Column(
        "プロジェクト数", "このサイトに公開している、団体のプロジェクトの数。", "2", _get("project_count")
    ),
    Column(
        "最終更新日時",
        "ページを最後に公開した日時(日本時間、ISO 8601)。",
        "2017-03-25T10:00:00+09:00",
        _get("updated_at"),
    ),
)


def _organizations():
    return public_records.organization_records(
        public_records.published_organizations().order_by("title", "pk")
    )


# Events: the columns of 推奨データセット「イベント一覧」 (docs/opendata.md cites the definitions).


def _registration_closes(record):
    registration = record["registration"]
    if not registration["enabled"]:
        return None
    # Without a deadline, registration is taken until the event starts (EventPage.registration_state).
    return registration["closes_at"] or record["starts_at"]


def _registration_method(record, context):
    if not record["registration"]["enabled"]:
        return None
    return "イベントのページ(URL欄)の申込フォームから申し込みます。"


def _venue(record, context):
    if record["venue"]:
        return record["venue"]
    return "オンライン" if record["online"] else None


def _event_note(record, context):
    parts = [f"種類:{record['kind']['label']}"]
    if record["online"]:
        parts.append("オンラインで参加できます(参加用のURLは申し込んだ方にお知らせします)。")
    if record["projects"]:
        parts.append("関連プロジェクト:" + "、".join(project["title"] for project in record["projects"]))
    return "。".join(part.rstrip("。") for part in parts) + "。"


EVENT_COLUMNS = (
    Column(
        "全国地方公共団体コード",
        "情報の管理主体である地方公共団体の全国地方公共団体コード(検査数字を含む6桁)。",
        "132012",
        lambda r, c: c.municipality_code,
    ),
    Column("ID", "地方公共団体内でデータが一意に決まる識別子。", "briefing-2016-09-25", _get("slug")),
    Column(
        "地方公共団体名",
        "情報の管理主体である地方公共団体の名前(都道府県名と市区町村名)。",
        "東京都八王子市",
        lambda r, c: c.municipality_name,
    ),
    Column("イベント名", "イベントの名称。", "プロボノワーカー募集説明会(第1回)", _get("title")),
    Column("イベント名_カナ", "イベントの名称のカナ表記。", "", lambda r, c: None),
    Column("イベント名_英語", "イベントの名称の英語表記。", "", lambda r, c: None),
    Column("開始日", "イベントの開始日(YYYY-MM-DD)。", "2016-09-25", _date_part("starts_at")),
    Column("終了日", "イベントの終了日(YYYY-MM-DD)。", "2016-09-25", _date_part("ends_at")),
    Column("開始時間", "イベントの開始時刻(hh:mm、日本時間)。", "14:00", _time_part("starts_at")),
    Column("終了時間", "イベントの終了時刻(hh:mm、日本時間)。", "16:00", _time_part("ends_at")),
    Column(
        "開始日時特記事項",
        "開始日、終了日、開始時間、終了時間についての特記事項・例外。",
        "",
        lambda r, c: None,
    ),
    Column(
        "説明",
        "イベントの内容。",
        "プロボノの進め方と、募集中のプロジェクトを紹介します。",
        _get("description"),
    ),
    Column("料金(基本)", "参加に必要な基本料金(日本円)。", "", lambda r, c: None),
    Column("料金(詳細)", "参加に必要な各種料金の詳細。", "", lambda r, c: None),
    Column(
        "連絡先名称",
        "イベントについての問い合わせ先。",
        "八王子市市民活動支援センター",
        lambda r, c: c.center_name,
    ),
    Column(
        "連絡先電話番号",
        "イベントについての問い合わせ先の電話番号。",
        "042-000-0000",
        lambda r, c: c.center_phone or None,
    ),
    Column("連絡先内線番号", "問い合わせ先の内線番号。", "", lambda r, c: None),
    Column("主催者", "イベントの主催者。", "八王子市市民活動支援センター", lambda r, c: c.center_name),
    Column(
        "場所名称",
        "イベントの会場(オンラインだけのときは「オンライン」)。",
        "八王子市市民活動支援センター 会議室",
        _venue,
    ),
    Column("住所", "会場の住所。", "東京都八王子市旭町", _get("address")),
    Column("方書", "会場の住所の方書(建物名・部屋番号など)。", "", lambda r, c: None),
    Column("緯度", "会場の緯度。", "", lambda r, c: None),
    Column("経度", "会場の経度。", "", lambda r, c: None),
    Column("アクセス方法", "会場への公共交通や車でのアクセス方法。", "", lambda r, c: None),
    Column("駐車場情報", "会場の駐車・駐輪スペース。", "", lambda r, c: None),
    Column("定員", "イベントの募集人数。", "30", _get("capacity")),
    Column(
        "参加申込終了日",
        "申込締切日(YYYY-MM-DD)。",
        "2016-09-24",
        lambda r, c: (_registration_closes(r) or "")[:10] or None,
    ),
    Column(
        "参加申込終了時間",
        "申込締切時刻(hh:mm、日本時間)。",
        "17:00",
        lambda r, c: (_registration_closes(r) or "")[11:16] or None,
    ),
    Column(
        "参加申込方法",
        "申込方法。",
        "イベントのページ(URL欄)の申込フォームから申し込みます。",
        _registration_method,
    ),
    Column(
        "URL",
        "イベントについての情報のページ。",
        "https://example.jp/events/briefing-2016-09-25/",
        _get("url"),
    ),
    Column(
        "備考",
        "特記事項(イベントの種類、オンライン参加の有無、関連プロジェクト)。",
        "種類:説明会。",
        _event_note,
    ),
)


def _events():
    return public_records.event_records(public_records.published_events().order_by("starts_at", "pk"))


# Annual results


def _breakdown(facet_key):
    def read(record, context):
        rows = record["breakdowns"].get(facet_key, [])
        return "、".join(f"{row['name']}({row['count']})" for row in rows)

    return read


ANNUAL_COLUMNS = (
    Column("年度", "年度(4月1日から翌年3月31日。始まる年の西暦)。", "2016", _get("fiscal_year")),
    Column("年度の表記", "年度の名前。", "2016年度", _get("label")),
    Column("開始日", "年度の最初の日。", "2016-04-01", _get("start")),
    Column("終了日", "年度の最後の日。", "2017-03-31", _get("end")),
    Column("プロジェクト数", "その年度に完了・進行したプロジェクトの数。", "4", _get("project_count")),
    Column("完了したプロジェクト数", "その年度に完了したプロジェクトの数。", "2", _get("completed_count")),
    Column(
        "進行中のプロジェクト数", "その年度に進行していたプロジェクトの数。", "2", _get("in_progress_count")
    ),
    Column(
        "支援した団体数",
        "その年度のプロジェクトで支援した団体の数(センター自身は含めません)。",
        "3",
        _get("organization_count"),
    ),
    Column(
        "支援内容別の件数",
        "支援内容ごとのプロジェクト数(「名前(件数)」を「、」区切り)。",
        "経理改善(2)、Facebook活用(1)",
        _breakdown("support"),
    ),
    Column(
        "地域別の件数",
        "地域ごとのプロジェクト数(「名前(件数)」を「、」区切り)。",
        "八王子市(3)",
        _breakdown("area"),
    ),
    Column(
        "プロジェクト",
        "その年度のプロジェクトのスラッグ(完了したもの、進行中のものの順に「、」区切り)。",
        "cat-homes-accounting、facebook-page",
        lambda r, c: "、".join(project["slug"] for project in r["projects"]),
    ),
)


def _annual_results():
    return [
        public_records.annual_results_record(year) for year in sorted(available_fiscal_years(dates.today()))
    ]


DATASETS = (
    Dataset(
        key="projects",
        title="プロジェクト一覧",
        description="センターが支援したプロボノプロジェクトの一覧です。進捗状況は、1件の進捗を1行にした別の表"
        "(project_progress.csv)にあり、プロジェクトのスラッグで結び付きます。",
        keywords=("プロボノ", "プロジェクト", "市民活動", "八王子市"),
        records=_projects,
        tables=(
            Table("projects.csv", "プロジェクト", PROJECT_COLUMNS),
            Table("project_progress.csv", "進捗状況", PROGRESS_COLUMNS, rows=_progress_rows),
        ),
        json_filename="projects.json",
    ),
    Dataset(
        key="organizations",
        title="団体一覧",
        description="プロボノの支援を受けた団体(市民活動団体・NPOなど)の基本情報です。",
        keywords=("団体", "市民活動", "NPO", "八王子市"),
        records=_organizations,
        tables=(Table("organizations.csv", "団体", ORGANIZATION_COLUMNS),),
        json_filename="organizations.json",
    ),
    Dataset(
        key="events",
        title="イベント一覧",
        description="センターが開くイベント(説明会・研修・成果報告会など)の一覧です。項目は、デジタル庁の推奨データセット"
        "「イベント一覧」にそろえています。",
        keywords=("イベント", "説明会", "推奨データセット", "八王子市"),
        records=_events,
        tables=(Table("events.csv", "イベント", EVENT_COLUMNS),),
        json_filename="events.json",
        notes=("このサイトで記録していない項目(カナ・英語の名称、料金、緯度・経度など)は空欄です。",),
    ),
    Dataset(
        key="annual_results",
        title="年度別実績",
        description="年度ごとの支援実績(プロジェクト数、支援した団体数、支援内容別・地域別の件数)です。",
        keywords=("年度別実績", "統計", "プロボノ", "八王子市"),
        records=_annual_results,
        tables=(Table("annual_results.csv", "年度別実績", ANNUAL_COLUMNS),),
        json_filename="annual_results.json",
    ),
)

DATASETS_BY_KEY = {dataset.key: dataset for dataset in DATASETS}
FILENAMES = {name: dataset for dataset in DATASETS for name in dataset.filenames}


def file_format(filename):
    return JSON if filename.endswith(".json") else CSV
