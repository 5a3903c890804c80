"""Plain text <-> rich text for the catalog: a blank line separates paragraphs, a newline is a line break.

Plain text becomes rich text through `paragraphs()`; rich text becomes plain text through the site's one
conversion (`home.text`), whose output `paragraphs()` leaves as it is. So text that has been through an
import and an export once comes back unchanged from every later round trip.
"""

import re
from html import escape

from home.text import rich_text_to_plain

# A newline followed by one or more lines holding nothing but whitespace.
_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")

# StreamField blocks whose text the catalog carries, and where their text is.
BODY_TEXT_BLOCKS = ("paragraph", "heading", "quote")


def paragraphs(text):
    """The paragraphs of plain text, each a list of lines without trailing whitespace."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    result = []
    for block in _BLANK_LINES.split(text):
        lines = [line.rstrip() for line in block.split("\n")]
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        if lines:
            result.append(lines)
    return result


def normalize_plain(text):
    return "\n\n".join("\n".join(lines) for lines in paragraphs(text))


def plain_to_html(text):
    """`<p>` per paragraph, `<br/>` per line break, everything else escaped."""
    return "".join(
        "<p>" + "<br/>".join(escape(line, quote=False) for line in lines) + "</p>"
        for lines in paragraphs(text)
    )


def html_to_plain(html):
    """The text of rich text: block elements become paragraphs, `<br>` a newline, formatting is dropped."""
    return rich_text_to_plain(html, list_marks=False, paragraph_break="\n\n")


def plain_to_body(text):
    """Raw StreamField data for a body: one paragraph block holding every paragraph, or nothing."""
    html = plain_to_html(text)
    return [{"type": "paragraph", "value": html}] if html else []


def body_to_plain(stream):
    """The text of a body's paragraph, heading and quote blocks; images, embeds and links are not text."""
    parts = []
    for child in stream:
        if child.block_type == "paragraph":
            parts.append(html_to_plain(child.value.source))
        elif child.block_type in BODY_TEXT_BLOCKS:
            parts.append(child.value["text"])
    return normalize_plain("\n\n".join(parts))
