"""Whether the database can serve a page right now: /readyz (cms/health.py) and the background worker
(run_worker, waiting out an outage) ask the same question."""

from django.db import connection

# How long the question waits for SQLite's lock before the answer is no; pages wait longer (the settings'
# timeout), but whoever asks will ask again in a second or a few.
SQLITE_LOCK_WAIT_MS = 1000


def database_answers():
    """True when the database answers a query that needs what a page needs; raises its error otherwise.

    SQLite answers SELECT 1 without opening the file, even while another process holds the lock that keeps
    every page waiting; reading the schema needs that lock, as a page does.
    """
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
        cursor.execute("PRAGMA busy_timeout")
        (configured,) = cursor.fetchone()
        cursor.execute(f"PRAGMA busy_timeout = {min(configured, SQLITE_LOCK_WAIT_MS)}")
        try:
            cursor.execute("SELECT count(*) FROM sqlite_master")
            return cursor.fetchone()[0] > 0
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {configured}")
