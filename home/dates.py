"""The site's clock: Asia/Tokyo, the Japanese fiscal year (年度) and the Japanese date formats.

Every feature that shows, writes or reasons about a date calls these; none keeps a time zone, a 年度 rule
or a date format of its own. The template filters in `home/templatetags/jp_format.py` wrap them.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

TOKYO = ZoneInfo("Asia/Tokyo")
WEEKDAYS = "月火水木金土日"
RANGE_SEPARATOR = "〜"
# The first month of a 年度 (April).
FISCAL_YEAR_START_MONTH = 4


def in_tokyo(value):
    """An aware datetime in Asia/Tokyo; a naive one is taken to be Tokyo time already."""
    if value is None:
        return None
    if timezone.is_naive(value):
        return timezone.make_aware(value, TOKYO)
    return value.astimezone(TOKYO)


def local(value):
    """Aware datetimes in Tokyo time for display; dates and naive values as they are."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return value.astimezone(TOKYO)
    return value


def today():
    return timezone.now().astimezone(TOKYO).date()


def fiscal_year_of(day):
    """The 年度 (April to March) a date falls in: 2017-03-31 is 2016年度."""
    return day.year if day.month >= FISCAL_YEAR_START_MONTH else day.year - 1


def fiscal_year_bounds(fiscal_year):
    """First and last day of a 年度: 2016 gives 2016-04-01 and 2017-03-31."""
    return (
        datetime.date(fiscal_year, FISCAL_YEAR_START_MONTH, 1),
        datetime.date(fiscal_year + 1, FISCAL_YEAR_START_MONTH, 1) - datetime.timedelta(days=1),
    )


def parse_fiscal_year(value):
    """A 年度 typed as four ASCII digits ("2016"), else None."""
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) == 4 else None


def format_date(value):
    """2016年9月25日(日)"""
    value = local(value)
    return f"{value.year}年{value.month}月{value.day}日({WEEKDAYS[value.weekday()]})"


def format_day(value):
    """2016年9月25日, without the weekday (inside brackets, or where the weekday says nothing)."""
    value = local(value)
    return f"{value.year}年{value.month}月{value.day}日"


def format_time(value):
    """14:00"""
    return local(value).strftime("%H:%M")


def format_datetime(value):
    """2016年9月25日(日) 14:00"""
    return f"{format_date(value)} {format_time(value)}"


def format_day_time(value):
    """2016年9月25日 14:00, for staff's tables."""
    return f"{format_day(value)} {format_time(value)}"


def format_month_day_time(value):
    """9月25日 14:00, where the year goes without saying."""
    value = local(value)
    return f"{value.month}月{value.day}日 {format_time(value)}"


def format_dot_date(value):
    """2016.09.25, as the catalog's timeline writes dates."""
    value = local(value)
    return f"{value.year:04d}.{value.month:02d}.{value.day:02d}"


def format_iso_minutes(value):
    """2016-09-25 14:00 in Tokyo time, for spreadsheets and command output; "" for none."""
    return local(value).strftime("%Y-%m-%d %H:%M") if value else ""


def format_iso_date(value):
    """2016-09-25 in Tokyo time."""
    return local(value).strftime("%Y-%m-%d") if value else ""


def time_range_parts(start, end):
    """The span as (parts, separator); each part is a date or time that should not be broken across lines.

    Same day: 2016年9月25日(日) 14:00〜16:00; across days both dates are written out.
    """
    if not start:
        return [], ""
    if not end:
        return [format_datetime(start)], ""
    start, end = local(start), local(end)
    if start.date() == end.date():
        return [format_date(start), f"{format_time(start)}{RANGE_SEPARATOR}{format_time(end)}"], " "
    return [format_datetime(start), format_datetime(end)], RANGE_SEPARATOR


def format_time_range(start, end):
    parts, separator = time_range_parts(start, end)
    return separator.join(parts)
