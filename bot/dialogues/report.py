"""A dialogue's or voter meeting's report (.docx): the questions by topic with their
support, the answers given, and those still open with their case codes.

Question and answer texts pass through the public-answer masking and no
asker is named: the report is handed on, a citizen's data stays in the bot.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from zoneinfo import ZoneInfo

import docx

from bot.cases.model import TOPIC_NAMES, Topic
from bot.core.i18n import _
from bot.dialogues import notices
from bot.dialogues.model import Dialogue, Question
from bot.public_answers.masking import mask_personal
from bot.reports.decree_form import Letterhead, letterhead, signature
from bot.reports.docx_layout import body, grid, heading, line, rule, setup_page


def build_report(
    dialogue: Dialogue, questions: Sequence[Question], head: Letterhead, tz: ZoneInfo
) -> bytes:
    """The report in the current language, sections I to IV."""
    doc = docx.Document()
    setup_page(doc)
    kind = _(notices.KIND_NAMES[dialogue.kind])
    subject = _("Questions and answers of the {kind} “{title}”").format(
        kind=kind.lower(), title=dialogue.title
    )
    doc.core_properties.title = subject
    letterhead(doc, head)
    line(doc, "")
    line(doc, _("REPORT"), bold=True, size=14)
    line(doc, subject, bold=True, size=14)
    rule(doc, 3.0, 16.5)
    _meeting(doc, dialogue, questions, tz)
    _by_topic(doc, questions)
    heading(doc, "III. " + _("ANSWERS GIVEN"))
    answered = [q for q in questions if q.answered]
    rows = [(_label(q), mask_personal(q.answer or "")) for q in answered]
    _table_or_none(doc, (_("Question"), _("Answer")), rows)
    heading(doc, "IV. " + _("QUESTIONS STILL OPEN"))
    left = [q for q in questions if not q.answered]
    rows = [(_label(q), q.case_code or _("not yet a case")) for q in left]
    _table_or_none(doc, (_("Question"), _("Case")), rows)
    signature(doc, head)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _meeting(
    doc: docx.document.Document, dialogue: Dialogue, questions: Sequence[Question], tz: ZoneInfo
) -> None:
    heading(doc, "I. " + _("THE MEETING"))
    body(doc, _("Held on: {when}").format(when=notices.when(dialogue.starts_at, tz)))
    body(doc, _("Where: {place}").format(place=dialogue.place))
    if dialogue.attendees:
        body(doc, _("Attending: {who}").format(who=dialogue.attendees))
    rows = [
        (_("Questions received"), str(len(questions))),
        (_("People asking, “me too” included"), str(sum(q.weight for q in questions))),
        (_("Answered"), str(sum(1 for q in questions if q.answered))),
        (_("Became cases"), str(sum(1 for q in questions if q.case_code))),
    ]
    grid(doc, (_("Figure"), _("Count")), rows)


def _by_topic(doc: docx.document.Document, questions: Sequence[Question]) -> None:
    """Section II: each topic's questions, most asked first."""
    heading(doc, "II. " + _("QUESTIONS BY TOPIC"))
    if not questions:
        body(doc, _("No question was sent."))
    for topic in Topic:
        mine = sorted(
            (q for q in questions if q.topic is topic), key=lambda q: (-q.weight, q.number)
        )
        if not mine:
            continue
        line(doc, f"{_(TOPIC_NAMES[topic])} ({len(mine)})", bold=True)
        grid(doc, (_("Question"), _("People asking")), [(_label(q), str(q.weight)) for q in mine])


def _label(question: Question) -> str:
    group = f" (+#{question.group_lead})" if question.group_lead else ""
    return f"#{question.number}{group} {mask_personal(notices.question_text(question))}"


def _table_or_none(
    doc: docx.document.Document, header: tuple[str, str], rows: list[tuple[str, str]]
) -> None:
    if rows:
        grid(doc, header, rows)
    else:
        body(doc, _("None."))
