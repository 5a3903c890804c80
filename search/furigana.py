"""ふりがな: ruby on the kanji of public pages, for visitors who chose it (home/display.py).

`FuriganaMiddleware` sits inside the page cache (cms/settings/base.py), so a page stored with ふりがな
already carries its ruby, and the cache keeps it apart from the page without (the key holds the display
variant). It rewrites only the text between tags of a public HTML page answered 200: tags, attributes,
comments, scripts and styles are copied byte for byte, so removing the added `<ruby>`, `<rt>` and
`</ruby>` gives the page back exactly. It leaves alone the text of the elements in `SKIPPED_ELEMENTS`
(code, form choices, the admin's userbar, ruby already there), of any element marked `data-no-furigana`,
and addresses written in the text (https://…).

Readings come from search's morphological analyzer (search/morphology.py: Sudachi's readings) and from the
読み仮名辞書 事務局 keep (`LocalReading`: 由木 -> ゆぎ, 廿里 -> とどり), through the one rule that search
reads texts by too (search/local_readings.py: where an entry wins over the analyzer).

Okurigana stay outside the ruby when the reading lines up with the word's kana
(申し込み -> 申(もう)し込(こ)み); otherwise the whole word carries its reading. docs/reading-aids.md has
the details and the measured cost.
"""

import re
from functools import lru_cache

from home.display import display_preferences

from .local_readings import hiragana, read_words, reading_index
from .morphology import words

# Pages the visitor's ふりがな choice does not apply to: the admin, its previews, files, the switch itself.
EXCLUDED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/display/")
# Larger pages are sent without ruby (the page cache stores nothing larger either).
MAX_HTML_BYTES = 2_000_000
# Elements whose text is not read as prose, or must stay exactly as written.
SKIPPED_ELEMENTS = frozenset(
    {
        "head",
        "code",
        "pre",
        "kbd",
        "samp",
        "var",
        "svg",
        "math",
        "ruby",
        "rt",
        "rp",
        "select",
        "option",
        "optgroup",
        "datalist",
        "template",
        "wagtail-userbar",
    }
)
# Elements whose content is raw text up to their end tag (never markup).
RAW_TEXT_ELEMENTS = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"}
)
VOID_ELEMENTS = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
NO_FURIGANA_ATTRIBUTE = re.compile(r"[\s\"']data-no-furigana(?=[\s=/>])", re.IGNORECASE)

# Text nodes up to this length have their ruby remembered (menus, headings and labels repeat on every page).
CACHED_TEXT_LENGTH = 400

_KANJI_CHARS = "\u3005\u3006\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_KANJI = re.compile(f"[{_KANJI_CHARS}]")
# In a word, small ヶ and ヵ are read with its kanji (絹ヶ丘: きぬがおか).
_KANJI_LIKE = re.compile(f"[{_KANJI_CHARS}ヶヵ]+")
_KANA = re.compile(r"[ぁ-ゖゝゞァ-ヺー・ヽヾ]+")
_READING = re.compile(r"[ぁ-ゖゝゞー]+")
# An address written in the text stays as written.
_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)

_TOKEN = re.compile(
    r"""<!--.*?-->
      | <![^>]*>
      | <\?[^>]*>
      | </[A-Za-z][^>]*>
      | <([A-Za-z][A-Za-z0-9:_.-]*)(?:[^>"'<]|"[^"]*"|'[^']*')*>""",
    re.DOTALL | re.VERBOSE,
)
_END_TAG_NAME = re.compile(r"</([A-Za-z][A-Za-z0-9:_.-]*)")
# After "<", these start markup; anything else ("< 3", "<3") is text.
_MARKUP_START = re.compile(r"<[A-Za-z!/?]")


# Readings of one word


@lru_cache(maxsize=16384)
def word_ruby(surface, kana):
    """HTML for one word (`surface`, HTML text as written) with ruby from its reading `kana` (katakana or
    hiragana); the surface unchanged when it has no kanji or the reading is not plain kana."""
    if not _KANJI.search(surface):
        return surface
    reading = hiragana(kana or "")
    if not _READING.fullmatch(reading):
        return surface
    runs = _runs(surface)
    if any(kind == "other" for kind, _ in runs):
        # NPO法人, 2026年度: each stretch of kanji and kana is read on its own.
        return "".join(run if kind == "other" else annotate_plain(run) for kind, run in _merge_runs(runs))
    pattern = "".join("(.+?)" if kind == "kanji" else re.escape(hiragana(run)) for kind, run in runs)
    matched = re.fullmatch(pattern, reading)
    if matched is None:
        return _ruby(surface, reading)
    parts, groups = [], iter(matched.groups())
    for kind, run in runs:
        parts.append(_ruby(run, next(groups)) if kind == "kanji" else run)
    return "".join(parts)


def _ruby(base, reading):
    return f"<ruby>{base}<rt>{reading}</rt></ruby>"


