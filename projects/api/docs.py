"""The API's OpenAPI schema (/api/schema/) and its Japanese documentation page (/api/), which is generated
from that same schema, so that the page lists exactly the endpoints, parameters and fields there are."""

import functools
import json

from django.conf import settings
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from home.origin import absolute_url

from .instance import api
from .params import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET
from .responses import CACHE_CONTROL, CONTENT_TYPE

TYPE_NAMES = {
    "string": "文字列",
    "integer": "整数",
    "boolean": "真偽値",
    "array": "配列",
    "object": "オブジェクト",
    "null": "null",
}
FORMAT_NAMES = {"date": "日付 YYYY-MM-DD", "date-time": "日時 ISO 8601(+09:00)"}


@functools.cache
def openapi_schema():
    """The schema as plain JSON data (status codes as strings); built once per process, since it changes
    only with the code."""
    return json.loads(_schema_bytes())


@functools.cache
def _schema_bytes():
    schema = api.get_openapi_schema(path_prefix=reverse("api:documentation").rstrip("/"))
    return json.dumps(schema, ensure_ascii=False).encode()


def schema(request):
    response = HttpResponse(_schema_bytes(), content_type=CONTENT_TYPE)
    response["Cache-Control"] = CACHE_CONTROL
    return response


def _resolve(node):
    while "$ref" in node:
        node = openapi_schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _variants(node):
    """(the non-null alternatives of a schema, whether null is allowed)."""
    node = _resolve(node)
    options = node.get("anyOf") or node.get("oneOf") or [node]
    options = [_resolve(option) for option in options]
    nullable = any(option.get("type") == "null" for option in options)
    return [option for option in options if option.get("type") != "null"], nullable


def type_label(node):
    options, nullable = _variants(node)
    labels = []
    for option in options:
        if "enum" in option:
            labels.append("、".join(str(value) for value in option["enum"]) + " のいずれか")
        elif "const" in option:
            labels.append(f"{option['const']!s}" if option["const"] != "" else "空文字")
        elif option.get("type") == "array":
            labels.append(f"{type_label(option.get('items', {}))}の配列")
        elif option.get("format") in FORMAT_NAMES:
            labels.append(FORMAT_NAMES[option["format"]])
        else:
            labels.append(TYPE_NAMES.get(option.get("type"), option.get("title", "値")))
    label = " / ".join(labels) or "値"
    return f"{label}(null あり)" if nullable else label


def response_fields(node, prefix=""):
    """Rows (name, type, description) for every field of a response schema, nested names dotted."""
    rows = []
    options, _nullable = _variants(node)
    for option in options:
        if option.get("type") == "array":
            rows += response_fields(option.get("items", {}), prefix + "[]")
            continue
        for name, field in option.get("properties", {}).items():
            full = f"{prefix}.{name}" if prefix else name
            rows.append(
                {"name": full, "type": type_label(field), "description": field.get("description", "")}
            )
            rows += response_fields(field, full)
    return rows


def _parameter(parameter):
    node = parameter.get("schema", {})
    default = _resolve(node).get("default")
    return {
        "name": parameter["name"],
        "where": "パス" if parameter["in"] == "path" else "クエリ",
        "type": type_label(node),
        "repeatable": _variants(node)[0][0].get("type") == "array" if _variants(node)[0] else False,
        "default": "" if default in (None, "", []) else str(default),
        "required": parameter.get("required", False),
        "description": parameter.get("description") or node.get("description", ""),
    }


def endpoints():
    """Every operation of the schema, in its order, with what the page shows of it."""
    found = []
    for route, operations in openapi_schema()["paths"].items():
        for method, operation in operations.items():
            success = operation["responses"]["200"]["content"]["application/json"]["schema"]
            found.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": route,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "tag": (operation.get("tags") or [""])[0],
                    "parameters": [_parameter(parameter) for parameter in operation.get("parameters", [])],
                    "example": absolute_url(operation.get("x-example", route)),
                    "fields": response_fields(success),
                    "errors": sorted(code for code in operation["responses"] if code != "200"),
                }
            )
    return found


@require_safe
def documentation(request):
    return TemplateResponse(
        request,
        "api/documentation.html",
        {
            "info": openapi_schema()["info"],
            "endpoints": endpoints(),
            "schema_url": absolute_url(reverse("api:schema")),
            "default_limit": DEFAULT_LIMIT,
            "max_limit": MAX_LIMIT,
            "max_offset": MAX_OFFSET,
            "rate_limit": settings.API_RATE_LIMIT,
        },
    )
