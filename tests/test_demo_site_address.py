"""`make run` serves the demo on HOST:PORT (127.0.0.1:8000), and every address the demo writes opens there:
the site's own links (PUBLIC_BASE_URL, exported by the recipe) and those Wagtail writes from its Site (the
admin's links to live pages, its workflow emails), which load_demo puts on the same address, also when the
database was made earlier and `--if-empty` loads nothing."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Site

from projects.models import EventPage, ProjectPage

ROOT = Path(__file__).resolve().parent.parent
REGISTRANT = {
    "name": "山田 花子",
    "name_kana": "やまだ はなこ",
    "email": "hanako@example.jp",
    "phone": "042-620-1234",
    "agree_privacy": "on",
}


def load_demo(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def default_site():
    return Site.objects.get(is_default_site=True)


@pytest.mark.demo
@pytest.mark.django_db
@override_settings(PUBLIC_BASE_URL="http://127.0.0.1:8000", ALLOWED_HOSTS=["127.0.0.1"])
def test_the_demo_on_the_served_address_writes_links_that_open_there(client, mailoutbox):
    assert default_site().root_url == "http://localhost"  # as the migrations made it

    output = load_demo("--if-empty", "--hostname", "127.0.0.1", "--port", "8000")

    assert "サイトのアドレス: http://127.0.0.1:8000/" in output
    assert "デモデータは読み込みませんでした" in output  # the address moved, nothing else was loaded
    assert default_site().root_url == "http://127.0.0.1:8000"
    project = ProjectPage.objects.visible().first()
    # Wagtail's own links from the Site: the admin's 公開中のページ links and its workflow emails.
    assert project.full_url.startswith("http://127.0.0.1:8000/projects/")

    client.defaults["HTTP_HOST"] = "127.0.0.1:8000"
    page = BeautifulSoup(client.get(project.url).content, "html.parser")
    assert page.find("link", rel="canonical")["href"] == f"http://127.0.0.1:8000{project.url}"

    event = next(e for e in EventPage.objects.upcoming() if e.registration_state().accepts_registrations)
    response = client.post(event.url, REGISTRANT)
    assert response.status_code == 302, response.content.decode()[:2000]
    (message,) = mailoutbox
    links = re.findall(r"https?://[^\s)」]+", message.body)
    assert links and {link.split("/")[2] for link in links} == {"127.0.0.1:8000"}, links
    assert f"http://127.0.0.1:8000{event.url}" in links


@pytest.mark.demo
@pytest.mark.django_db
def test_a_port_alone_keeps_the_host_name():
    load_demo("--if-empty", "--port", "8123")

    assert (default_site().hostname, default_site().port) == ("localhost", 8123)


@pytest.mark.demo
@pytest.mark.django_db
def test_without_an_address_the_site_is_left_as_it_is():
    site = default_site()
    site.hostname, site.port = "katsudo.example.jp", 443
    site.save()

    assert "サイトのアドレス" not in load_demo("--if-empty")
    assert default_site().root_url == "https://katsudo.example.jp"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args, message",
    [
        (["--hostname", ""], "ホスト名には英数字"),
        (["--hostname", "exa mple"], "ホスト名には英数字"),
        (["--hostname", "host\x00name"], "ホスト名には英数字"),
        (["--hostname", "host\nname"], "ホスト名には英数字"),
        (["--hostname", "ホスト"], "ホスト名には英数字"),
        (["--hostname=-leading"], "ホスト名には英数字"),
        (["--port", "8000x"], "ポート番号には1から65535"),
        (["--port", "８０００"], "ポート番号には1から65535"),
        (["--hostname", "a" * 254], "ホスト名には英数字"),
        (["--hostname", "http://127.0.0.1"], "ホスト名には英数字"),
        (["--hostname", "127.0.0.1:8000"], "ホスト名には英数字"),
        (["--port", "0"], "ポート番号には1から65535"),
        (["--port", "-1"], "ポート番号には1から65535"),
        (["--port", "65536"], "ポート番号には1から65535"),
        (["--port", "9" * 5000], "ポート番号には1から65535"),
    ],
)
def test_a_malformed_address_is_refused_in_japanese_and_changes_nothing(tree, args, message):
    with pytest.raises(CommandError, match=message):
        load_demo("--if-empty", *args)

    assert default_site().root_url == "http://localhost"


@pytest.mark.django_db
def test_an_address_another_site_holds_is_refused(tree):
    Site.objects.create(hostname="127.0.0.1", port=8000, root_page=tree.home, site_name="別のサイト")

    with pytest.raises(CommandError, match="127.0.0.1:8000 は別のサイトが使っています"):
        load_demo("--if-empty", "--hostname", "127.0.0.1", "--port", "8000")

    assert default_site().root_url == "http://localhost"


def fake_manage(tmp_path):
    """A MANAGE that records each command with the PUBLIC_BASE_URL it saw, and does nothing else."""
    log = tmp_path / "manage.log"
    script = tmp_path / "manage"
    script.write_text(f'#!/bin/sh\necho "$PUBLIC_BASE_URL $*" >> "{log}"\n')
    script.chmod(0o755)
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    (venv / ".installed").touch()  # newer than requirements.txt: nothing to install
    return venv, script, log


@pytest.mark.parametrize(
    "variables, address",
    [
        ([], ("127.0.0.1", "8000")),
        (["HOST=localhost", "PORT=8123"], ("localhost", "8123")),
    ],
)
def test_make_run_puts_the_demo_on_the_address_it_serves(tmp_path, variables, address):
    venv, manage, log = fake_manage(tmp_path)
    environment = {key: value for key, value in os.environ.items() if key != "PUBLIC_BASE_URL"}

    result = subprocess.run(
        ["make", "--no-print-directory", "run", f"VENV={venv}", f"BIN={venv / 'bin'}", f"MANAGE={manage}"]
        + variables,
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    host, port = address
    lines = log.read_text().splitlines()
    origin = f"http://{host}:{port}"
    assert f"{origin} load_demo --if-empty --hostname {host} --port {port}" in lines
    assert f"{origin} runserver {host}:{port}" in lines
