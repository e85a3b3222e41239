"""The parts of a Decree 30/2020/NĐ-CP document every report shares: letterhead, charts, signature.

The periodic report (`docx_report`) and a consultation's report
(`bot.consultations.report`) both build on these.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from bot.core.i18n import N_, _
from bot.reports.charts import Chart
from bot.reports.docx_layout import SMALL_PT, TABLE_PT, borderless, line, rule

DEFAULT_RECIPIENTS = (
    N_("Standing board of the commune Party Committee (to report)"),
    N_("Standing board of the commune People's Council"),
    N_("Archive: clerical office"),
)


@dataclass(frozen=True)
class Letterhead:
    """Who issues the report and when; `recipients` empty means the usual ones."""

    commune: str
    issued: date
    signer: str = ""
    recipients: tuple[str, ...] = ()


def decree_date(day: date) -> tuple[str, str, str]:
    """Day, month and year as the decree writes them: 0 before days under 10 and months 1-2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}", month, str(day.year)


def letterhead(doc: Document, head: Letterhead) -> None:
    """Issuing body and number on the left; national motto and place-date on the right."""
    left, right = 6.0, 10.5
    table = borderless(doc, 2, (left, right))
    body_cell, motto_cell = table.rows[0].cells
    body_cell.paragraphs[0].add_run(
        _("PEOPLE'S COMMITTEE OF {commune} COMMUNE").format(commune=head.commune.upper())
    ).bold = True
    body_cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    rule(body_cell, 2.5, left)
    motto = motto_cell.paragraphs[0]
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
    motto.add_run(_("SOCIALIST REPUBLIC OF VIETNAM")).bold = True
    line(motto_cell, _("Independence - Freedom - Happiness"), bold=True)
    rule(motto_cell, 5.5, right)
    number_cell, date_cell = table.rows[1].cells
    number_cell.paragraphs[0].add_run(_("No.: .../BC-UBND"))
    number_cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    day, month, year = decree_date(head.issued)
    place = _("{place}, day {day} month {month} year {year}").format(
        place=head.commune, day=day, month=month, year=year
    )
    date_cell.paragraphs[0].add_run(place).italic = True
    date_cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def chart_figure(doc: Document, chart: Chart, number: int) -> None:
    """The chart's picture, centred, with its numbered caption below."""
    doc.add_picture(io.BytesIO(chart.png), width=Cm(15.5))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = _("Chart {number}: {title}").format(number=number, title=chart.title)
    line(doc, caption, italic=True, size=TABLE_PT, after=6)


def signature(doc: Document, head: Letterhead) -> None:
    """ "Nơi nhận" on the left; "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" and the signer on the right."""
    table = borderless(doc, 1, (8.0, 8.5))
    recipients_cell, signer_cell = table.rows[0].cells
    recipients_cell.paragraphs[0].add_run(_("Recipients:")).bold = True
    recipients_cell.paragraphs[0].runs[0].italic = True
    names = list(head.recipients) or [_(r) for r in DEFAULT_RECIPIENTS]
    for index, name in enumerate(names):
        end = "." if index == len(names) - 1 else ";"
        line(recipients_cell, f"- {name}{end}", size=SMALL_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    signer_cell.paragraphs[0].add_run(_("ON BEHALF OF THE PEOPLE'S COMMITTEE")).bold = True
    signer_cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    line(signer_cell, _("CHAIRMAN"), bold=True, after=60)
    if head.signer:
        line(signer_cell, head.signer, bold=True)
