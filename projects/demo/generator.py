"""Synthetic projects for benchmarks (`load_demo --projects N`), imported through import_catalog.

They come from a fixed random seed: the same N always gives the same organizations, projects and dates,
so a second run updates rather than adds, and timings are comparable between machines.
"""

import datetime
import random

from projects.catalog.importer import load_catalog_file

from .catalog import CATALOG_FILE

SEED = 802
# Fixed so that the output does not depend on the day it is generated.
REFERENCE_DATE = datetime.date(2026, 11, 1)
FIRST_FISCAL_YEAR = 2016
PROJECTS_PER_ORGANIZATION = 8

PLACES = [
    "高尾",
    "南大沢",
    "北野",
    "恩方",
    "川口",
    "八王子駅前",
    "石川",
    "由木",
    "長房",
    "めじろ台",
    "片倉",
    "みなみ野",
    "館",
    "散田",
    "小宮",
    "加住",
    "元本郷",
    "台町",
    "横山",
    "浅川",
]

# (organization name ending, categories, legal forms)
THEMES = [
    ("子ども食堂", ["children"], ["一般社団法人", "任意団体"]),
    ("子育てサロン", ["children"], ["任意団体"]),
    ("学習支援教室", ["children"], ["NPO法人", "任意団体"]),
    ("見守りの会", ["elderly"], ["任意団体"]),
    ("ふれあいサロン", ["elderly"], ["一般社団法人", "任意団体"]),
    ("里山クラブ", ["environment"], ["NPO法人", "任意団体"]),
    ("まちづくり協議会", ["environment"], ["一般社団法人"]),
    ("国際交流会", ["international"], ["任意団体", "NPO法人"]),
    ("日本語教室", ["international"], ["任意団体"]),
    ("手話サークル", ["disability"], ["任意団体"]),
    ("障害者作業所", ["disability"], ["NPO法人"]),
    ("保護猫の会", ["animals"], ["任意団体", "NPO法人"]),
    ("合唱団", ["culture"], ["任意団体"]),
    ("郷土芸能保存会", ["culture", "children"], ["任意団体"]),
    ("スポーツクラブ", ["sports"], ["NPO法人"]),
    ("防災会", ["disaster"], ["任意団体", "NPO法人"]),
]

# Support menu -> (problems it answers, project titles, deliverable).
SUPPORT = {
    "facebook": (
        ["outreach"],
        ["Facebookページの立ち上げ", "Facebookでの発信の見直し"],
        "Facebookページと運用マニュアル",
    ),
    "sns": (
        ["outreach", "volunteers"],
        ["InstagramとLINEでの情報発信", "SNSの投稿計画づくり"],
        "投稿計画表と運用ルール",
    ),
    "accounting": (
        ["back-office"],
        ["経理業務の効率化", "会計ルールと勘定科目の見直し"],
        "会計・経理のルールと勘定科目表",
    ),
    "website": (
        ["outreach"],
        ["ウェブサイトのリニューアル", "ホームページの更新体制づくり"],
        "新しいウェブサイトと更新手順書",
    ),
    "issue-mapping": (
        ["strategy", "capacity-building"],
        ["活動の棚卸しと課題整理", "これからの活動の方向づくり"],
        "課題整理の報告書",
    ),
    "print": (
        ["outreach", "fundraising"],
        ["活動紹介パンフレットの制作", "イベントチラシの刷新"],
        "パンフレットと印刷用データ",
    ),
    "manual": (
        ["succession", "back-office"],
        ["業務マニュアルづくり", "引き継ぎのための手順書づくり"],
        "業務マニュアル",
    ),
    "business-plan": (
        ["fundraising", "strategy"],
        ["3か年の事業計画づくり", "助成金申請に向けた事業計画"],
        "事業計画書",
    ),
    "volunteer-program": (
        ["volunteers"],
        ["ボランティア受け入れ体制づくり", "新しい担い手を迎える仕組みづくり"],
        "受け入れの手引き",
    ),
    "survey": (["impact"], ["利用者アンケートの設計と分析", "活動の成果の見える化"], "調査報告書"),
    "fundraising-plan": (
        ["fundraising"],
        ["寄付と会員を募る仕組みづくり", "継続寄付の制度設計"],
        "寄付・会員制度の設計書",
    ),
}

# Programs by the fiscal year they began.
PROGRAMS = [
    (2017, "probono-hachioji"),
    (2018, "probono-hachioji-short"),
    (2019, "weekend-probono"),
    (2020, "online-probono"),
    (2022, "student-probono"),
    (2024, "senior-probono"),
]

MIDDLE_STEPS = [
    ("ヒアリング", "団体の皆さんから、現状と困りごとを詳しくうかがいました。"),
    ("チーム内ミーティング", "聞き取った内容から要件を整理し、進め方を話し合いました。"),
    ("中間提案", "たたき台を団体に見ていただき、意見をもとに見直しました。"),
    ("試行と振り返り", "試しに使っていただき、使いにくい点を洗い出しました。"),
]


