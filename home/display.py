"""Display preferences: 文字サイズ, 背景色 and ふりがな, kept in three cookies (docs/reading-aids.md).

The cookies are not personal: every visitor with the same three values sees the same page. The page cache
(home/page_cache.py) therefore keeps one stored variant of a page per combination (`Display.variant`), not
one per visitor; a missing or unknown value reads as its default, so random cookie values cannot add
variants.

`/display/` (URL name `display`) sets them from a plain GET form or link, so the switches work without
JavaScript: `?text_size=large&next=/projects/` stores the choice and answers 303 to `next`, which must be a
path of this site (anything else goes to `/`). An unknown value gets a Japanese 400 page.

Templates read the choice as `display` (the context processor `context`).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme

TEXT_SIZE_COOKIE = "display_text_size"
SCHEME_COOKIE = "display_scheme"
FURIGANA_COOKIE = "display_furigana"

TEXT_SIZES = ("small", "normal", "large")
SCHEMES = ("white", "black", "blue")
FURIGANA_VALUES = ("on", "off")

DEFAULT_TEXT_SIZE = "normal"
DEFAULT_SCHEME = "white"
DEFAULT_FURIGANA = "off"

# The query parameter, its cookie and its allowed values.
PREFERENCES = {
    "text_size": (TEXT_SIZE_COOKIE, TEXT_SIZES),
    "scheme": (SCHEME_COOKIE, SCHEMES),
    "furigana": (FURIGANA_COOKIE, FURIGANA_VALUES),
}
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
# Longer values are not a choice of ours; `next` is a path of the site, and ours are short.
MAX_VALUE_LENGTH = 20
MAX_NEXT_LENGTH = 1000
MAX_QUERY_LENGTH = 1200
FALLBACK_NEXT = "/"

INVALID_TITLE = "表示の設定を変更できませんでした"
INVALID_MESSAGE = (
    "指定された表示の設定が正しくありません。"
    "ページ上部の「文字サイズ」「背景色」「ふりがな」のボタンから選び直してください。"
)
TOO_LONG_MESSAGE = (
    "指定された内容が長すぎるため、表示の設定を変更できませんでした。"
    "ページ上部のボタンから選び直してください。"
)


@dataclass(frozen=True)
class Display:
    text_size: str = DEFAULT_TEXT_SIZE
    scheme: str = DEFAULT_SCHEME
    furigana: bool = False
    # What the page cache keys a stored page by: one value per combination of the three.
    variant: str = field(init=False)

    def __post_init__(self):
        object.__setattr__(
            self, "variant", f"{self.text_size}.{self.scheme}.{'ruby' if self.furigana else 'plain'}"
        )


def _cookie_value(request, cookie, allowed, default):
    value = request.COOKIES.get(cookie, default)
    return value if value in allowed else default


def display_preferences(request):
    """The visitor's display preferences, each unknown or missing value read as its default."""
    found = getattr(request, "_display_preferences", None)
    if found is None:
        found = Display(
            text_size=_cookie_value(request, TEXT_SIZE_COOKIE, TEXT_SIZES, DEFAULT_TEXT_SIZE),
            scheme=_cookie_value(request, SCHEME_COOKIE, SCHEMES, DEFAULT_SCHEME),
            furigana=_cookie_value(request, FURIGANA_COOKIE, FURIGANA_VALUES, DEFAULT_FURIGANA) == "on",
        )
        request._display_preferences = found
    return found


def context(request):
    """Template context processor: `display`."""
    return {"display": display_preferences(request)}


def safe_next(value):
    """`value` when it is a path of this site, else "/": never another site, a scheme, a backslash (which
    browsers read as a slash) or a control character."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return FALLBACK_NEXT
    if "\\" in value or any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return FALLBACK_NEXT
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=None):
        return FALLBACK_NEXT
    return value


def display(request):
    """Store the chosen preferences and go back to `next`."""
    if request.method not in ("GET", "HEAD"):
        return _no_store(HttpResponseNotAllowed(["GET", "HEAD"]))
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return _invalid(request, TOO_LONG_MESSAGE)
    chosen = {}
    for name, (cookie, allowed) in PREFERENCES.items():
        values = request.GET.getlist(name)
        if not values:
            continue
        if len(values) > 1 or len(values[0]) > MAX_VALUE_LENGTH:
            return _invalid(
                request, TOO_LONG_MESSAGE if len(values[0]) > MAX_VALUE_LENGTH else INVALID_MESSAGE
            )
        if values[0] not in allowed:
            return _invalid(request, INVALID_MESSAGE)
        chosen[cookie] = values[0]
    next_values = request.GET.getlist("next")
    if len(next_values) > 1 or any(len(value) > MAX_NEXT_LENGTH for value in next_values):
        return _invalid(request, TOO_LONG_MESSAGE)
    response = HttpResponseRedirect(safe_next(next_values[0] if next_values else ""))
    response.status_code = 303
    for cookie, value in chosen.items():
        response.set_cookie(
            cookie,
            value,
            max_age=COOKIE_MAX_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return _no_store(response)


def _invalid(request, message):
    body = loader.render_to_string(
        "display_invalid.html",
        {"site_name": settings.WAGTAIL_SITE_NAME, "title": INVALID_TITLE, "message": message},
    )
    return _no_store(HttpResponse(body, status=400))


def _no_store(response):
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
