"""Logs: one line per request with its id, every line of a request carrying that id, JSON for collectors,
and nothing a person typed or owns (email, name, phone, note, personal links) in any of them."""

import datetime
import json
import logging
import logging.config
import os
import secrets
import socketserver
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from projects.models import Registration, RegistrationStatus
from tests.builders import make_event
from tests.html import parse
from tests.logs import configured_formatter, console_output, json_lines
from tests.network import closed_port

pytestmark = pytest.mark.django_db

PERSON = {
    "name": "山田 花子",
    "name_kana": "やまだ はなこ",
    "email": "hanako.yamada+briefing@example.jp",
    "phone": "042-620-1234",
    "note": "車椅子で伺います",
    "agree_privacy": "on",
}
PERSONAL = [PERSON["name"], "山田", PERSON["name_kana"], PERSON["email"], "hanako.yamada", PERSON["phone"]]
PERSONAL.append(PERSON["note"])


@pytest.fixture
def event(tree):
    cache.clear()  # the registration rate limit counts in the cache
    return make_event(
        tree.events,
        starts_at=timezone.now() + datetime.timedelta(days=14),
        registration_enabled=True,
        capacity=5,
        slug="briefing-upcoming",
    )


def request_lines(caplog):
    return [record for record in caplog.records if record.name == "cms.request"]


def test_a_request_logs_one_line_with_its_id_which_the_response_returns(client, tree, caplog):
    caplog.set_level(logging.INFO)

    response = client.get("/")

    (record,) = request_lines(caplog)
    assert record.levelno == logging.INFO
    assert (record.method, record.path, record.status) == ("GET", "/", 200)
    assert isinstance(record.duration_ms, float) and record.duration_ms >= 0
    assert record.request_id == response["X-Request-ID"]
    assert len(record.request_id) == 32
    assert record.getMessage().startswith("GET / 200 ")


def test_each_request_gets_its_own_id_and_the_id_ends_with_the_request(client, tree, caplog):
    caplog.set_level(logging.INFO)

    first = client.get("/")
    second = client.get("/")
    logging.getLogger("cms.test").warning("after the requests")

    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert [record.request_id for record in request_lines(caplog)] == [
        first["X-Request-ID"],
        second["X-Request-ID"],
    ]
    with console_output("json") as output:
        logging.getLogger("cms.test").warning("outside a request")
    assert json_lines(output)[0]["request_id"] == "-"


def test_a_sane_request_id_from_the_proxy_is_kept(client, tree, caplog):
    caplog.set_level(logging.INFO)

    response = client.get("/", headers={"X-Request-ID": "nginx-7f3a9c.01_b"})

    assert response["X-Request-ID"] == "nginx-7f3a9c.01_b"
    assert request_lines(caplog)[0].request_id == "nginx-7f3a9c.01_b"


@pytest.mark.parametrize(
    "hostile",
    [
        "abcdefgh\nINFO forged line",
        "abcdefgh\n",
        "a" * 500,
        "<script>alert(1)</script>",
        "short",
        "",
        "spaces are not allowed",
    ],
)
def test_a_hostile_request_id_is_replaced(client, tree, caplog, hostile):
    caplog.set_level(logging.INFO)
    with console_output() as output:
        response = client.get("/", headers={"X-Request-ID": hostile})

    request_id = response["X-Request-ID"]
    assert request_id != hostile and len(request_id) == 32
    assert request_lines(caplog)[0].request_id == request_id
    if hostile.strip():
        assert hostile.strip() not in output.getvalue()
    assert "forged" not in output.getvalue() and "<script>" not in output.getvalue()


def test_the_query_string_is_never_logged(client, tree, caplog):
    caplog.set_level(logging.DEBUG)
    with console_output() as output:
        client.get("/search/?q=hanako.yamada%40example.jp+042-620-1234")
        client.get("/?email=hanako.yamada@example.jp")

    assert [record.path for record in request_lines(caplog)] == ["/search/", "/"]
    text = output.getvalue()
    assert "/search/" in text
    assert "hanako" not in text and "042-620-1234" not in text and "?" not in text


