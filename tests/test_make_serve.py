"""`make serve` keeps emails out of the log: they go, whole, into files in a folder only its user can read.

The test runs the Makefile's real `serve` recipe, with its environment (production settings, the email
backend), and replaces only the programs it calls: migrate and collectstatic do nothing, and "gunicorn" is a
script that sends one email the way the site does, through Django's configured backend (into the outbox),
has the worker deliver it through the backend `make serve` chose, then logs a line.
"""

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDRESS = "hanako.yamada@example.jp"
# gunicorn imports the application from the directory it runs in, as this does.
SEND_AND_LOG = f"""
import logging, os, sys
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.conf import settings
from django.core.mail import send_mail
from django.core.management import call_command
call_command("migrate", verbosity=0)
body = "山田 花子 様 https://www.example.jp/events/a/cancel/TOKEN/"
send_mail("参加申込を受け付けました", body, None, ["{ADDRESS}"])
call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
logging.getLogger("cms.test").warning("sent with %s", settings.EMAIL_DELIVERY_BACKEND)
"""


def fake_programs(tmp_path):
    """A virtualenv folder whose python is this one, and whose gunicorn sends an email."""
    venv = tmp_path / "venv"
    bin_dir = venv / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    (venv / ".installed").touch()  # newer than requirements.txt: nothing to install
    gunicorn = bin_dir / "gunicorn"
    script = tmp_path / "send_and_log.py"
    script.write_text(SEND_AND_LOG)
    gunicorn.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{script}"\n')
    gunicorn.chmod(0o755)
    return venv


def test_make_serve_writes_emails_into_a_private_folder_and_no_address_into_the_log(tmp_path):
    venv = fake_programs(tmp_path)
    mail = tmp_path / "var" / "mail"
    environment = {
        "PATH": os.environ["PATH"],
        "EMAIL_FILE_PATH": str(mail),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
    }

    result = subprocess.run(
        ["make", "--no-print-directory", "serve", f"VENV={venv}", f"BIN={venv / 'bin'}", "MANAGE=true"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    log = result.stdout + result.stderr
    assert "sent with django.core.mail.backends.filebased.EmailBackend" in log
    assert ADDRESS not in log and "山田" not in log and "TOKEN" not in log
    assert stat.S_IMODE(mail.stat().st_mode) == 0o700
    (written,) = mail.iterdir()
    assert ADDRESS in written.read_text()
