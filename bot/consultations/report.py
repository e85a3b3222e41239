"""A consultation's result as a Word report (Decree 30/2020 form), with its tally chart."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from bot.consultations import notices, rules
from bot.consultations.model import Consultation, Kind, Moderation, QuestionType, Tally
from bot.core.i18n import _, format_number
from bot.public_answers.masking import mask_personal
from bot.reports.charts import Chart
from bot.reports.decree_form import Letterhead, chart_figure, signature
from bot.reports.decree_form import letterhead as letterhead_block
from bot.reports.docx_layout import body, grid, heading, line, rule, setup_page
from bot.reports.docx_report import NO_PERSONAL_DATA


def tally_chart(consultation: Consultation, tally: Tally) -> Chart:
    """Bars: answers per option, online and on paper stacked."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 3.6), dpi=150)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = [o[:24] for o in tally.options]
    paper = [sum(c[i] for c in tally.paper.values()) for i in range(len(labels))]
    online = [t - p for t, p in zip(tally.by_option(), paper, strict=True)]
    axes.bar(labels, online, color="#1f5fa8", label=_("online"))
    axes.bar(labels, paper, bottom=online, color="#d9822b", label=_("on paper"))
    if consultation.kind is Kind.HOUSEHOLD and tally.eligible:
        axes.axhline(rules.majority(tally.eligible), color="#b8403a", linestyle="--",
                     label=_("more than half of the households"))  # fmt: skip
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(fontsize=8)
    asked = tally.question.text if tally.question else consultation.title
    title = _("Answers by option: {title}").format(title=asked)
    axes.set_title(title[:80])
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return Chart(title, buffer.getvalue())


def build_report(
    consultation: Consultation,
    tallies: Sequence[Tally],
    villages: Mapping[str, str],
    head: Letterhead,
) -> bytes:
    """The report in the current language: what was asked, each question's tally and chart,
    the comments grouped with the officers' answers (tổng hợp, tiếp thu, giải trình)."""
    doc = docx.Document()
    setup_page(doc)
    subject = _('Result of the consultation "{title}"').format(title=consultation.title)
    doc.core_properties.title = subject
    letterhead_block(doc, head)
    line(doc, "")
    line(doc, _("REPORT"), bold=True, size=14)
    line(doc, subject, bold=True, size=14)
    rule(doc, 3.0, 16.5)
    heading(doc, "I. " + _("WHAT WAS ASKED"))
    body(doc, _(notices.KIND_NAMES[consultation.kind]) + ": " + consultation.title)
    for number, asked in enumerate(consultation.questions, 1):
        body(doc, f"{number}. {asked.text}")
    if consultation.summary:
        body(doc, consultation.summary)
    heading(doc, "II. " + _("RESULT"))
    body(doc, _(NO_PERSONAL_DATA))
    for index, tally in enumerate(tallies):
        _question_result(doc, consultation, index, tally, villages)
    charts = [
        t for t in tallies if t.question is None or t.question.type is not QuestionType.COMMENT
    ]
    if charts:
        heading(doc, "III. " + _("CHART"))
        for number, tally in enumerate(charts, 1):
            chart_figure(doc, tally_chart(consultation, tally), number)
    heading(doc, "IV. " + _("COMMENTS AND THE COMMUNE'S ANSWERS"))
    _comments(doc, consultation, tallies)
    signature(doc, head)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _question_result(
    doc: Document, consultation: Consultation, index: int, tally: Tally, villages: Mapping[str, str]
) -> None:
    asked = consultation.questions[index]
    line(doc, f"{index + 1}. {asked.text}", bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    if asked.type is QuestionType.COMMENT:
        body(doc, _("Written answers: {n}").format(n=tally.respondents))
        return
    answered = max(tally.answered, 1)
    rows = [
        (label, f"{n} ({format_number(round(100 * n / answered, 1))}%)")
        for label, n in zip(tally.options, tally.by_option(), strict=True)
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


def _comments(doc: Document, consultation: Consultation, tallies: Sequence[Tally]) -> None:
    """Each question's comments (hidden ones left out), masked, with the answers given."""
    shown = 0
    for index, tally in enumerate(tallies):
        kept = [c for c in tally.comments if c.moderation is not Moderation.HIDDEN]
        if not kept:
            continue
        line(doc, f"{index + 1}. {consultation.questions[index].text}", bold=True,
             align=WD_ALIGN_PARAGRAPH.LEFT)  # fmt: skip
        for comment in kept:
            signer = f" ({comment.signer})" if comment.signer else ""
            body(doc, f"- {mask_personal(comment.text)}{signer}")
            if comment.response:
                body(doc, _("Answer: {text}").format(text=mask_personal(comment.response)))
            if comment.moderation is Moderation.CASE:
                body(doc, _("Taken up as a case."))
            shown += 1
    if not shown:
        body(doc, _("No comments."))


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