def test_static_files_are_logged_at_debug_only(client, tree, caplog):
    caplog.set_level(logging.DEBUG)

    assert client.get("/static/css/site.css").status_code == 200
    client.get("/")

    static, home = request_lines(caplog)
    assert (static.path, static.levelno) == ("/static/css/site.css", logging.DEBUG)
    assert home.levelno == logging.INFO


def test_the_line_says_whether_the_page_cache_answered(client, tree, caplog):
    caplog.set_level(logging.INFO)
    with override_settings(PAGE_CACHE_ENABLED=True):
        cache.clear()
        client.get("/")
        client.get("/")
    client.get("/")

    assert [record.page_cache for record in request_lines(caplog)] == ["miss", "hit", "-"]
    assert request_lines(caplog)[1].getMessage().endswith("cache=hit")


def test_json_lines_parse_and_carry_the_fields(client, tree):
    with console_output("json") as output:
        response = client.get("/", headers={"X-Request-ID": "lb-request-000123"})

    (line,) = [line for line in json_lines(output) if line["logger"] == "cms.request"]
    assert response["X-Request-ID"] == "lb-request-000123"
    assert line["request_id"] == "lb-request-000123"
    assert line["level"] == "INFO"
    assert datetime.datetime.fromisoformat(line["timestamp"])
    assert (line["method"], line["path"], line["status"], line["page_cache"]) == ("GET", "/", 200, "-")
    assert isinstance(line["duration_ms"], float)
    assert line["message"].startswith("GET / 200 ")
    assert "request" not in line


def test_the_text_format_names_the_request_id(client, tree):
    with console_output("text") as output:
        response = client.get("/")

    (line,) = [line for line in output.getvalue().splitlines() if "cms.request" in line]
    assert f"INFO cms.request [{response['X-Request-ID']}] GET / 200 " in line


class RefusingSMTPHandler(socketserver.StreamRequestHandler):
    """A mail server that is up but refuses every recipient, as a mail server does for a typo'd address.

    Its refusal names the address, and smtplib's exception repeats it in the traceback."""

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 refusing.test ESMTP")
        for raw in self.rfile:
            command = raw.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 refusing.test")
            elif command.startswith("MAIL FROM"):
                self.reply("250 OK")
            elif command.startswith("RCPT TO"):
                self.reply(f"550 5.1.1 <{raw.decode().split(':', 1)[1].strip(' <>')}> unknown user")
            elif command.startswith("QUIT"):
                self.reply("221 bye")
                return
            else:
                self.reply("503 bad sequence")


@contextmanager
def refusing_mail_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), RefusingSMTPHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def register_and_follow_the_links(client, event):
    """Register through the public form, then open the status link, the cancel link, and cancel."""
    response = client.post(event.url, PERSON)
    assert response.status_code == 302
    status_link = response["Location"]
    status_page = client.get(status_link)
    assert status_page.status_code == 200
    cancel_link = next(
        a["href"] for a in parse(status_page).select("a[href]") if f"{event.url}cancel/" in a["href"]
    )
    assert client.get(cancel_link).status_code == 200
    assert client.post(cancel_link).status_code == 200
    # A link cut short by a mail client is not found, and Django names its path on django.request.
    assert client.get(cancel_link[:-6] + "/").status_code == 404
    tokens = [link.rstrip("/").rsplit("/", 1)[1] for link in (status_link, cancel_link)]
    return response, tokens + [cancel_link[:-6].rsplit("/", 1)[1]]


def assert_nothing_personal(records, output, tokens):
    text_formatter = configured_formatter("text")
    json_formatter = configured_formatter("json")
    written = [output.getvalue()]
    for record in records:
        written += [text_formatter.format(record), json_formatter.format(record), record.exc_text or ""]
    for line in json_lines(output):
        written.append(json.dumps(line, ensure_ascii=False))
    for secret in PERSONAL + tokens:
        leaks = [text for text in written if secret in text]
        assert not leaks, f"{secret!r} was logged: {leaks[0][:500]}"


@pytest.fixture
def django_request_warnings():
    """Django's 4xx lines on django.request, as an operator who lowers its level would get them."""
    django_request = logging.getLogger("django.request")
    level = django_request.level
    django_request.setLevel(logging.WARNING)
    yield
    django_request.setLevel(level)


