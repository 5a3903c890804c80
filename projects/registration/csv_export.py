"""The roster of one event as a CSV file for Excel: UTF-8 with a BOM, CRLF, active registrations first,
and cells that a spreadsheet never runs as formulas."""

import csv
import io
import re

from django.db.models import Case, IntegerField, Value, When

from home.dates import format_iso_minutes
from projects.models import RegistrationStatus

ROSTER_HEADER = ["氏名", "ふりがな", "メールアドレス", "電話番号", "状態", "申込日時", "繰り上げ日時", "備考"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STATUS_ORDER = Case(
    When(status=RegistrationStatus.CONFIRMED, then=Value(0)),
    When(status=RegistrationStatus.WAITLISTED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def csv_cell(value):
    """A cell spreadsheets show as text: one starting like a formula gets a leading apostrophe."""
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    # Line breaks inside a cell as Excel writes them (LF); rows themselves end with CRLF.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def roster_rows(event):
    registrations = event.registrations.annotate(status_rank=STATUS_ORDER).order_by(
        "status_rank", "created_at", "pk"
    )
    for registration in registrations:
        yield [
            registration.name,
            registration.name_kana,
            registration.email,
            registration.phone,
            registration.get_status_display(),
            format_iso_minutes(registration.created_at),
            format_iso_minutes(registration.promoted_at),
            registration.note,
        ]


def roster_filename(event):
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", event.slug).strip("-")
    return f"roster-{slug or f'event-{event.pk}'}.csv"


def roster_csv(event):
    """The event's roster for Excel: UTF-8 with a BOM, CRLF, active registrations first."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ROSTER_HEADER)
    for row in roster_rows(event):
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")
