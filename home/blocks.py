"""The shared StreamField block library: every page body on the site is built from these blocks."""

import datetime

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul", "hr"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="見出し", max_length=120)
    level = blocks.ChoiceBlock(
        label="レベル",
        choices=[("h2", "大見出し(h2)"), ("h3", "中見出し(h3)"), ("h4", "小見出し(h4)")],
        default="h2",
        search_index=False,
    )

    class Meta:
        icon = "title"
        label = "見出し"
        template = "blocks/heading_block.html"
        preview_value = {"text": "プロボノとは", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = "本文"
        template = "blocks/paragraph_block.html"
        preview_value = "<p>仕事で培ったスキルを地域の団体のために活かすボランティアです。</p>"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="画像")
    caption = blocks.CharBlock(label="キャプション", required=False, max_length=200)
    alt_text = blocks.CharBlock(
        label="代替テキスト",
        required=False,
        max_length=200,
        help_text="画像の内容を説明する文。空欄の場合は画像のタイトルを使います。",
    )

    class Meta:
        icon = "image"
        label = "画像"
        template = "blocks/captioned_image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="引用文")
    attribution = blocks.CharBlock(label="発言者・出典", required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = "引用"
        template = "blocks/quote_block.html"
        preview_value = {
            "text": "手伝ってくれる外部の人がいると分かって、肩の力が抜けました。",
            "attribution": "支援先団体の方",
        }


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="リンクの名前", max_length=200)
    url = blocks.URLBlock(label="URL", search_index=False)
    description = blocks.CharBlock(label="説明", required=False, max_length=300)

    class Meta:
        icon = "link"
        label = "リンク"
        template = "blocks/link_block.html"
        preview_value = {
            "title": "八王子市市民活動支援センター",
            "url": "https://example.org/",
            "description": "センターの公式サイト",
        }


class BodyStreamBlock(blocks.StreamBlock):
    """Blocks for article, project and standard page bodies."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(
        label="埋め込み",
        help_text="YouTube などのURLを入力すると埋め込み表示します。",
        icon="media",
        template="blocks/embed_block.html",
    )
    link = LinkBlock()


class ProgressEntryBlock(blocks.StructBlock):
    """One dated entry of a project's progress timeline (進捗状況)."""

    date = blocks.DateBlock(label="日付", format="%Y-%m-%d")
    title = blocks.CharBlock(label="タイトル", max_length=200)
    body = ParagraphBlock(label="内容", required=False)
    image = ImageChooserBlock(label="画像", required=False)
    link_url = blocks.URLBlock(label="関連リンクのURL", required=False, search_index=False)
    link_text = blocks.CharBlock(label="関連リンクの名前", required=False, max_length=200)

    class Meta:
        icon = "date"
        label = "進捗"
        template = "blocks/progress_entry_block.html"
        preview_value = {
            "date": datetime.date(2016, 9, 25),
            "title": "プロボノワーカー募集説明会(第1回)",
            "body": "<p>11人が参加しました。</p>",
        }


class ProgressStreamBlock(blocks.StreamBlock):
    entry = ProgressEntryBlock()


class MenuItemValue(blocks.StructValue):
    def link_url(self, request=None):
        """The item's address, or "" when its page is no longer live (the menu then leaves it out)."""
        page = self.get("page")
        if page is not None:
            return page.get_url(request=request) if page.live else ""
        return self.get("url") or ""

    def link_title(self):
        page = self.get("page")
        return self.get("title") or (page.title if page is not None else "")


class MenuItemBlock(blocks.StructBlock):
    """One entry of an editable menu: a page of the site, or an address elsewhere."""

    page = blocks.PageChooserBlock(label="ページ", required=False)
    url = blocks.URLBlock(
        label="外部のURL", required=False, help_text="サイト外へのリンクのときだけ入力します。"
    )
    title = blocks.CharBlock(
        label="表示名",
        required=False,
        max_length=40,
        help_text="空欄ならページのタイトルを表示します。外部のURLのときは必須です。",
    )

    class Meta:
        icon = "link"
        label = "メニュー項目"
        value_class = MenuItemValue

    def clean(self, value):
        value = super().clean(value)
        has_page, has_url = value.get("page") is not None, bool(value.get("url"))
        errors = {}
        if has_page == has_url:
            message = "ページか外部のURLの、どちらか一方を指定してください。"
            errors["page"] = ValidationError(message)
        elif has_url and not value.get("title"):
            errors["title"] = ValidationError("外部のURLには表示名を入力してください。")
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value


class MenuStreamBlock(blocks.StreamBlock):
    item = MenuItemBlock()