@pytest.mark.usefixtures("django_request_warnings")
def test_a_registration_and_its_links_log_nothing_personal(client, event, caplog, mailoutbox):
    caplog.set_level(logging.DEBUG)
    with console_output("json") as output:
        response, tokens = register_and_follow_the_links(client, event)

    assert len(mailoutbox) == 2  # confirmed, then cancelled: the emails did go out
    assert Registration.objects.get().status == RegistrationStatus.CANCELLED
    paths = [record.path for record in request_lines(caplog)]
    assert paths == [
        event.url,
        f"{event.url}registration/<token>/",
        f"{event.url}cancel/<token>/",
        f"{event.url}cancel/<token>/",
        f"{event.url}cancel/<token>/",
    ]
    assert [record.status for record in request_lines(caplog)] == [302, 200, 200, 200, 404]
    not_found = [record for record in caplog.records if record.name == "django.request"]
    assert [record.getMessage() for record in not_found] == [f"Not Found: {event.url}cancel/<token>/"]
    assert_nothing_personal(caplog.records, output, tokens)


@pytest.mark.usefixtures("django_request_warnings")
def test_with_the_mail_server_down_registration_succeeds_and_the_error_is_logged_without_personal_data(
    client, event, caplog
):
    caplog.set_level(logging.DEBUG)
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=closed_port(),
            EMAIL_TIMEOUT=5,
            # The outbox's last attempt, which logs the traceback.
            EMAIL_MAX_ATTEMPTS=1,
        ),
        console_output("json") as output,
    ):
        response, tokens = register_and_follow_the_links(client, event)

    assert Registration.objects.get().status == RegistrationStatus.CANCELLED
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert [record.name for record in errors] == ["projects.registration.emails"] * 2
    registration = Registration.objects.get()
    assert (
        errors[0]
        .getMessage()
        .startswith(f"Could not send the confirmed email for registration {registration.pk} ")
    )
    assert errors[0].request_id == response["X-Request-ID"]
    (logged,) = [line for line in json_lines(output) if "confirmed email" in line["message"]]
    assert logged["request_id"] == response["X-Request-ID"]
    assert "ConnectionRefusedError" in logged["exc_info"]
    assert_nothing_personal(caplog.records, output, tokens)


def test_a_refused_address_in_the_mail_servers_answer_is_not_logged(client, event, caplog):
    caplog.set_level(logging.DEBUG)
    with (
        refusing_mail_server() as port,
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_TIMEOUT=5,
            EMAIL_MAX_ATTEMPTS=1,
        ),
        console_output("text") as output,
    ):
        response, tokens = register_and_follow_the_links(client, event)

    text = output.getvalue()
    assert "SMTPRecipientsRefused" in text and "<email>" in text
    assert "home/outbox/delivery.py" in text  # the traceback still names its files
    assert f"[{response['X-Request-ID']}] Could not send the confirmed email" in text
    assert_nothing_personal(caplog.records, output, tokens)


def test_production_writes_json_lines():
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    environment.pop("LOG_FORMAT", None)
    script = "import django, logging; django.setup(); logging.getLogger('cms.test').warning('ready')"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    (line,) = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert (line["level"], line["logger"], line["message"], line["request_id"]) == (
        "WARNING",
        "cms.test",
        "ready",
        "-",
    )


def test_the_talent_registrys_personal_links_are_never_logged(client, tree, caplog):
    token = "V3pGbWxhbmRlcnMtc2VjcmV0LXRva2Vu"
    paths = [f"/team/{token}/", f"/join/confirm/{token}/", f"/join/manage/{token}/withdraw/"]
    caplog.set_level(logging.DEBUG)
    with console_output("json") as output:
        for path in paths:
            client.get(path)

    assert [record.path for record in request_lines(caplog)] == [
        "/team/<token>/",
        "/join/confirm/<token>/",
        "/join/manage/<token>/withdraw/",
    ]
    assert token not in output.getvalue()
    assert not any(token in record.getMessage() for record in caplog.records)
