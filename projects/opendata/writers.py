"""The two file formats of the open data.

CSV: UTF-8 with a byte order mark (so that Excel reads it as UTF-8), CRLF line ends, one header row of
Japanese column names, quoting by Python's csv module (a value with a comma, a quote or a line break is
quoted; line breaks inside a value stay LF). Values are written as they are: data users get exactly what the
site shows.

JSON: UTF-8 without escapes, `{"dataset", "license", "attribution", "generated_at", "items"}`.
"""

import csv
import io
import json

BOM = "\ufeff"


def csv_bytes(table, records, context):
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in table.columns])
    rows = table.items(records)
    for item in rows:
        writer.writerow([_cell(column.cell(item, context)) for column in table.columns])
    return buffer.getvalue().encode("utf-8"), len(rows)


def _cell(value):
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def json_bytes(dataset, records, terms):
    document = {
        "dataset": dataset.title,
        "license": {"name": terms.license_name, "url": terms.license_url},
        "attribution": terms.attribution,
        "generated_at": terms.generated_at,
        "items": records,
    }
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8"), len(records)