def generate_catalog(count, *, seed=SEED):
    """A catalog (import format) with `count` projects and one organization for every few of them."""
    rng = random.Random(seed)
    taxonomies = load_catalog_file(CATALOG_FILE)["taxonomies"]
    areas = [term["slug"] for term in taxonomies["area"] if term["slug"] != "hachioji"]
    organizations = _organizations(rng, max(1, -(-count // PROJECTS_PER_ORGANIZATION)), areas)
    projects = [_project(rng, number, rng.choice(organizations)) for number in range(1, count + 1)]
    for organization in organizations:
        del organization["_theme"]
    return {"version": 1, "taxonomies": taxonomies, "organizations": organizations, "projects": projects}


def _organizations(rng, count, areas):
    names = [(place, theme) for place in PLACES for theme in THEMES]
    rng.shuffle(names)
    organizations = []
    for number in range(1, count + 1):
        place, theme = names[(number - 1) % len(names)]
        ending, _categories, legal_forms = theme
        legal_form = rng.choice(legal_forms)
        cycle = (number - 1) // len(names)
        name = f"{place}{ending}" + (f" 第{cycle + 1}" if cycle else "")
        if legal_form != "任意団体":
            name = f"{legal_form}{name}"
        organizations.append(
            {
                "slug": f"bench-org-{number:04d}",
                "name": name,
                "legal_form": legal_form,
                "representative": "",
                "postal_code": "",
                "address": "東京都八王子市",
                "website": "",
                "area": rng.choice(areas),
                "founded_year": rng.randint(1985, 2022),
                "description": f"{place}を拠点に活動する{ending}です。(ベンチマーク用に生成したデータです。)",
                "_theme": theme,
            }
        )
    return organizations


def _project(rng, number, organization):
    ending, categories, _legal_forms = organization["_theme"]
    support = rng.choice(list(SUPPORT))
    problems, titles, deliverable = SUPPORT[support]
    title = rng.choice(titles)
    fiscal_year = rng.randint(FIRST_FISCAL_YEAR, REFERENCE_DATE.year)
    started_on = datetime.date(fiscal_year, 4, 1) + datetime.timedelta(days=rng.randint(0, 300))
    status = _status(rng, started_on)
    team_size = rng.randint(2, 6)
    ended_on = None
    if status == "completed":
        ended_on = started_on + datetime.timedelta(days=rng.randint(60, 180))
    elif status in ("recruiting", "preparing"):
        started_on = None
    return {
        "slug": f"bench-project-{number:05d}",
        "title": title,
        "organization": organization["slug"],
        "summary": f"{organization['name']}の{title}を、{team_size}人のプロボノチームが支援します。",
        "body": (
            f"{ending}として活動するなかで、団体には長く抱えてきた悩みがありました。"
            f"プロボノチームは団体の皆さんと話し合いながら、{deliverable}をまとめます。\n\n"
            "(ベンチマーク用に生成したデータです。)"
        ),
        "status": status,
        "started_on": started_on.isoformat() if started_on else None,
        "ended_on": ended_on.isoformat() if ended_on else None,
        "team_size": team_size,
        "outcome": f"{deliverable}を納品しました。" if status == "completed" else "",
        "problem": problems[: rng.randint(1, len(problems))],
        "category": categories,
        "support": [support],
        "area": [organization["area"]],
        "program": [_program(rng, fiscal_year)],
        "progress": _progress(rng, status, started_on, ended_on),
        "links": [],
    }


def _status(rng, started_on):
    if started_on > REFERENCE_DATE:
        return rng.choice(["recruiting", "preparing"])
    if (REFERENCE_DATE - started_on).days < 200:
        return rng.choice(["in_progress", "in_progress", "recruiting", "preparing", "completed"])
    return "completed"


def _program(rng, fiscal_year):
    if fiscal_year == FIRST_FISCAL_YEAR:
        return "hometown-accompaniment"
    return rng.choice([slug for since, slug in PROGRAMS if since <= fiscal_year])


def _progress(rng, status, started_on, ended_on):
    if started_on is None:
        # Not started: the consultation that led to the project, a few weeks before the reference date.
        day = REFERENCE_DATE - datetime.timedelta(days=rng.randint(7, 60))
        entries = [(day, "センターへの相談", "団体から支援についての相談を受けました。")]
        if status == "recruiting":
            entries.append(
                (
                    day + datetime.timedelta(days=14),
                    "プロボノワーカーの募集開始",
                    "チームの募集を始めました。",
                )
            )
        return [_entry(*entry) for entry in entries]
    last_day = ended_on or REFERENCE_DATE
    span = max((last_day - started_on).days, 1)
    middle_count = rng.randint(0, 3) if status == "completed" else rng.randint(0, 4)
    offsets = sorted(rng.sample(range(1, span), min(middle_count, span - 1))) if span > 1 else []
    entries = [_entry(started_on, "キックオフ", "団体とプロボノチームが顔を合わせ、進め方を確認しました。")]
    for offset, (title, body) in zip(offsets, rng.sample(MIDDLE_STEPS, len(offsets)), strict=True):
        entries.append(_entry(started_on + datetime.timedelta(days=offset), title, body))
    if ended_on:
        entries.append(_entry(ended_on, "納品", "成果物を団体に納品しました。"))
    return entries


def _entry(day, title, body):
    return {"date": day.isoformat(), "title": title, "body": body}
