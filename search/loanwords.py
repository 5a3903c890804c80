"""The brand and technical words that visitors type either in Latin letters or in katakana, shipped with the
site: search treats the words of each group as one (search/synonyms.py).

Only transliterations live here, words that mean exactly the same whichever way they are written, and
that a civic group's visitors actually type (the demo's support menus: Facebook, SNS, Instagram, LINE,
WordPress, IT). Synonyms that are a matter of judgment (ホームページ = ウェブサイト) are rows staff can edit
(SynonymGroup, with defaults from search/migrations/0002_default_synonyms.py).

Left out on purpose:
- X (Twitter's new name): one Latin letter, so it would also find X線, size X and every other lone x;
  pages write it "X(旧Twitter)" anyway.
- Word = ワード: ワード is also inside パスワード and キーワード.
- note = ノート: ノート is an ordinary notebook.
- HP: ホームページ as much as hit points or the company; it is in the ホームページ default row instead.

Kept with care: ライン (LINE) and インスタ (Instagram) are also parts of other words
(オンライン, ガイドライン; インスタント), and キャンバ (Canva) of キャンバス. Search finds any piece of a
compound, so these are TYPED_ONLY: typed, they also find the Latin word (ライン finds LINE); they are
never added to a search for the Latin word (LINE does not find オンライン).

Width and case variants (ｴｸｾﾙ, facebook) need no entry: search normalizes them.
"""

LOANWORDS = (
    # Social media and messaging
    ("Facebook", "フェイスブック"),
    ("Instagram", "インスタグラム", "インスタ"),
    ("LINE", "ライン"),
    ("Twitter", "ツイッター"),
    ("YouTube", "ユーチューブ"),
    ("TikTok", "ティックトック"),
    ("SNS", "エスエヌエス"),
    # Tools a group uses for its website, meetings and papers
    ("WordPress", "ワードプレス"),
    ("Zoom", "ズーム"),
    ("Google", "グーグル"),
    ("Excel", "エクセル"),
    ("PowerPoint", "パワーポイント", "パワポ"),
    ("Canva", "キャンバ"),
    ("Slack", "スラック"),
    # Abbreviations read out in katakana
    ("NPO", "エヌピーオー"),
    ("IT", "アイティー", "アイティ"),
    ("AI", "エーアイ"),
    ("DX", "デジタルトランスフォーメーション"),
    ("PC", "パソコン", "ピーシー"),
    ("Web", "ウェブ", "ウエブ"),
)

# Words that find their group when typed, but are never added to a search for another word of it.
TYPED_ONLY = frozenset({"ライン", "インスタ", "キャンバ"})
