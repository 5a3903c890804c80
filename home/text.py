"""Text rules: rich text to plain text (the one conversion behind emails, calendar files, page descriptions,
search excerpts and the catalog's export), and what a public form accepts as text and as an address.
"""

import html
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from wagtail.rich_text import expand_db_html

from home.origin import absolute_url

_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|div|pre|ul|ol|tr)\s*>|<hr\b[^>]*>", re.I)
_LINE_BREAK = re.compile(r"<br\s*/?>", re.I)
_LIST_ITEM = re.compile(r"<li\b[^>]*>", re.I)
_LINK = re.compile(r"<a\b[^>]*?\bhref=(\"[^\"]*\"|'[^']*')[^>]*>(.*?)</a\s*>", re.I | re.S)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_AFTER_JAPANESE_PUNCTUATION = re.compile(r"(?<=[。、！？」』）])\s+")
# Marks a paragraph's end while the markup is taken apart; a private-use character no editor types.
_PARAGRAPH = "\ue000"


def rich_text_to_plain(value, *, with_links=False, list_marks=True, paragraph_break="\n"):
    """Readable plain text of rich text (a RichText value, stored markup or plain text).

    Paragraphs and list items end with `paragraph_break`, `<br>` with a newline; blank lines and runs of
    spaces go. `list_marks` starts each list item with ・; `with_links` adds each link's absolute target in
    brackets after its text, for emails and calendar files where a link cannot be clicked.
    """
    if not value or callable(value):
        return ""
    markup = expand_db_html(str(value))
    if with_links:
        markup = _LINK.sub(_link_text, markup)
    if list_marks:
        markup = _LIST_ITEM.sub("・", markup)
    markup = _BLOCK_END.sub(_PARAGRAPH, markup)
    markup = _LINE_BREAK.sub("\n", markup)
    text = html.unescape(strip_tags(markup))
    paragraphs = []
    for block in text.split(_PARAGRAPH):
        lines = [_SPACES.sub(" ", line).strip() for line in block.splitlines()]
        lines = [line for line in lines if line]
        if lines:
            paragraphs.append("\n".join(lines))
    return paragraph_break.join(paragraphs)


def plain_line(value):
    """The text of rich or plain text on one line, without tags or entities. A line break after Japanese
    punctuation simply goes; others become a space."""
    if isinstance(value, (list, tuple)):
        return " ".join(text for text in (plain_line(item) for item in value) if text)
    text = rich_text_to_plain(value, list_marks=False)
    return " ".join(_AFTER_JAPANESE_PUNCTUATION.sub("", text).split())


def _link_text(match):
    href = html.unescape(match.group(1)[1:-1]).strip()
    text = match.group(2)
    if href.startswith("mailto:"):
        target = href[len("mailto:") :]
    elif href.startswith(("http://", "https://", "/")):
        target = absolute_url(href)
    else:
        return text
    if html.unescape(strip_tags(text)).strip() in (target, href):
        return text
    return f"{text} ({html.escape(target)})"


# What a public form accepts as text. Control characters could end up in an email's headers or break the
# roster's CSV; bidi overrides make a name or an address read differently from what it is; and a value of
# zero-width characters alone looks empty to staff while passing a required field.
UNREADABLE_TEXT = (
    "制御文字や、文字の向きを変える記号など、表示できない文字が含まれています。"
    "取り除いてから、もう一度入力してください。"
)
UNREADABLE_EMAIL = "メールアドレスに使えない文字(空白や制御文字など)が含まれています。"
LINE_BREAKS = frozenset("\t\n\r")
# U+202A-U+202E (embeddings and overrides) and U+2066-U+2069 (isolates).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Letters and symbols that render as nothing: the Hangul fillers and the blank Braille pattern.
BLANK_CHARACTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Format characters (zero-width spaces and joiners, U+2060, the BOM, soft hyphens), lone combining marks,
# separators, surrogates and unassigned code points show nothing on their own.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Mn", "Me", "Zs", "Zl", "Zp"})


def has_unreadable_characters(value, *, multiline=False):
    """Whether `value` holds a C0/C1 control character (tab and line breaks allowed in `multiline` text)
    or a bidi embedding, override or isolate."""
    for char in value:
        if char in BIDI_CONTROLS:
            return True
        if unicodedata.category(char) == "Cc" and not (multiline and char in LINE_BREAKS):
            return True
    return False


def has_visible_text(value):
    """Whether `value` shows anything: not only spaces, zero-width and other invisible characters."""
    return any(
        not char.isspace()
        and char not in BLANK_CHARACTERS
        and unicodedata.category(char) not in INVISIBLE_CATEGORIES
        for char in value
    )


def clean_visible_text(value, *, multiline=False):
    """A public form's text: ValidationError (in Japanese) for control and bidi characters, and "" for a
    value with nothing visible, so that a required field says it is empty and an optional one stays
    blank. Everything else is returned unchanged."""
    if has_unreadable_characters(value, multiline=multiline):
        raise ValidationError(UNREADABLE_TEXT, code="unreadable")
    return value if has_visible_text(value) else ""


def validate_email_characters(value):
    """An address goes into an email's To: header: no control, format (zero-width, bidi) or space
    characters, even inside a quoted local part ("a\\x01b"@example.jp passes Django's own check)."""
    if any(char.isspace() or unicodedata.category(char) in ("Cc", "Cf") for char in value):
        raise ValidationError(UNREADABLE_EMAIL, code="unreadable")