def _runs(surface):
    """The surface as (kind, text) runs: "kanji", "kana" or "other"."""
    runs, position = [], 0
    while position < len(surface):
        for kind, pattern in (("kanji", _KANJI_LIKE), ("kana", _KANA)):
            found = pattern.match(surface, position)
            if found:
                runs.append((kind, found.group()))
                position = found.end()
                break
        else:
            if runs and runs[-1][0] == "other":
                runs[-1] = ("other", runs[-1][1] + surface[position])
            else:
                runs.append(("other", surface[position]))
            position += 1
    return runs


def _merge_runs(runs):
    """Kanji and kana runs joined into the stretches between other characters."""
    merged = []
    for kind, run in runs:
        kind = "other" if kind == "other" else "text"
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + run)
        else:
            merged.append((kind, run))
    return merged


def annotate_plain(text):
    """Ruby from the analyzer alone (no local readings) for a text without markup."""
    return "".join(word_ruby(word.surface, word.spoken) for word in _words(text))


def _words(text):
    found = words(text)
    if "".join(word.surface for word in found) != text:
        return ()  # never expected: the analyzer keeps every character
    return found


# Text and pages


def annotate_text(text, index=None):
    """HTML text (between tags, entities as written) with ruby on its words that hold kanji."""
    if not _KANJI.search(text):
        return text
    index = index if index is not None else reading_index()
    if len(text) <= CACHED_TEXT_LENGTH:
        return _annotate_remembered(text, index)
    return _annotate(text, index)


@lru_cache(maxsize=8192)
def _annotate_remembered(text, index):
    return _annotate(text, index)


def _annotate(text, index):
    parts, position = [], 0
    for address in _ADDRESS.finditer(text):
        parts.append(_annotate_prose(text[position : address.start()], index))
        parts.append(address.group())
        position = address.end()
    parts.append(_annotate_prose(text[position:], index))
    return "".join(parts)


def _annotate_prose(text, index):
    if not _KANJI.search(text):
        return text
    found_words = _words(text)
    if not found_words:
        return text
    return "".join(word_ruby(word.surface, word.spoken) for word in read_words(text, found_words, index))


_RUBY = re.compile(r"<ruby>[^<]*<rt>([^<]*)</rt></ruby>")


def reading(text):
    """The text's reading as ふりがな shows it, in hiragana: the ruby in place of the kanji it is on."""
    return hiragana(_RUBY.sub(r"\1", annotate_text(text)))


def annotate_html(html, index=None):
    """The page with ruby on the text that visitors read (see the module's docstring)."""
    index = index if index is not None else reading_index()
    parts = []
    position = text_start = 0
    skipped, skipped_depth = None, 0
    stopped = False
    while True:
        found = _MARKUP_START.search(html, position)
        if found is None:
            break
        tag_start = found.start()
        token = _TOKEN.match(html, tag_start)
        if token is None:
            # Markup this reader cannot follow: the rest of the page stays as it is.
            stopped = True
            break
        text = html[text_start:tag_start]
        parts.append(text if skipped else annotate_text(text, index))
        parts.append(token.group())
        position = text_start = token.end()
        name = (token.group(1) or "").lower()
        if name:
            tag = token.group()
            self_closing = tag.endswith("/>") or name in VOID_ELEMENTS
            if name in RAW_TEXT_ELEMENTS and not self_closing:
                closing = re.compile(rf"</{re.escape(name)}[\s/>]", re.IGNORECASE).search(html, position)
                if closing is None:
                    stopped = True
                    break
                parts.append(html[position : closing.start()])
                position = text_start = closing.start()
            elif skipped:
                if name == skipped and not self_closing:
                    skipped_depth += 1
            elif not self_closing and (name in SKIPPED_ELEMENTS or NO_FURIGANA_ATTRIBUTE.search(tag)):
                skipped, skipped_depth = name, 1
        elif skipped and token.group().startswith("</"):
            closed = _END_TAG_NAME.match(token.group())
            if closed and closed.group(1).lower() == skipped:
                skipped_depth -= 1
                if skipped_depth == 0:
                    skipped = None
    rest = html[text_start:]
    parts.append(rest if stopped or skipped else annotate_text(rest, index))
    return "".join(parts)


def wants_furigana(request, response):
    if not display_preferences(request).furigana:
        return False
    if request.path_info.startswith(EXCLUDED_PREFIXES):
        return False
    if response.status_code != 200 or response.streaming or response.has_header("Content-Encoding"):
        return False
    if not response.get("Content-Type", "").lower().startswith("text/html"):
        return False
    return len(response.content) <= MAX_HTML_BYTES


class FuriganaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if wants_furigana(request, response):
            charset = response.charset or "utf-8"
            try:
                html = response.content.decode(charset)
            except (UnicodeDecodeError, LookupError):
                return response
            response.content = annotate_html(html).encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
