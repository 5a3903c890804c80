"""The synonyms the site ships with, as rows 事務局 can edit or delete (設定 → 同義語).

Each group is words a visitor types for one thing the center's pages say in another way: the demo's
pages write ウェブサイト, 子ども, 寄付, 障害, NPO法人, 手引き, 町会 …, and people search for HP, 子供,
寄附, 障がい, 特定非営利活動法人, マニュアル, 自治会 ….

Left out on purpose, because the words mean different things on this site:
- 会計 and 経理 (accounts and back-office work; the pages name them together, 経理・会計, anyway);
- 高齢者 and シニア (シニアプロボノ are older volunteers; 高齢者福祉 is about the people they help);
- 助成金 and 補助金 (a grant and a public subsidy are applied for differently);
- オンライン and リモート (close, but オンラインプロボノ is a program's name);
- ボラ (a fish as well; ボラ already finds ボランティア, since a word's beginning is found);
- サイト (inside ウェブサイト already, and a part of many words).

A group whose first word is already in some group is skipped, so running it again adds nothing and
never brings back a group that staff changed. Reversing keeps the rows: they are staff's data by then.
"""

from django.db import migrations

DEFAULT_SYNONYMS = (
    (("ホームページ", "ウェブサイト", "Webサイト", "HP"), "サイトの呼び方の違い"),
    (("子ども", "子供", "こども"), "表記の違い"),
    (("寄付", "寄附"), "表記の違い(寄附は法令の表記)"),
    (("障害", "障がい", "障碍"), "表記の違い"),
    (("取り組み", "取組み", "取組"), "送り仮名の違い"),
    (("引き継ぎ", "引継ぎ", "引継"), "送り仮名の違い"),
    (("NPO法人", "特定非営利活動法人"), "略称と正式名称"),
    (("クラウドファンディング", "クラファン"), "略称"),
    (("スマートフォン", "スマホ"), "略称"),
    (("メールマガジン", "メルマガ"), "略称"),
    (("SNS", "ソーシャルメディア"), "同じものの別の呼び方"),
    (("ファンドレイジング", "資金調達"), "同じものの別の呼び方"),
    (("広報", "PR"), "同じものの別の呼び方"),
    (("見える化", "可視化"), "同じものの別の呼び方"),
    (("マニュアル", "手引き", "手順書"), "同じものの別の呼び方"),
    (("チラシ", "フライヤー"), "同じものの別の呼び方"),
    (
        ("ネット販売", "ネットショップ", "通販", "インターネット販売", "オンラインショップ", "ECサイト"),
        "同じものの別の呼び方",
    ),
    (("個人情報保護法", "個人情報の保護に関する法律"), "略称と正式名称"),
    (("町会", "町内会", "自治会"), "地域によって呼び方が違う"),
)


def words(terms):
    return [line.strip() for line in terms.splitlines() if line.strip()]


def add_default_synonyms(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    existing = {word for group in SynonymGroup.objects.all() for word in words(group.terms)}
    for terms, note in DEFAULT_SYNONYMS:
        if terms[0] in existing:
            continue
        SynonymGroup.objects.create(terms="\n".join(terms), note=note)
        existing.update(terms)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(add_default_synonyms, migrations.RunPython.noop)]
