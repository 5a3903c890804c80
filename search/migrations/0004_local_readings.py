"""読み仮名辞書 (search/furigana.py): the model, the local names of Hachioji that the analyzer misreads or
does not know, and 事務局's permission to keep the list. Running the seeding again changes nothing; an
entry staff already changed is left as it is."""

import search.models.readings
from django.db import migrations, models


PLACE, ORGANIZATION = "place", "organization"
# Each checked against Sudachi's core dictionary (tests/fixtures/furigana_words.tsv lists them with the
# names it reads right). Left out while their reading could not be confirmed: 柚木 on its own, 泉町, 中野上町.
SEEDS = [
    ("由木", "ゆぎ", PLACE),
    ("浅川", "あさかわ", PLACE),
    ("北浅川", "きたあさかわ", PLACE),
    ("西浅川", "にしあさかわ", PLACE),
    ("高尾", "たかお", PLACE),
    ("裏高尾", "うらたかお", PLACE),
    ("廿里", "とどり", PLACE),
    ("弐分方", "にぶかた", PLACE),
    ("左入", "さにゅう", PLACE),
    ("小比企", "こびき", PLACE),
    ("小比企町", "こびきまち", PLACE),
    ("長房", "ながぶさ", PLACE),
    ("散田", "さんだ", PLACE),
    ("戸吹", "とぶき", PLACE),
    ("八日町", "ようかまち", PLACE),
    ("八幡町", "やはたまち", PLACE),
    ("みなみ野", "みなみの", PLACE),
    ("宇津貫", "うつぬき", PLACE),
    ("宇津貫町", "うつぬきまち", PLACE),
    ("谷野", "やの", PLACE),
    ("小津", "おつ", PLACE),
    ("上恩方", "かみおんがた", PLACE),
    ("下恩方", "しもおんがた", PLACE),
    ("叶谷", "かのうや", PLACE),
    ("叶谷町", "かのうやまち", PLACE),
    ("元八王子", "もとはちおうじ", PLACE),
    ("元本郷", "もとほんごう", PLACE),
    ("東町", "あずまちょう", PLACE),
    ("本町", "もとまち", PLACE),
    ("日吉町", "ひよしちょう", PLACE),
    ("万町", "よろずちょう", PLACE),
    ("上野町", "うえのまち", PLACE),
    ("宮下町", "みやしたまち", PLACE),
    ("高倉町", "たかくらまち", PLACE),
    ("大船町", "おおふなまち", PLACE),
    ("館ヶ丘", "たてがおか", PLACE),
    ("館ケ丘", "たてがおか", PLACE),
    ("絹ヶ丘", "きぬがおか", PLACE),
    ("陣馬山", "じんばさん", PLACE),
    ("景信山", "かげのぶやま", PLACE),
    ("湯殿川", "ゆどのがわ", PLACE),
    ("川口川", "かわぐちがわ", PLACE),
    ("大栗川", "おおくりがわ", PLACE),
    ("由木ふれあいサロン", "ゆぎふれあいさろん", ORGANIZATION),
]
OFFICE = "事務局"
MODEL = "localreading"


def seed(apps, schema_editor):
    LocalReading = apps.get_model("search", "LocalReading")
    for surface, reading, kind in SEEDS:
        LocalReading.objects.get_or_create(surface=surface, defaults={"reading": reading, "kind": kind})
    grant(apps)


def grant(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    office = Group.objects.filter(name=OFFICE).first()
    if office is None:
        return
    # On a fresh database a model's permissions are only created after all migrations ran.
    content_type, _ = ContentType.objects.get_or_create(app_label="search", model=MODEL)
    for action in ("add", "change", "delete", "view"):
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_{MODEL}",
            defaults={"name": f"Can {action} {MODEL}"},
        )
        office.permissions.add(permission)


def unseed(apps, schema_editor):
    LocalReading = apps.get_model("search", "LocalReading")
    for surface, reading, _kind in SEEDS:
        LocalReading.objects.filter(surface=surface, reading=reading).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_office_search_permissions"),
        ("home", "0006_editorial_groups"),
    ]

    operations = [
        migrations.CreateModel(
            name="LocalReading",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "surface",
                    models.CharField(
                        error_messages={
                            "unique": "この表記はすでに登録されています。一覧から探して、その読みを直してください。"
                        },
                        help_text="ページに書かれているとおりの表記です（例：由木、廿里）。",
                        max_length=30,
                        unique=True,
                        validators=[search.models.readings.validate_surface],
                        verbose_name="表記",
                    ),
                ),
                (
                    "reading",
                    models.CharField(
                        help_text="ひらがなで入力します（例：ゆぎ、とどり）。ふりがなを表示するとき、この読みが使われます。",
                        max_length=60,
                        validators=[search.models.readings.validate_reading],
                        verbose_name="読み",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("place", "地名"), ("organization", "団体名"), ("other", "その他")],
                        default="place",
                        max_length=20,
                        verbose_name="種類",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新日時")),
            ],
            options={
                "verbose_name": "読み仮名",
                "verbose_name_plural": "読み仮名辞書",
                "ordering": ["surface"],
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
