"""The 38 success criteria of JIS X 8341-3:2016 (identical to WCAG 2.0) at levels A and AA, with the
standard's Japanese titles (without its suffix 「の達成基準」).

`automatic` marks the few criteria an automated test can judge on its own. Only 3.1.1 qualifies: axe
checks that the page declares a valid language, and the report also checks that it is Japanese. Every
other criterion needs a person, even where axe has rules for part of it (contrast over images, alt text
that exists but says nothing, focus order): axe can find a failure there, never prove conformance.

`media` marks the criteria about time-based media (1.2.x): they do not apply to pages without audio,
video or embedded players.
"""

import re
from dataclasses import dataclass

LEVEL_A = "A"
LEVEL_AA = "AA"


@dataclass(frozen=True)
class Criterion:
    number: str
    level: str
    title: str
    automatic: bool = False
    media: bool = False

    @property
    def label(self):
        return f"{self.number} {self.title}"


CRITERIA = (
    Criterion("1.1.1", LEVEL_A, "非テキストコンテンツ"),
    Criterion("1.2.1", LEVEL_A, "音声だけ及び映像だけ(収録済み)", media=True),
    Criterion("1.2.2", LEVEL_A, "キャプション(収録済み)", media=True),
    Criterion("1.2.3", LEVEL_A, "音声解説又はメディアに対する代替コンテンツ(収録済み)", media=True),
    Criterion("1.2.4", LEVEL_AA, "キャプション(ライブ)", media=True),
    Criterion("1.2.5", LEVEL_AA, "音声解説(収録済み)", media=True),
    Criterion("1.3.1", LEVEL_A, "情報及び関係性"),
    Criterion("1.3.2", LEVEL_A, "意味のある順序"),
    Criterion("1.3.3", LEVEL_A, "感覚的な特徴"),
    Criterion("1.4.1", LEVEL_A, "色の使用"),
    Criterion("1.4.2", LEVEL_A, "音声の制御"),
    Criterion("1.4.3", LEVEL_AA, "コントラスト(最低限レベル)"),
    Criterion("1.4.4", LEVEL_AA, "テキストのサイズ変更"),
    Criterion("1.4.5", LEVEL_AA, "文字画像"),
    Criterion("2.1.1", LEVEL_A, "キーボード"),
    Criterion("2.1.2", LEVEL_A, "キーボードトラップなし"),
    Criterion("2.2.1", LEVEL_A, "タイミング調整可能"),
    Criterion("2.2.2", LEVEL_A, "一時停止、停止及び非表示"),
    Criterion("2.3.1", LEVEL_A, "3回の閃光又は閾値以下"),
    Criterion("2.4.1", LEVEL_A, "ブロックスキップ"),
    Criterion("2.4.2", LEVEL_A, "ページタイトル"),
    Criterion("2.4.3", LEVEL_A, "フォーカス順序"),
    Criterion("2.4.4", LEVEL_A, "リンクの目的(コンテキスト内)"),
    Criterion("2.4.5", LEVEL_AA, "複数の手段"),
    Criterion("2.4.6", LEVEL_AA, "見出し及びラベル"),
    Criterion("2.4.7", LEVEL_AA, "フォーカスの可視化"),
    Criterion("3.1.1", LEVEL_A, "ページの言語", automatic=True),
    Criterion("3.1.2", LEVEL_AA, "一部分の言語"),
    Criterion("3.2.1", LEVEL_A, "フォーカス時"),
    Criterion("3.2.2", LEVEL_A, "入力時"),
    Criterion("3.2.3", LEVEL_AA, "一貫したナビゲーション"),
    Criterion("3.2.4", LEVEL_AA, "一貫した識別性"),
    Criterion("3.3.1", LEVEL_A, "エラーの特定"),
    Criterion("3.3.2", LEVEL_A, "ラベル又は説明"),
    Criterion("3.3.3", LEVEL_AA, "エラー修正の提案"),
    Criterion("3.3.4", LEVEL_AA, "エラー回避(法的、金融及びデータ)"),
    Criterion("4.1.1", LEVEL_A, "構文解析"),
    Criterion("4.1.2", LEVEL_A, "名前(name)・役割(role)及び値(value)"),
)

BY_NUMBER = {criterion.number: criterion for criterion in CRITERIA}

_WCAG_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")


def criterion_for_tag(tag):
    """The success criterion an axe tag names ("wcag143" -> 1.4.3), or None for other tags and for
    criteria outside WCAG 2.0 A/AA (such as 1.4.10 of WCAG 2.1)."""
    match = _WCAG_TAG.match(tag)
    if match is None:
        return None
    return BY_NUMBER.get(".".join(match.groups()))


def applies_at(criterion, target_level):
    """Whether a criterion is within a target level: A covers the A criteria, AA both."""
    return target_level == LEVEL_AA or criterion.level == LEVEL_A
