"""Japanese date and time formats used across the site: 2016年9月25日(日), 2016.09.25, 14:00〜16:00."""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html_join

register = template.Library()

WEEKDAYS = "月火水木金土日"
RANGE_SEPARATOR = "〜"


def _local(value):
    """Aware datetimes are shown in the site's time zone (Asia/Tokyo), never in UTC."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(value):
    value = _local(value)
    return f"{value.year}年{value.month}月{value.day}日({WEEKDAYS[value.weekday()]})"


def format_time(value):
    return _local(value).strftime("%H:%M")


def format_datetime(value):
    return f"{format_date(value)} {format_time(value)}"


def time_range_parts(start, end):
    """The span as (parts, separator); each part is a date or time that should not be broken across lines.

    Same day: 2016年9月25日(日) 14:00〜16:00; across days both dates are written out.
    """
    if not start:
        return [], ""
    if not end:
        return [format_datetime(start)], ""
    start, end = _local(start), _local(end)
    if start.date() == end.date():
        return [format_date(start), f"{format_time(start)}{RANGE_SEPARATOR}{format_time(end)}"], " "
    return [format_datetime(start), format_datetime(end)], RANGE_SEPARATOR


def format_time_range(start, end):
    parts, separator = time_range_parts(start, end)
    return separator.join(parts)


@register.filter(expects_localtime=True)
def jp_date(value):
    """2016年9月25日(日)"""
    if not value:
        return ""
    return format_date(value)


@register.filter(expects_localtime=True)
def jp_datetime(value):
    """2016年9月25日(日) 14:00"""
    if not isinstance(value, datetime.datetime):
        return jp_date(value)
    return format_datetime(value)


@register.filter(expects_localtime=True)
def dot_date(value):
    """2016.09.25, as the catalog's timeline writes dates."""
    if not value:
        return ""
    value = _local(value)
    return f"{value.year:04d}.{value.month:02d}.{value.day:02d}"


@register.filter
def jp_time_range(event):
    """The time span of anything with `starts_at` and `ends_at`, such as an EventPage, as plain text."""
    return format_time_range(getattr(event, "starts_at", None), getattr(event, "ends_at", None))


@register.filter
def jp_time_range_html(event):
    """Like jp_time_range, with each date kept on one line when the text wraps on a narrow screen."""
    parts, separator = time_range_parts(getattr(event, "starts_at", None), getattr(event, "ends_at", None))
    return format_html_join(separator, '<span class="nowrap">{}</span>', ((part,) for part in parts))
