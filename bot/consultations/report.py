"""A consultation's result as a Word report (Decree 30/2020 form), with its tally chart."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date

import docx

from bot.consultations import notices, rules
from bot.consultations.model import Consultation, Kind, Tally
from bot.core.i18n import _, format_number
from bot.reports.charts import Chart
from bot.reports.docx_layout import body, grid, heading, line, rule, setup_page
from bot.reports.docx_report import NO_PERSONAL_DATA, Letterhead, _chart, _letterhead, _signature


def tally_chart(consultation: Consultation, tally: Tally) -> Chart:
    """Bars: answers per option, online and on paper stacked."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 3.6), dpi=150)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = [o[:24] for o in consultation.options]
    paper = [sum(c[i] for c in tally.paper.values()) for i in range(len(labels))]
    online = [t - p for t, p in zip(tally.by_option(), paper, strict=True)]
    axes.bar(labels, online, color="#1f5fa8", label=_("online"))
    axes.bar(labels, paper, bottom=online, color="#d9822b", label=_("on paper"))
    if consultation.kind is Kind.HOUSEHOLD and tally.eligible:
        axes.axhline(rules.majority(tally.eligible), color="#b8403a", linestyle="--",
                     label=_("more than half of the households"))  # fmt: skip
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=8)
    title = _("Answers by option: {title}").format(title=consultation.title)
    axes.set_title(title[:80])
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return Chart(title, buffer.getvalue())


def build_report(
    consultation: Consultation, tally: Tally, villages: Mapping[str, str], head: Letterhead
) -> bytes:
    """The report in the current language: what was asked, the tally, the outcome, the chart."""
    doc = docx.Document()
    setup_page(doc)
    subject = _('Result of the consultation "{title}"').format(title=consultation.title)
    doc.core_properties.title = subject
    _letterhead(doc, head)
    line(doc, "")
    line(doc, _("REPORT"), bold=True, size=14)
    line(doc, subject, bold=True, size=14)
    rule(doc, 3.0, 16.5)
    heading(doc, "I. " + _("WHAT WAS ASKED"))
    body(doc, _(notices.KIND_NAMES[consultation.kind]) + ": " + consultation.question)
    if consultation.summary:
        body(doc, consultation.summary)
    heading(doc, "II. " + _("RESULT"))
    body(doc, _(NO_PERSONAL_DATA))
    answered = max(tally.answered, 1)
    rows = [
        (label, f"{n} ({format_number(round(100 * n / answered, 1))}%)")
        for label, n in zip(consultation.options, tally.by_option(), strict=True)
    ]
    rows += [
        (_("Answered"), f"{tally.answered} / {tally.could_answer(consultation.kind)}"),
        (_("of which on paper"), str(tally.paper_total)),
        (_("Comments"), str(len(tally.comments))),
    ]
    grid(doc, (_("Option"), _("Answers")), rows)
    by_village = [
        (villages.get(v or "", v or "—"), ", ".join(map(str, c)))
        for v, c in sorted(_merged(tally).items(), key=lambda i: i[0] or "")
    ]
    if by_village:
        grid(doc, (_("Village"), _("Answers by option")), by_village)
    body(doc, _strip(notices.outcome(consultation, tally)))
    heading(doc, "III. " + _("CHART"))
    _chart(doc, tally_chart(consultation, tally), 1)
    _signature(doc, head)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _merged(tally: Tally) -> dict[str | None, tuple[int, ...]]:
    empty = (0,) * len(tally.options)
    return {
        v: tuple(
            a + b
            for a, b in zip(tally.online.get(v, empty), tally.paper.get(v, empty), strict=True)
        )
        for v in set(tally.online) | set(tally.paper)
    }


def _strip(html_text: str) -> str:
    return (
        html_text.replace("&quot;", '"')
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
    )


def letterhead(commune: str, issued: date) -> Letterhead:
    return Letterhead(commune=commune, issued=issued)
