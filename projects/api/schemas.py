"""The API's pydantic schemas: the records of projects/public_records.py field by field, with the Japanese
descriptions that the OpenAPI schema and the documentation page show, and the query parameters."""

import datetime
from typing import Annotated, Literal

from ninja import Field, Schema

from projects.models import EventKind, ProjectStatus

from .errors import RULES
from .params import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, MAX_VALUES, SLUG_LENGTH

Slug = Annotated[str, Field(max_length=SLUG_LENGTH)]
Year = Annotated[str, Field(pattern=r"^[0-9]{4}$")]
StatusValue = Literal[tuple(ProjectStatus.values)]
KindValue = Literal[tuple(EventKind.values)]


def _many(description):
    return Field(default=[], description=description, max_length=MAX_VALUES)


# --- Query parameters ---------------------------------------------------------------------------------


class Page(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="1回に返す件数。" + RULES["limit"])
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="先頭から飛ばす件数。" + RULES["offset"])


FACET_HELP = "のスラッグ(/api/taxonomy/ で確認できます)。複数指定するといずれかに当てはまるものを返します。"


class ProjectFilters(Page):
    problem: list[Slug] = _many("解決したい課題" + FACET_HELP)
    category: list[Slug] = _many("カテゴリ" + FACET_HELP)
    support: list[Slug] = _many("支援内容" + FACET_HELP)
    area: list[Slug] = _many("地域" + FACET_HELP)
    program: list[Slug] = _many("プログラム" + FACET_HELP)
    status: list[StatusValue] = _many(
        "進捗率(preparing: 準備中、recruiting: 募集中、in_progress: 進行中、completed: 完了)。"
        "複数指定できます。"
    )
    year: list[Year] = _many(
        "開始年度(4月から翌年3月まで。例: 2016 は2016年4月〜2017年3月)。複数指定できます。"
    )
    q: str = Field(
        "",
        max_length=200,
        description="キーワード。タイトル・本文・団体名・分類名から探します。200文字以内。",
    )
    sort: Literal["updated", "newest", "title"] = Field(
        "updated", description="並び順。updated: 更新順(既定)、newest: 開始日の新しい順、title: タイトル順。"
    )


class OrganizationFilters(Page):
    area: Slug = Field("", description="団体の主な活動地域のスラッグ(/api/taxonomy/area/ で確認できます)。")
    category: Slug = Field("", description="団体が行うプロジェクトのカテゴリのスラッグ。")


class EventFilters(Page):
    when: Literal["upcoming", "past"] = Field(
        "upcoming",
        description="upcoming: これから(終了前)のイベント、開始日時の早い順(既定)。"
        "past: 終了したイベント、新しい順。",
    )
    kind: KindValue | Literal[""] = Field(
        "",
        description="種類(briefing: 説明会、training: 研修、orientation: オリエンテーション、"
        "kickoff: キックオフ、report: 成果報告会、other: その他)。",
    )


# --- Records --------------------------------------------------------------------------------------------


class Error(Schema):
    detail: str = Field(description="エラーの内容(日本語)。")


class Choice(Schema):
    value: str = Field(description="値(英数字)。")
    label: str = Field(description="表示名。")


class Term(Schema):
    slug: str = Field(description="スラッグ。絞り込みに使います。")
    name: str = Field(description="名称。")


class TermCount(Term):
    count: int = Field(description="その分類の公開中のプロジェクトの数。")


class PageLink(Schema):
    slug: str = Field(description="スラッグ。")
    title: str = Field(description="タイトル。")
    url: str = Field(description="ページのURL。")


class OrganizationLink(Schema):
    slug: str = Field(description="団体のスラッグ。")
    name: str = Field(description="団体名。")
    url: str = Field(description="団体ページのURL。")


class Link(Schema):
    title: str = Field(description="リンクの名前。")
    url: str = Field(description="URL。")


class ProgressEntry(Schema):
    date: datetime.date = Field(description="日付。")
    title: str = Field(description="見出し。")
    text: str = Field(description="内容(プレーンテキスト)。")
    link: Link | None = Field(description="関連リンク。ない場合は null。")


class Facets(Schema):
    problem: list[Term] = Field(description="解決したい課題。")
    category: list[Term] = Field(description="カテゴリ。")
    support: list[Term] = Field(description="支援内容。")
    area: list[Term] = Field(description="地域。")
    program: list[Term] = Field(description="プログラム。")


class Project(Schema):
    slug: str = Field(description="スラッグ。/api/projects/{slug}/ で1件を取得できます。")
    title: str = Field(description="プロジェクト名。")
    url: str = Field(description="プロジェクトページのURL。")
    organization: OrganizationLink | None = Field(description="支援先団体。公開されていない場合は null。")
    summary: str = Field(description="概要。")
    body: str = Field(description="本文(プレーンテキスト)。")
    status: Choice = Field(description="進捗率(準備中・募集中・進行中・完了)。")
    fiscal_year: int | None = Field(description="開始年度。開始日がない場合は null。")
    started_on: datetime.date | None = Field(description="開始日。")
    ended_on: datetime.date | None = Field(description="終了日。")
    team_size: int | None = Field(description="プロボノワーカーの人数。")
    outcome: str = Field(description="成果(プレーンテキスト)。")
    facets: Facets = Field(description="5つの分類ごとの項目。")
    progress: list[ProgressEntry] = Field(description="進捗状況。日付の古い順。")
    links: list[Link] = Field(description="関連レポート。")
    updated_at: datetime.datetime | None = Field(description="最終公開日時(日本時間)。")


