"""What a visitor typed, made safe for the search backend: one rule for site search and the catalog."""

import unicodedata

MAX_QUERY_LENGTH = 200
# The database backend builds a full-text expression from the query: a double quote opens a phrase
# it never closes (SQLite errors), and NUL is refused by PostgreSQL.
_DROPPED = {'"'}


def clean_query(raw):
    """The query with control characters and unbalanced quotes removed, cut to MAX_QUERY_LENGTH characters."""
    text = "".join(
        " " if char in _DROPPED or unicodedata.category(char) == "Cc" else char
        for char in raw[: MAX_QUERY_LENGTH * 4]
    )
    return " ".join(text.split())[:MAX_QUERY_LENGTH]
