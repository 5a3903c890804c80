"""The API's errors: JSON with a Japanese `detail`, for bad parameters (400), unknown records (404), other
methods (405) and too many requests (429). Ninja's own 422 for parameters it cannot read becomes a 400 that
names the parameter and says what it accepts."""

from django.http import Http404, HttpResponse
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from projects.filtering import filter_notice
from projects.models import FACETS

from .responses import json_text

NOT_FOUND = "指定されたデータは見つかりません。"

# What each parameter accepts, for the message when a value is refused (also shown on the documentation page
# through the parameters' descriptions).
RULES = {
    "limit": "1から100までの整数で指定してください。",
    "offset": "0から100000までの整数で指定してください。",
    "sort": "updated、newest、title のいずれかで指定してください。",
    "status": "preparing、recruiting、in_progress、completed のいずれかで指定してください。",
    "year": "年度を4桁の半角数字(例: 2016)で指定してください。",
    "q": "200文字以内で、制御文字を含めずに指定してください。",
    "when": "upcoming か past で指定してください。",
    "kind": "briefing、training、orientation、kickoff、report、other のいずれかで指定してください。",
}
SLUG_RULE = "100文字以内のスラッグで指定してください。"
TOO_MANY_VALUES = "同じパラメータの値は50個までです。"


class ApiError(Exception):
    def __init__(self, status, detail):
        super().__init__(detail)
        self.status = status
        self.detail = detail


def error_response(status, detail, **headers):
    response = HttpResponse(
        json_text({"detail": detail}),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def bad_parameter(name, rule=None):
    return ApiError(400, f"パラメータ「{name}」の値が正しくありません。{rule or RULES.get(name, SLUG_RULE)}")


def unknown_values_error(unknown):
    """400 naming values that match no term, status or 年度 (made safe and cut short, as on the page)."""
    notice = filter_notice(unknown)
    named = "".join(f"「{value}」" for value in notice.values) if notice and notice.values else "「」"
    more = f"ほか{notice.more}件" if notice and notice.more else ""
    return ApiError(
        400,
        f"存在しない絞り込みの値が指定されています: {named}{more}。"
        "使える値は /api/taxonomy/ で確認できます。",
    )


def repeated_parameter(name):
    return ApiError(400, f"パラメータ「{name}」は1つだけ指定してください。")


FACET_PARAMETERS = tuple(facet.key for facet in FACETS)


def _parameter_of(error):
    """(where, name) of a refused value; Ninja's location may name the parameters' schema before the
    parameter, and an index after it."""
    location = [part for part in error.get("loc") or () if isinstance(part, str)]
    where = location[0] if location else ""
    known = [part for part in location[1:] if part in RULES or part in FACET_PARAMETERS]
    names = known or location[1:] or [""]
    return where, names[-1]


def validation_error(request, exc):
    """Ninja refused a value (422): a value in the path names nothing (404); in the query, 400."""
    errors = exc.errors or [{}]
    source, name = _parameter_of(errors[0])
    if source == "path":
        return error_response(404, NOT_FOUND)
    if errors[0].get("type") == "too_long":
        return error_response(400, f"パラメータ「{name}」の値が多すぎます。{TOO_MANY_VALUES}")
    error = bad_parameter(name)
    return error_response(error.status, error.detail)


def register_error_handlers(api):
    api.add_exception_handler(NinjaValidationError, validation_error)
    api.add_exception_handler(ApiError, lambda request, exc: error_response(exc.status, exc.detail))
    api.add_exception_handler(Http404, lambda request, exc: error_response(404, NOT_FOUND))
    api.add_exception_handler(
        HttpError,
        lambda request, exc: error_response(
            exc.status_code, NOT_FOUND if exc.status_code == 404 else "リクエストの形式が正しくありません。"
        ),
    )
