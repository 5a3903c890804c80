"""nginx in front keeps what the app allows and drops what a change shows on: the `proxy_cache`
configuration of docs/deployment.md, taken from the document itself (only the addresses, ports, certificate
lines and cache directory are replaced), run on loopback in front of a live server of the site.

Needs nginx and its cache purge module (`apt-get install nginx-light libnginx-mod-http-cache-purge`, as
`.ci/run` does). Without them the module is skipped locally and fails under CI=true, as the browser tests do.
"""

import http.client
import logging
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from home import frontend_cache
from tests.builders import make_article, upcoming_event
from tests.faults.harness import free_port

IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
DOCS = Path(settings.BASE_DIR) / "docs" / "deployment.md"
# nginx's scratch directories, which default to /var/lib/nginx.
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
HOST = "localhost"  # the test site's hostname (tests/builders.py), as a visitor's browser sends it


def _problem():
    if not Path(NGINX).exists():
        return "no nginx (apt-get install nginx-light libnginx-mod-http-cache-purge)"
    if not PURGE_MODULE.exists():
        return "no cache purge module (apt-get install libnginx-mod-http-cache-purge)"
    return None


PROBLEM = _problem()
if PROBLEM and IN_CI:
    raise pytest.UsageError(f"CI=true and the nginx cache test cannot run: {PROBLEM}")

pytestmark = [
    pytest.mark.skipif(PROBLEM is not None, reason=f"nginx cache test skipped: {PROBLEM}"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def documented_config():
    """The one nginx block of docs/deployment.md that configures proxy_cache."""
    blocks = re.findall(r"```nginx\n(.*?)```", DOCS.read_text(), flags=re.S)
    [block] = [block for block in blocks if "proxy_cache_path" in block]
    return block


def local_config(block, *, app, port, purge_port, cache_dir):
    """The documented block with loopback addresses, no TLS and a scratch cache directory."""
    replacements = [
        (r"proxy_cache_path /var/cache/nginx/civic ", f"proxy_cache_path {cache_dir} "),
        (r"server 10\.0\.0\.11:8000;", f"server {app};"),
        (r"\n *server 10\.0\.0\.12:8000;[^\n]*", ""),
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{port};"),
        (r"\n *ssl_certificate [^\n]*", ""),
        (r"\n *ssl_certificate_key [^\n]*", ""),
        (r"listen 10\.0\.0\.10:8080;", f"listen 127.0.0.1:{purge_port};"),
        (r"allow 10\.0\.0\.0/24;", "allow 127.0.0.1;"),
    ]
    for pattern, replacement in replacements:
        block, count = re.subn(pattern, replacement, block)
        assert count == 1, f"docs/deployment.md's nginx block no longer has {pattern!r}"
    return block


class Nginx:
    def __init__(self, port):
        self.port = port

    def get(self, path, cookies=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": HOST}
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read().decode()
            return response.status, response.headers, body
        finally:
            connection.close()

    def status(self, path, cookies=None):
        return self.get(path, cookies)[1]["X-Cache-Status"]


@pytest.fixture
def nginx(live_server, tmp_path):
    port, purge_port = free_port(), free_port()
    app = live_server.url.removeprefix("http://")
    site = local_config(
        documented_config(), app=app, port=port, purge_port=purge_port, cache_dir=tmp_path / "cache"
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"load_module {PURGE_MODULE};\n"
        # Started by root, nginx's workers would run as nobody, who cannot enter pytest's directory.
        + ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events {}\n"
        "http {\n"
        "    access_log off;\n"
        + "".join(f"    {kind}_temp_path {tmp_path}/{kind};\n" for kind in TEMP_PATHS)
        + f"    include {tmp_path}/site.conf;\n"
        "}\n"
    )
    command = [
        NGINX,
        "-p",
        str(tmp_path),
        "-c",
        str(tmp_path / "nginx.conf"),
        "-e",
        str(tmp_path / "error.log"),
    ]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE)
    purges = {
        "nginx": {
            "BACKEND": "home.frontend_cache.DisplayVariantsHTTPBackend",
            "LOCATION": f"http://127.0.0.1:{purge_port}",
        }
    }
    cache.clear()
    try:
        _wait_for_port(port, process)
        with override_settings(PAGE_CACHE_ENABLED=True, WAGTAILFRONTENDCACHE=purges):
            assert frontend_cache.connect_signals()
            yield Nginx(port)
    finally:
        frontend_cache.disconnect_signals()
        process.terminate()
        process.wait(timeout=10)
        cache.clear()


def _wait_for_port(port, process):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("nginx did not start")


@pytest.fixture
def requests_to_django(caplog):
    caplog.set_level(logging.INFO, logger="cms.request")

    def count(path):
        return sum(1 for record in caplog.records if record.name == "cms.request" and record.path == path)

    return count


def test_a_repeat_visit_is_answered_by_nginx_without_reaching_django(nginx, tree, requests_to_django):
    article = make_article(tree.news)

    first = nginx.get(article.url)
    second = nginx.get(article.url)

    assert (first[0], second[0]) == (200, 200)
    assert (first[1]["X-Cache-Status"], second[1]["X-Cache-Status"]) == ("MISS", "HIT")
    assert second[2] == first[2]
    assert requests_to_django(article.url) == 1


def test_a_visitor_with_a_session_or_a_message_goes_past_the_cache(nginx, tree):
    nginx.get("/")
    assert nginx.status("/") == "HIT"

    assert nginx.status("/", {settings.SESSION_COOKIE_NAME: "abc"}) == "BYPASS"
    assert nginx.status("/", {"messages": "abc"}) == "BYPASS"
    # Other cookies neither split nor bypass the cache.
    assert nginx.status("/", {settings.CSRF_COOKIE_NAME: "x" * 32, "_ga": "1"}) == "HIT"


def test_each_display_preference_is_its_own_entry(nginx, tree):
    plain = nginx.get("/")
    nginx.get("/")
    furigana = {"display_furigana": "on"}

    assert nginx.status("/", furigana) == "MISS"
    ruby = nginx.get("/", furigana)
    assert ruby[1]["X-Cache-Status"] == "HIT"
    assert ruby[2] != plain[2]
    assert nginx.status("/", {"display_furigana": "made-up"}) == "HIT"  # read as the default, like the app


def test_a_publish_purges_every_variant_so_the_next_visit_shows_it(nginx, tree):
    article = make_article(tree.news, title="説明会のお知らせ")
    large = {"display_text_size": "large"}
    for cookies in (None, large):
        nginx.get(article.url, cookies)
        assert nginx.status(article.url, cookies) == "HIT"

    article.title = "説明会の日程を変更しました"
    article.save_revision().publish()
    frontend_cache.wait_for_purges()

    for cookies in (None, large):
        status, headers, body = nginx.get(article.url, cookies)
        assert headers["X-Cache-Status"] == "MISS"
        assert "説明会の日程を変更しました" in body


def test_a_page_with_a_form_is_never_kept_by_nginx(nginx, tree, requests_to_django):
    event = upcoming_event(tree)

    statuses = [nginx.get(event.url)[1] for _ in range(3)]

    assert [headers["X-Cache-Status"] for headers in statuses] == ["MISS", "MISS", "MISS"]
    assert all("private" in headers["Cache-Control"] for headers in statuses)
    assert requests_to_django(event.url) == 3
