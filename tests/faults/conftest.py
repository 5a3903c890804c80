"""The fault suite's site: gunicorn with the production settings, the background worker, a private Redis, an
SMTP server in this process and a database of its own, started once for the package and shared by the fault
modules (all in the xdist group "faults", so on one worker). Each test puts back what it broke.

The database is a copy of the test database as the migrations left it (an SQLite backup, or a PostgreSQL
`CREATE DATABASE … TEMPLATE`), so that no migration runs twice; tests/faults/site_content.py then adds the
pages. On PostgreSQL the app reaches it through a proxy that the database-outage test cuts.
"""

import contextlib
import os
import sqlite3
import uuid
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from tests.demo_site import SHARED_DEMO
from tests.faults.harness import (
    INHERITED,
    PYTHON,
    PostgresDatabase,
    RedisServer,
    SiteProcesses,
    SMTPSink,
    SQLiteDatabase,
    create_postgres_database,
    run,
    wait_until,
)


@dataclass
class FaultySite:
    processes: SiteProcesses
    content: dict

    @property
    def sink(self):
        return self.processes.sink

    @property
    def redis(self):
        return self.processes.redis

    @property
    def database(self):
        return self.processes.database

    def visitor(self, timeout=30):
        return self.processes.visitor(timeout)

    def sql(self, query, params=()):
        return self.processes.sql(query, params)

    def register(self, visitor, email, token=None):
        return visitor.register(self.content["event"], email, token)

    def wait_for_mail_settled(self, timeout=60):
        """Wait until no email is waiting or being sent: the outbox has none pending or sending."""
        wait_until(
            lambda: (
                self.sql("SELECT count(*) FROM home_outgoingemail WHERE status IN ('pending', 'sending')")
                == [(0,)]
            ),
            timeout,
            "the outbox to have no email pending or sending",
        )

    def registrations(self, email):
        [(count,)] = self.sql("SELECT count(*) FROM projects_registration WHERE email = %s", (email,))
        return count


def _postgres_url(settings, name):
    credentials = quote(settings["USER"] or "", safe="")
    if settings["PASSWORD"]:
        credentials += ":" + quote(settings["PASSWORD"], safe="")
    host = settings["HOST"] or "127.0.0.1"
    return f"postgresql://{credentials}@{host}:{settings['PORT'] or 5432}/{name}"


def _copy_test_database(workdir):
    """A database of the suite's own with what the migrations create, copied from the test database."""
    if connection.vendor == "sqlite":
        database = SQLiteDatabase(workdir / "db.sqlite3")
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(database.path)) as target:
            connection.connection.backup(target)
        return database
    settings = connection.settings_dict
    name = f"faults_{uuid.uuid4().hex[:12]}"
    admin_url = _postgres_url(settings, "postgres")
    database = PostgresDatabase(_postgres_url(settings, name))
    # A template database may have no other session, this process's own included.
    connection.close()
    try:
        create_postgres_database(admin_url, name, template=settings["NAME"], timeout=10)
    except TimeoutError:  # a connection of an earlier test still open: migrate a new one instead
        create_postgres_database(admin_url, name)
        run([PYTHON, "manage.py", "migrate", "--noinput", "--verbosity", "0"], _migrate_env(database))
    return database


def _migrate_env(database):
    env = {key: os.environ[key] for key in INHERITED if key in os.environ}
    return {**env, "DJANGO_SETTINGS_MODULE": "cms.settings.dev", "DATABASE_URL": database.url}


def _migrated_copy(workdir, django_db_blocker):
    from wagtail.models import Site

    # A shared demo held open by earlier tests is rolled back first (tests/demo_site.py).
    SHARED_DEMO.discard(django_db_blocker)
    with django_db_blocker.unblock():
        # Transactional tests (which pytest-django runs before tests without a database) leave it flushed.
        flushed = not Site.objects.exists()
        if flushed:
            migrated = getattr(connection, "_test_serialized_contents", None)
            if not migrated:
                pytest.fail("The test database lost the rows its migrations create; cannot copy it.")
            connection.creation.deserialize_db_from_string(migrated)
        try:
            return _copy_test_database(workdir)
        finally:
            if flushed:
                call_command(
                    "flush", interactive=False, verbosity=0, reset_sequences=False, inhibit_post_migrate=True
                )


# Package-scoped: the processes stop after the last fault test, not at the end of the whole run.
@pytest.fixture(scope="package")
def faulty_site(tmp_path_factory, django_db_setup, django_db_blocker):
    workdir = tmp_path_factory.mktemp("faults")
    database = _migrated_copy(workdir, django_db_blocker)
    sink = SMTPSink()
    redis = RedisServer(workdir)
    processes = SiteProcesses(workdir, database, sink, redis)
    try:
        content = processes.prepare()
        redis.start()
        processes.start_server()
        processes.start_worker()
        yield FaultySite(processes, content)
    finally:
        processes.stop()
        redis.stop()
        sink.close()
        database.drop()