class Area(Schema):
    slug: str = Field(description="地域のスラッグ。")
    name: str = Field(description="地域名。")


class Organization(Schema):
    slug: str = Field(description="スラッグ。/api/organizations/{slug}/ で1件を取得できます。")
    name: str = Field(description="団体名。")
    url: str = Field(description="団体ページのURL。")
    legal_form: str = Field(description="法人格・団体の種類。")
    representative: str = Field(description="代表者名(団体の了承を得て公開しているもの。ない場合は空文字)。")
    postal_code: str = Field(description="郵便番号。")
    address: str = Field(description="所在地(公開してよい範囲)。")
    website: str = Field(description="ホームページのURL。")
    area: Area | None = Field(description="主な活動地域。")
    founded_year: int | None = Field(description="設立年(西暦)。")
    description: str = Field(description="団体の紹介(プレーンテキスト)。")
    project_count: int = Field(description="公開中のプロジェクトの数。")
    updated_at: datetime.datetime | None = Field(description="最終公開日時(日本時間)。")


class Registration(Schema):
    enabled: bool = Field(description="サイトで参加申込を受け付けるかどうか。")
    opens_at: datetime.datetime | None = Field(description="申込開始日時。null なら公開と同時。")
    closes_at: datetime.datetime | None = Field(description="申込締切日時。null なら開始日時まで。")


class Event(Schema):
    slug: str = Field(description="スラッグ。/api/events/{slug}/ で1件を取得できます。")
    title: str = Field(description="イベント名。")
    url: str = Field(description="イベントページのURL。")
    kind: Choice = Field(description="種類。")
    starts_at: datetime.datetime = Field(description="開始日時(日本時間)。")
    ends_at: datetime.datetime = Field(description="終了日時(日本時間)。")
    venue: str = Field(description="会場。")
    address: str = Field(description="会場の住所。")
    online: bool = Field(description="オンラインで参加できるかどうか(参加URLは申込者にだけ知らせます)。")
    capacity: int | None = Field(description="定員。null は定員なし。")
    registration: Registration = Field(description="参加申込。")
    description: str = Field(description="内容(プレーンテキスト)。")
    projects: list[PageLink] = Field(description="関連プロジェクト。")
    updated_at: datetime.datetime | None = Field(description="最終公開日時(日本時間)。")


def _list_of(item, name, label):
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {
                "count": int,
                "next": str | None,
                "previous": str | None,
                "items": list[item],
            },
            "count": Field(description=f"条件に当てはまる{label}の総数。"),
            "next": Field(description="次のページのURL。最後のページでは null。"),
            "previous": Field(description="前のページのURL。最初のページでは null。"),
            "items": Field(description=f"{label}(最大 limit 件)。"),
        },
    )


ProjectList = _list_of(Project, "ProjectList", "プロジェクト")
OrganizationList = _list_of(Organization, "OrganizationList", "団体")
EventList = _list_of(Event, "EventList", "イベント")


class Facet(Schema):
    key: str = Field(description="分類のキー(problem、category、support、area、program)。")
    label: str = Field(description="分類の名前。")
    terms: list[TermCount] = Field(description="項目。表示順。")


class Taxonomy(Schema):
    facets: list[Facet] = Field(description="5つの分類。")


class AnnualSummary(Schema):
    fiscal_year: int = Field(description="年度(4月始まり。2016 は2016年4月1日〜2017年3月31日)。")
    label: str = Field(description="表示名(例: 2016年度)。")
    start: datetime.date = Field(description="年度の初日。")
    end: datetime.date = Field(description="年度の最終日。")
    project_count: int = Field(description="その年度に完了した・進行中だったプロジェクトの数。")
    completed_count: int = Field(description="その年度に完了したプロジェクトの数。")
    in_progress_count: int = Field(description="その年度に進行中だったプロジェクトの数。")
    organization_count: int = Field(description="支援した団体の数(センター自身を除く)。")


class AnnualSummaryList(Schema):
    items: list[AnnualSummary] = Field(description="実績のある年度。新しい順。")


class TermTally(Schema):
    slug: str = Field(description="スラッグ。")
    name: str = Field(description="名称。")
    count: int = Field(description="その年度のプロジェクトのうち、この項目のものの数。")


class Breakdowns(Schema):
    support: list[TermTally] = Field(description="支援内容別。")
    area: list[TermTally] = Field(description="地域別。")


class AnnualProject(PageLink):
    status: Choice = Field(description="進捗率。")


class AnnualResults(AnnualSummary):
    breakdowns: Breakdowns = Field(description="分類別の内訳。多い順。")
    projects: list[AnnualProject] = Field(
        description="その年度のプロジェクト。完了したもの、進行中のものの順。"
    )


ERRORS = {400: Error, 404: Error, 429: Error}
