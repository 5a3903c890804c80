"""Rich text to plain text: the one conversion behind emails, calendar files, page descriptions, search
excerpts and the catalog's export.
"""

import html
import re

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
