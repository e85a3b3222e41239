"""The report's figures as CSV: UTF-8 with a BOM so that Excel shows Vietnamese correctly."""

from __future__ import annotations

import csv
import io
import re

from bot.core.i18n import N_, _
from bot.reports.figures import ReportFigures
from bot.reports.labels import Row, describe_period, figure_rows, last_day_counted

# Columns: area and metric are stable English ids for machines, key the
# breakdown's id (village, kind, topic), label the text for people.
HEADER = (N_("Area"), N_("Indicator"), N_("Key"), N_("Label"), N_("Value"))
_INTEGER = re.compile(r"^-?\d+$")


def report_rows(report: ReportFigures) -> list[Row]:
    """What the CSV holds: the period first, then every figure."""
    as_of = last_day_counted(report).isoformat()
    return [
        Row("report", "period", report.period.key, describe_period(report.period), None),
        Row("report", "as_of", as_of, _("Figures as of"), None),
        *figure_rows(report),
    ]


def to_csv(rows: list[Row]) -> bytes:
    buffer = io.StringIO()
    # Excel expects CRLF; the BOM is what tells it the file is UTF-8.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_(h) for h in HEADER])
    for row in rows:
        writer.writerow([row.area, row.metric, row.key, row.label, _value_text(row.value)])
    return buffer.getvalue().encode("utf-8-sig")


def read_csv(data: bytes) -> list[Row]:
    """Read back what `to_csv` wrote (the header, in whatever language, is skipped)."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    next(reader, None)
    return [
        Row(area, metric, key, label, _parse(value)) for area, metric, key, label, value in reader
    ]


def _value_text(value: int | float | None) -> str:
    # repr keeps every digit of a float, so the file reads back exactly.
    return "" if value is None else repr(value)


def _parse(text: str) -> int | float | None:
    if not text:
        return None
    return int(text) if _INTEGER.match(text) else float(text)
