"""Wagtail's database search backend, taught to read Japanese.

Set as WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search.backend". Like Wagtail's own
"wagtail.search.backends.database", it picks the SQLite (FTS5) or PostgreSQL implementation for the
default database; each one is subclassed at two points only:

- indexing: every text goes through search.analysis (index_text, index_texts) before the database sees it;
- querying: a plain-text or phrase query becomes the AND of the phrases of search.text.query_phrases.

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
