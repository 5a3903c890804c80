"""Whether the database can serve a page right now: /readyz (cms/health.py) and the background worker
(run_worker, waiting out an outage) ask the same question."""

from django.db import OperationalError, connection

# How long the question waits for SQLite's write lock before the answer is "busy": a registration holds it
# for milliseconds, so a lock held longer means pages would wait for it too (up to the settings' timeout,
# then 503). Whoever asks will ask again in a second or a few.
SQLITE_LOCK_WAIT_MS = 500


class DatabaseBusy(Exception):
    """SQLite's write lock is held by another connection: reads may answer, but registrations, and pages
    that write a session, would wait for it."""


def database_answers():
    """True when the database answers as a page needs it to; raises DatabaseBusy when SQLite's write lock
    is held elsewhere, and the database's own error when it is unreachable.

    On PostgreSQL writers do not lock the database, so SELECT 1 is the question. SQLite answers SELECT 1
    without opening the file, even while another process holds the lock that keeps every page waiting:
    there the check takes the write lock briefly and gives it back. (Inside a transaction, as in the tests'
    own, the connection already holds it: transaction_mode IMMEDIATE.)
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            _take_sqlite_write_lock(cursor)
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _take_sqlite_write_lock(cursor):
    cursor.execute("PRAGMA busy_timeout")
    (configured,) = cursor.fetchone()
    cursor.execute(f"PRAGMA busy_timeout = {min(int(configured), SQLITE_LOCK_WAIT_MS)}")
    try:
        cursor.execute("BEGIN IMMEDIATE")
    except OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise DatabaseBusy from error
        raise
    else:
        cursor.execute("ROLLBACK")
    finally:
        cursor.execute(f"PRAGMA busy_timeout = {int(configured)}")
