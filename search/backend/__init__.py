"""Wagtail's database search backend, taught to read Japanese.

Set as WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search.backend". Like Wagtail's own
"wagtail.search.backends.database", it picks the SQLite (FTS5) or PostgreSQL implementation for the
default database; each one is subclassed at three points only:

- indexing: every text goes through search.analysis before the database sees it (the title column holds
  the title as written), and each page's words are recorded for 「もしかして」 (search.vocabulary);
- querying: a plain-text query becomes the AND of each term's alternatives (search.analysis); a quoted
  phrase matches as written;
- ranking: pages whose title matches the query as written come first.

Everything else (index table, signals on publish, update_index, filters, pagination) is Wagtail's.
"""

from django.db import connection


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    # Each vendor's module imports models that exist only on that database.
    if connection.vendor == "postgresql":
        from .postgres import PostgresSearchBackend

        return PostgresSearchBackend(params)
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteSearchBackend

        return SQLiteSearchBackend(params)
    raise NotImplementedError(f"search.backend supports SQLite and PostgreSQL, not {connection.vendor}.")
