"""Request ids and one structured log line per request, with personal data kept out of every log line.

Each request gets an id: the reverse proxy's `X-Request-ID` when it is a sane value, a new one otherwise.
It is returned in the response's `X-Request-ID` header and, through `RequestIdFilter`, attached to every
log record emitted while the request runs, so an error or an email failure can be traced to its request.

What people type and the links that are theirs never reach the logs: the request line carries the path
without its query string, registration tokens in paths are replaced, and `RedactFilter` and the
formatters below scrub tokens and email addresses from every message and traceback (docs/logging.md).
"""

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

logger = logging.getLogger("cms.request")

HEADER = "X-Request-ID"
NO_REQUEST = "-"
# What a proxy's id may look like; anything else (newlines, markup, kilobytes) is replaced, never logged.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# The personal segment of the signed links people get: a registration's status and cancellation links
# (`<event>/registration/<token>/`, `<event>/cancel/<token>/`), a worker's confirmation and profile links
# (`<join page>/confirm/<token>/`, `<join page>/manage/<token>/…`) and a team invitation
# (`/team/<token>/`). In a path a token is everything up to the next slash. In free text (a message, a
# traceback) it ends at a slash, a quote, whitespace or the end, and has no dot, so that source files such
# as `projects/registration/emails.py` keep their names in tracebacks.
TOKEN_IN_PATH = re.compile(r"(/(?:registration|cancel|confirm|manage|team)/)[^/]+")
TOKEN_IN_TEXT = re.compile(r"(/(?:registration|cancel|confirm|manage|team)/)[^/\s'\".]+(?=[/\s'\"]|$)")
TOKEN_MARK = r"\1<token>"
EMAIL = re.compile(r"[\w.!#$%&*+=?^~-]+@[\w-]+(?:\.[\w-]+)+")
EMAIL_MARK = "<email>"
# Successful requests for these are answered below this middleware (whitenoise) or by the load balancer
# every few seconds; they are logged at DEBUG so they do not bury the requests people made.
QUIET_PREFIXES = ("/healthz", "/readyz", "/favicon.ico")

_request_id = contextvars.ContextVar("request_id", default=NO_REQUEST)


def current_request_id():
    """The id of the request being handled, or "-" outside a request."""
    return _request_id.get()


def redact_path(path):
    return TOKEN_IN_PATH.sub(TOKEN_MARK, path)


def redact_text(text):
    return EMAIL.sub(EMAIL_MARK, TOKEN_IN_TEXT.sub(TOKEN_MARK, text))


def _incoming_request_id(request):
    value = request.headers.get(HEADER, "")
    return value if SANE_REQUEST_ID.fullmatch(value) else uuid.uuid4().hex


def _is_quiet(path):
    static_url = settings.STATIC_URL or ""
    return (static_url.startswith("/") and path.startswith(static_url)) or path.startswith(QUIET_PREFIXES)


class RequestLogMiddleware:
    """Outermost middleware: gives the request its id and logs one line when the response is ready."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _incoming_request_id(request)
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            self._log(request, response, (time.perf_counter() - started) * 1000)
            return response
        finally:
            _request_id.reset(token)

    def _log(self, request, response, duration_ms):
        path = redact_path(request.path)
        status = response.status_code
        level = logging.DEBUG if status < 400 and _is_quiet(request.path) else logging.INFO
        page_cache = response.get("X-Page-Cache", NO_REQUEST)
        logger.log(
            level,
            "%s %s %s %.1fms cache=%s",
            request.method,
            path,
            status,
            duration_ms,
            page_cache,
            extra={
                "method": request.method,
                "path": path,
                "status": status,
                "duration_ms": round(duration_ms, 1),
                "page_cache": page_cache,
            },
        )


class RequestIdFilter(logging.Filter):
    """Attaches the current request's id to every record, "-" outside a request."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class RedactFilter(logging.Filter):
    """Replaces registration tokens and email addresses in a record's message and arguments.

    Django's `django.request` and `django.security` lines name the request's path ("Not Found: %s"), and
    a mistyped or expired personal link carries its token there.
    """

    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = redact_text(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _redact_arg(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_redact_arg(value) for value in record.args)
        return True


def _redact_arg(value):
    if not isinstance(value, str):
        return value
    return redact_text(redact_path(value) if value.startswith("/") else value)


class TextFormatter(logging.Formatter):
    """Human-readable lines whose tracebacks are scrubbed like the messages."""

    def formatException(self, ei):  # noqa: N802 - logging's name
        return redact_text(super().formatException(ei))


class JsonFormatter(BaseJsonFormatter):
    """One JSON object a line; every string field is scrubbed, and the request object is never dumped.

    Django attaches the request to its own records (`extra={"request": ...}`); its repr is the full URL,
    query string included, so it is left out.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "taskName", "request"])
        super().__init__(*args, **kwargs)

    def formatException(self, ei):  # noqa: N802 - logging's name
        return redact_text(super().formatException(ei))

    def process_log_record(self, log_data):
        return {
            key: redact_text(value) if isinstance(value, str) else value for key, value in log_data.items()
        }
