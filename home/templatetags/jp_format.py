"""Template filters over `home.dates`: 2016年9月25日(日), 2016.09.25, 14:00〜16:00."""

import datetime

from django import template
from django.utils.html import format_html_join

from home.dates import (
    format_date,
    format_datetime,
    format_day_time,
    format_dot_date,
    format_iso_date,
    format_iso_minutes,
    format_month_day_time,
    format_time_range,
    time_range_parts,
)

register = template.Library()


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
    return format_dot_date(value)


@register.filter(expects_localtime=True)
def jp_day_time(value):
    """2016年9月25日 14:00"""
    return format_day_time(value) if value else ""


@register.filter(expects_localtime=True)
def jp_month_day_time(value):
    """9月25日 14:00"""
    return format_month_day_time(value) if value else ""


@register.filter(expects_localtime=True)
def iso_minutes(value):
    """2016-09-25 14:00"""
    return format_iso_minutes(value)


@register.filter(expects_localtime=True)
def iso_date(value):
    """2016-09-25"""
    return format_iso_date(value)


@register.filter
def jp_time_range(event):
    """The time span of anything with `starts_at` and `ends_at`, such as an EventPage, as plain text."""
    return format_time_range(getattr(event, "starts_at", None), getattr(event, "ends_at", None))


@register.filter
def jp_time_range_html(event):
    """Like jp_time_range, with each date kept on one line when the text wraps on a narrow screen."""
    parts, separator = time_range_parts(getattr(event, "starts_at", None), getattr(event, "ends_at", None))
    return format_html_join(separator, '<span class="nowrap">{}</span>', ((part,) for part in parts))
