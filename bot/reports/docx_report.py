"""The periodic report as a Word document in the form of Decree 30/2020/NĐ-CP."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from bot.core.i18n import N_, _
from bot.reports.charts import Chart, NoChart
from bot.reports.docx_layout import (
    SMALL_PT,
    TABLE_PT,
    body,
    borderless,
    grid,
    heading,
    line,
    rule,
    setup_page,
)
from bot.reports.figures import Counts, ReportFigures
from bot.reports.labels import (
    AREA_TITLES,
    AREAS,
    BREAKDOWNS,
    METRICS,
    NO_DATA,
    ROMAN,
    area_figures,
    describe_period,
    fmt_count,
    fmt_value,
    last_day_counted,
)
from bot.reports.narrative import narrative

NO_PERSONAL_DATA = N_(
    "The figures are compiled by the chatbot from what it records; "
    "they contain no personal data of any citizen."
)
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


def build_docx(
    report: ReportFigures,
    charts: Sequence[Chart],
    head: Letterhead,
    missing: Sequence[NoChart] = (),
) -> bytes:
    """The whole report, in the current language (Vietnamese for the office).

    A chart the period has too little data for is named with the reason,
    never drawn empty or as a single point.
    """
    doc = docx.Document()
    setup_page(doc)
    title = _("Results of the government's outreach work in {period}").format(
        period=describe_period(report.period)
    )
    doc.core_properties.title = title
    doc.core_properties.author = _("People's Committee of {commune} commune").format(
        commune=head.commune
    )
    _letterhead(doc, head)
    _title(doc, report, title)
    numerals = iter(ROMAN[1:])
    heading(doc, _numbered(numerals, _("GENERAL SITUATION")))
    for paragraph in narrative(report, head.commune):
        body(doc, paragraph)
    heading(doc, _numbered(numerals, _("FIGURES")))
    body(doc, _(NO_PERSONAL_DATA))
    for number, area in enumerate(AREAS, 1):
        _area(doc, report, area, number)
    if charts or missing:
        heading(doc, _numbered(numerals, _("CHARTS")))
        for number, chart in enumerate(charts, 1):
            _chart(doc, chart, number)
        for left_out in missing:
            note = _("{title}: no chart, {reason}.").format(
                title=_(left_out.title), reason=_(left_out.reason)
            )
            line(doc, note, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=6)
    heading(doc, _numbered(numerals, _("PROPOSALS AND RECOMMENDATIONS")))
    line(doc, _("(For the office officer to complete before signing.)"), italic=True, after=12)
    _signature(doc, head)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _numbered(numerals: Iterator[str], title: str) -> str:
    return f"{next(numerals)}. {title}"


def _letterhead(doc: Document, head: Letterhead) -> None:
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


def _title(doc: Document, report: ReportFigures, subject: str) -> None:
    line(doc, "")
    line(doc, _("REPORT"), bold=True, size=14)
    line(doc, subject, bold=True, size=14)
    rule(doc, 3.0, 16.5)
    if report.as_of < report.period.end:
        as_of = last_day_counted(report).strftime("%d/%m/%Y")
        line(doc, _("(Figures as of {date})").format(date=as_of), italic=True)
    line(doc, "", after=6)


def _area(doc: Document, report: ReportFigures, area: str, number: int) -> None:
    """One numbered area: its figures, its breakdowns, or "no data recorded"."""
    heading(doc, f"{number}. {_(AREA_TITLES[area])}")
    figures = area_figures(report, area)
    if figures is None:
        line(doc, _(NO_DATA).capitalize() + ".", italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        return
    rows = [(_(m.label), fmt_value(m.value(figures), m.kind)) for m in METRICS[area]]
    grid(doc, (_("Indicator"), _("Figure")), rows)
    for attribute, title, first_column in BREAKDOWNS.get(area, ()):
        counts: Counts = getattr(figures, attribute)
        if not counts:
            continue
        caption = line(doc, _(title), italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=2)
        caption.paragraph_format.space_before = Pt(6)
        grid(
            doc, (_(first_column), _("Number")), [(_(c.label), fmt_count(c.value)) for c in counts]
        )


def _chart(doc: Document, chart: Chart, number: int) -> None:
    doc.add_picture(io.BytesIO(chart.png), width=Cm(15.5))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = _("Chart {number}: {title}").format(number=number, title=chart.title)
    line(doc, caption, italic=True, size=TABLE_PT, after=6)


def _signature(doc: Document, head: Letterhead) -> None:
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
