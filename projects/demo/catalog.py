"""The demo catalog: catalog.json plus two upcoming briefings dated from today, imported by import_catalog."""

import datetime

from projects.catalog.importer import import_catalog, load_catalog_file
from projects.models import EventPage, Registration, RegistrationStatus

from . import DEMO_DIR

CATALOG_FILE = DEMO_DIR / "catalog.json"
CENTER = "八王子市市民活動支援センター"
CENTER_ADDRESS = "東京都八王子市旭町12-1 ファルマ802ビル5階"
TOKYO = datetime.timezone(datetime.timedelta(hours=9), "JST")

# Slugs stay the same from day to day, so reloading the demo moves these events instead of adding new ones.
WEEKEND_BRIEFING = "upcoming-briefing-weekend"
WEEKNIGHT_BRIEFING = "upcoming-briefing-weeknight"

# People already registered for the upcoming briefings, so one has seats left and the other is nearly full.
# Fictional names; example.jp addresses never deliver mail.
DEMO_REGISTRANTS = [
    ("佐藤 美咲", "さとう みさき", "misaki.sato"),
    ("鈴木 健太", "すずき けんた", "kenta.suzuki"),
    ("高橋 由紀", "たかはし ゆき", "yuki.takahashi"),
    ("田中 翔", "たなか しょう", "sho.tanaka"),
    ("伊藤 直子", "いとう なおこ", "naoko.ito"),
    ("渡辺 誠", "わたなべ まこと", "makoto.watanabe"),
    ("山本 彩", "やまもと あや", "aya.yamamoto"),
    ("中村 大輝", "なかむら だいき", "daiki.nakamura"),
    ("小林 恵美", "こばやし えみ", "emi.kobayashi"),
    ("加藤 亮", "かとう りょう", "ryo.kato"),
    ("吉田 千尋", "よしだ ちひろ", "chihiro.yoshida"),
    ("山田 浩二", "やまだ こうじ", "koji.yamada"),
    ("佐々木 舞", "ささき まい", "mai.sasaki"),
    ("山口 拓海", "やまぐち たくみ", "takumi.yamaguchi"),
    ("松本 紗希", "まつもと さき", "saki.matsumoto"),
    ("井上 隆", "いのうえ たかし", "takashi.inoue"),
    ("木村 陽菜", "きむら はるな", "haruna.kimura"),
    ("林 和也", "はやし かずや", "kazuya.hayashi"),
    ("清水 真由", "しみず まゆ", "mayu.shimizu"),
    ("森 俊介", "もり しゅんすけ", "shunsuke.mori"),
]
REGISTRATIONS_PER_BRIEFING = {WEEKEND_BRIEFING: 7, WEEKNIGHT_BRIEFING: 18}


def _on_or_after(day, weekday):
    """The first `weekday` on or after `day`, skipping the New Year holidays when the center is closed."""
    day += datetime.timedelta(days=(weekday - day.weekday()) % 7)
    while (day.month, day.day) >= (12, 28) or (day.month, day.day) <= (1, 4):
        day += datetime.timedelta(days=7)
    return day


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TOKYO).isoformat()


def upcoming_briefings(today):
    """Two briefings in the catalog format: a Saturday in two weeks, and a Thursday evening in a month."""
    saturday = _on_or_after(today + datetime.timedelta(days=14), 5)
    thursday = _on_or_after(today + datetime.timedelta(days=30), 3)
    opened = _at(today - datetime.timedelta(days=10), 9)
    recruiting = ["hidamari-packaging-2026", "ongata-taiko-next-generation-2026"]
    return [
        {
            "slug": WEEKEND_BRIEFING,
            "title": "プロボノワーカー募集説明会(土曜午後)",
            "kind": "briefing",
            "starts_at": _at(saturday, 14),
            "ends_at": _at(saturday, 16),
            "venue": CENTER,
            "address": CENTER_ADDRESS,
            "online_url": "",
            "capacity": 30,
            "registration_opens_at": opened,
            "registration_closes_at": _at(saturday - datetime.timedelta(days=1), 17),
            "description": (
                "プロボノの仕組みと、これから始まる2つのプロジェクトの内容をご紹介します。"
                "後半は過去のプロジェクトに参加したワーカーとの座談会です。初めての方も気軽にお越しください。"
            ),
            "projects": recruiting,
            "registration_enabled": True,
            "waitlist_enabled": False,
        },
        {
            "slug": WEEKNIGHT_BRIEFING,
            "title": "プロボノワーカー募集説明会(平日夜・オンライン併用)",
            "kind": "briefing",
            "starts_at": _at(thursday, 19),
            "ends_at": _at(thursday, 20, 30),
            "venue": CENTER,
            "address": CENTER_ADDRESS,
            "online_url": "https://meet.example.jp/probono-hachioji",
            "capacity": 20,
            "registration_opens_at": opened,
            "registration_closes_at": _at(thursday, 12),
            "description": (
                "仕事帰りに参加できる平日夜の説明会です。会場とオンラインのどちらからでも参加できます。"
                "内容は土曜午後の回と同じです。定員に達したあとは、キャンセル待ちで受け付けます。"
            ),
            "projects": recruiting,
            "registration_enabled": True,
            "waitlist_enabled": True,
        },
    ]


def demo_catalog_data(today):
    """catalog.json with the upcoming briefings added, ready for import_catalog."""
    data = load_catalog_file(CATALOG_FILE)
    data["events"] = [*data.get("events", []), *upcoming_briefings(today)]
    return data


def import_demo_catalog(today):
    return import_catalog(demo_catalog_data(today), base_dir=DEMO_DIR)


def add_demo_registrations():
    """Register the demo people for the upcoming briefings; returns how many registrations were new."""
    created = 0
    for slug, count in REGISTRATIONS_PER_BRIEFING.items():
        event = EventPage.objects.get(slug=slug)
        for name, kana, mailbox in DEMO_REGISTRANTS[:count]:
            _registration, is_new = Registration.objects.get_or_create(
                event=event,
                email=f"{mailbox}@example.jp",
                defaults={"name": name, "name_kana": kana, "status": RegistrationStatus.CONFIRMED},
            )
            created += is_new
    return created
