"""Searches that found nothing, counted per query and day for staff (レポート → 見つからなかった検索), so
they can teach search the words visitors use (a synonym) or point those words at a page (おすすめ).

No personal data: a row is the query text, a day and a count; nothing about who searched. Queries that
look like an email address or a phone number are not counted at all, since people sometimes paste their
own into a search box. Rows are kept for RETENTION_DAYS (the worker's sweep and each day's first count
forget older ones), and at most MAX_QUERIES_PER_DAY new queries a day are counted, so an automated
client cannot fill the table.
"""

import datetime
import logging
import re
import unicodedata

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F

from home.dates import today

from .models import ZeroResultSearch
from .query import clean_query
from .text import has_searchable_text

logger = logging.getLogger(__name__)

RETENTION_DAYS = 30
MAX_QUERIES_PER_DAY = 1000
MAX_LENGTH = ZeroResultSearch._meta.get_field("query").max_length

# Matched after NFKC, so full-width letters, digits and ＠ count too. An ASCII local part and domain: the
# program name プロボノ@八王子 is not an address.
_EMAIL = re.compile(r"[a-z0-9._%+\-]+@[a-z0-9\-]+", re.ASCII | re.IGNORECASE)
# Ten or more digits, in groups separated by up to two of the marks people write phone numbers with
# (090-1234-5678, 03 (1234) 5678, +81 42-000-0000, 042ー000ー0000 typed with the long-vowel mark).
_PHONE = re.compile(r"[0-9](?:[\s\-‐‑‒–—―−ー().+]{0,2}[0-9]){9,}")


def stored_query(query):
    """The query as the report keeps it: cleaned as search cleans it (search.query.clean_query), then NFKC,
    lower case (as Wagtail keeps its search terms), without format characters (zero-width, bidi),
    single-spaced, cut to the column's length."""
    text = "".join(
        char
        for char in unicodedata.normalize("NFKC", clean_query(query))
        if unicodedata.category(char) != "Cf"
    )
    return " ".join(text.lower().split())[:MAX_LENGTH].strip()


def looks_personal(text):
    """Whether the text holds something that looks like an email address or a phone number."""
    return bool(_EMAIL.search(text) or _PHONE.search(text))


def record_zero_result(query):
    """Count one search for `query` that found nothing, today (Tokyo time). Returns whether it was counted.

    Safe under concurrent requests on both databases: the count is incremented in the database, and of
    two requests creating today's row at once, the one that loses the unique constraint increments the
    winner's. A database error is logged and not raised: counting must never break the search page.
    """
    text = stored_query(query)
    if not has_searchable_text(text) or looks_personal(text):
        return False
    day = today()
    try:
        with transaction.atomic():
            if _increment(text, day):
                return True
            # Checked before the insert, so a burst at the limit may add a few more: a bound, not a quota.
            counted_today = ZeroResultSearch.objects.filter(day=day).count()
            if counted_today >= MAX_QUERIES_PER_DAY:
                return False
            if not counted_today:
                # The day's first: forget the days past keeping, even where no run_worker sweeps (a Redis
                # queue's worker).
                prune(day)
            try:
                with transaction.atomic():
                    ZeroResultSearch.objects.create(query=text, day=day, count=1)
            except IntegrityError:
                return _increment(text, day)
            return True
    except DatabaseError as error:
        logger.warning("A search that found nothing was not counted: %s", type(error).__name__)
        return False


def _increment(text, day):
    return bool(ZeroResultSearch.objects.filter(query=text, day=day).update(count=F("count") + 1))


def first_day_kept(day=None):
    """The first day of the RETENTION_DAYS that are kept and reported, ending with `day` (today)."""
    return (day or today()) - datetime.timedelta(days=RETENTION_DAYS - 1)


def prune(day=None):
    """Forget the counts of days before the kept period; returns how many rows were deleted. The worker
    calls it on every sweep (search/wagtail_hooks.py), and the day's first count."""
    deleted, _ = ZeroResultSearch.objects.filter(day__lt=first_day_kept(day)).delete()
    return deleted
