"""The periodic report as a Word document in the form of Decree 30/2020/NĐ-CP."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bot.core.i18n import N_, _
from bot.reports.charts import Chart, NoChart
from bot.reports.decree_form import Letterhead, chart_figure, letterhead, signature
from bot.reports.docx_layout import (
    body,
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
    letterhead(doc, head)
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
            chart_figure(doc, chart, number)
        for left_out in missing:
            note = _("{title}: no chart, {reason}.").format(
                title=_(left_out.title), reason=_(left_out.reason)
            )
            line(doc, note, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=6)
    heading(doc, _numbered(numerals, _("PROPOSALS AND RECOMMENDATIONS")))
    line(doc, _("(For the office officer to complete before signing.)"), italic=True, after=12)
    signature(doc, head)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _numbered(numerals: Iterator[str], title: str) -> str:
    return f"{next(numerals)}. {title}"


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
    rows = [
        (_(m.label), fmt_value(m.value(figures), m.kind)) for m in METRICS[area] if m.shown(figures)
    ]
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
