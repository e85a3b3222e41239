"""The day's Sổ tiếp công dân as a printable Word file: date, name, address, subject, outcome."""

from __future__ import annotations

import io
from datetime import date

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm, Pt

from bot.core.i18n import _, format_date
from bot.reception.model import Booking, State
from bot.reports.docx_layout import TABLE_PT, line, rule, setup_page

# Widths of the columns in cm: no., date, name, address, subject, outcome (16.5 cm of text).
WIDTHS = (1.0, 2.2, 3.2, 3.0, 3.8, 3.3)


def register_book(commune: str, day: date, bookings: list[Booking], place: str) -> bytes:
    """The register of one reception day: everyone received or expected, in queue order."""
    doc = docx.Document()
    setup_page(doc)
    title = _("CITIZEN RECEPTION REGISTER")
    doc.core_properties.title = title
    line(
        doc, _("PEOPLE'S COMMITTEE OF {commune} COMMUNE").format(commune=commune.upper()), bold=True
    )
    rule(doc, 3.0, 16.5)
    line(doc, title, bold=True, size=14)
    line(
        doc,
        _("Reception day {day}, at {place}").format(
            day=format_date(day, "dd/MM/yyyy"), place=place
        ),
        italic=True,
        after=6,
    )
    _table(doc, [b for b in bookings if b.state is not State.WAITING])
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _table(doc: Document, listed: list[Booking]) -> None:
    """One row per citizen received or expected, in the register's columns."""
    header = (_("No."), _("Date"), _("Full name"), _("Address"), _("Subject"), _("Outcome"))
    table = doc.add_table(rows=1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _put(cell, text, bold=True)
    for number, b in enumerate(listed, start=1):
        day = format_date(b.day, "dd/MM/yyyy")
        values = (str(number), day, b.name or "", b.address, b.subject, _outcome(b))
        for cell, text in zip(table.add_row().cells, values, strict=True):
            _put(cell, text)
    for column, width in zip(table.columns, WIDTHS, strict=True):
        for cell in column.cells:
            cell.width = Cm(width)


def _outcome(b: Booking) -> str:
    if b.state is State.NO_SHOW:
        return _("Did not come")
    if b.outcome:
        return b.outcome
    return _("Received") if b.state is State.RECEIVED else ""


def _put(cell: object, text: str, *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(TABLE_PT)
