"""/healthz (the process answers) and /readyz (the database and the cache answer), as a load balancer
polls them."""

import datetime
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from home.outbox import queue_message

# A Redis on a closed port, as when Redis is down. Without IGNORE_EXCEPTIONS any use of it raises.
REDIS_DOWN = {
    "BACKEND": "django_redis.cache.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",
    "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
}
REDIS_DOWN_IGNORED = {**REDIS_DOWN, "OPTIONS": {**REDIS_DOWN["OPTIONS"], "IGNORE_EXCEPTIONS": True}}
ROOT = Path(__file__).resolve().parent.parent


def production_redirect_exempt():
    """SECURE_REDIRECT_EXEMPT as a production process reads it (the settings refuse to load without a
    SECRET_KEY, so they are read in a process of their own)."""
    script = (
        "from django.conf import settings; import json; print(json.dumps(settings.SECURE_REDIRECT_EXEMPT))"
    )
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def test_healthz_answers_a_tiny_text_without_touching_the_database_or_the_cache():
    """No django_db mark: pytest-django refuses any query, and the cache is a Redis that is down."""
    with override_settings(CACHES={"default": REDIS_DOWN}, PAGE_CACHE_ENABLED=True):
        response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"


def test_healthz_accepts_only_get_and_head(visitor):
    assert visitor.head("/healthz").status_code == 200
    assert visitor.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_readyz_answers_200_naming_each_check_when_all_pass(visitor):
    response = visitor.get("/readyz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "queue": "ok"}}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize("cache", [REDIS_DOWN, REDIS_DOWN_IGNORED], ids=["raising", "ignoring-errors"])
def test_readyz_answers_503_naming_the_cache_when_redis_is_down(visitor, cache):
    with override_settings(CACHES={"default": cache}):
        response = visitor.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "cache": "failed", "queue": "ok"},
    }
    assert response["Cache-Control"] == "no-store"
    assert b"Traceback" not in response.content


# Run in a process of its own on an SQLite file, whatever the suite's database: the write-lock probe exists
# for SQLite only (PostgreSQL keeps `SELECT 1`; its writers do not lock the database), and the in-memory test
# database has no file another connection could lock.
READYZ_WHILE_LOCKED = """
import json, sqlite3, sys
import django
django.setup()
from django.test import Client

visitor = Client(raise_request_exception=False)
answers = [visitor.get("/readyz")]
holder = sqlite3.connect(sys.argv[1], isolation_level=None)
holder.execute("BEGIN EXCLUSIVE")  # a writer that holds the lock: a stuck request, a long import
answers.append(visitor.get("/readyz"))
holder.execute("ROLLBACK")
answers.append(visitor.get("/readyz"))
print(json.dumps([[answer.status_code, answer.json()] for answer in answers]))
"""


def test_readyz_says_busy_while_another_connection_holds_sqlites_write_lock(tmp_path):
    database = tmp_path / "db.sqlite3"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    result = subprocess.run(
        [sys.executable, "-c", READYZ_WHILE_LOCKED, str(database)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    before, locked, after = json.loads(result.stdout.strip().splitlines()[-1])
    assert before == [200, {"status": "ok", "checks": {"database": "ok", "cache": "ok", "queue": "ok"}}]
    assert locked == [
        503,
        {"status": "unavailable", "checks": {"database": "busy", "cache": "ok", "queue": "ok"}},
    ]
    assert after == before
    assert "Readiness check database busy" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
@override_settings(PAGE_CACHE_ENABLED=True)
def test_health_checks_never_come_from_the_page_cache(visitor):
    for url in ("/healthz", "/readyz", "/healthz", "/readyz"):
        response = visitor.get(url)
        assert response.status_code == 200
        assert "X-Page-Cache" not in response


@pytest.mark.django_db
def test_health_checks_answer_plain_http_under_the_https_redirect_of_production(visitor):
    """The load balancer polls over plain HTTP on the private network; production exempts these paths."""
    exempt = production_redirect_exempt()
    assert exempt

    with override_settings(SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=exempt):
        assert visitor.get("/healthz").status_code == 200
        assert visitor.get("/readyz").status_code == 200
        assert visitor.get("/").status_code == 301


# Transactional: the worker closes a connection it finds inside a transaction.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_readyz_answers_503_naming_the_queue_when_a_due_task_waits_too_long_for_a_worker(visitor, settings):
    settings.TASK_QUEUE_STUCK_SECONDS = 300
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        queue_message(EmailMessage("件名", "本文", to=["a@example.jp"]), purpose="test")
        assert visitor.get("/readyz").json()["checks"]["queue"] == "ok"  # just queued

        DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(seconds=301))
        stuck = visitor.get("/readyz")

        assert stuck.status_code == 503
        assert stuck.json()["checks"] == {"database": "ok", "cache": "ok", "queue": "failed"}

        call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        assert visitor.get("/readyz").status_code == 200
