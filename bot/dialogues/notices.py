"""The messages of a dialogue, channel-neutral: announcement, answers, case notices, /news.

Built in the language active when called (`use_language`); every stored
value is escaped, since the texts are HTML. What citizens read of others'
questions, and what /news shows, passes through the public-answer masking.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.cases.model import TOPIC_NAMES
from bot.core.dates import long_date, moment_text
from bot.core.i18n import N_, _
from bot.dialogues.actions import DialogueAsk, DialogueBrowse
from bot.dialogues.model import Dialogue, Kind, Question
from bot.messaging.messages import Button, OutgoingMessage
from bot.public_answers.masking import mask_personal

KIND_NAMES = {
    Kind.DIALOGUE: N_("Dialogue with citizens"),
    Kind.VOTER_MEETING: N_("Voter meeting"),
}
VOICE_ONLY = N_("(a voice note)")
TOP = 5  # questions named when questions close


def when(moment: datetime | None, tz: ZoneInfo) -> str:
    return "—" if moment is None else moment_text(moment, tz)


def heading(dialogue: Dialogue) -> str:
    return f"🗣 <b>{escape(_(KIND_NAMES[dialogue.kind]))}: {escape(dialogue.title)}</b>"


def details(dialogue: Dialogue, tz: ZoneInfo) -> list[str]:
    """When, where and who attends."""
    lines = [
        _("🕗 When: {when}").format(when=when(dialogue.starts_at, tz)),
        _("📍 Where: {place}").format(place=escape(dialogue.place)),
    ]
    if dialogue.attendees:
        lines.append(_("👥 Attending: {who}").format(who=escape(dialogue.attendees)))
    return lines


def announcement(dialogue: Dialogue, tz: ZoneInfo) -> OutgoingMessage:
    """What the audience receives: the event, the closing time and a button to ask."""
    lines = [heading(dialogue), "", *details(dialogue, tz), ""]
    lines.append(
        _(
            "Send your questions before {when}. You may sign them or stay anonymous, and "
            "add “me too” to questions others made public."
        ).format(when=when(dialogue.questions_close_at, tz))
    )
    return OutgoingMessage("\n".join(lines), html=True, buttons=buttons(dialogue))


def buttons(dialogue: Dialogue) -> tuple[tuple[Button, ...], ...]:
    return (
        (Button(_("❓ Send a question"), DialogueAsk(dialogue.id)),),
        (Button(_("📋 Questions sent"), DialogueBrowse(dialogue.id)),),
    )


def question_text(question: Question) -> str:
    """The question's words (or a note that it was spoken), not escaped."""
    return question.text or _(VOICE_ONLY)


def public_text(question: Question) -> str:
    """The words others may read: personal data masked, the asker never named."""
    return mask_personal(question_text(question))


def answered(dialogue: Dialogue, question: Question, answer: str) -> OutgoingMessage:
    """Told to everyone who asked the question (or its group) or said "me too"."""
    lines = [
        _("💬 An answer from the meeting “{title}”").format(title=escape(dialogue.title)),
        "",
        _("Question: {text}").format(text=escape(public_text(question))),
        "",
        _("Answer: {text}").format(text=escape(answer)),
    ]
    return OutgoingMessage("\n".join(lines), html=True)


def became_case(dialogue: Dialogue, question: Question, code: str, due: date) -> OutgoingMessage:
    """Told to the asker of a question left unanswered when the meeting finished."""
    text = _(
        "Your question #{n} to “{title}” was not answered at the meeting. It is now case "
        "{code}; the commune answers it by {due}. Send /track {code} to follow it."
    ).format(n=question.number, title=escape(dialogue.title), code=code, due=long_date(due))
    return OutgoingMessage(text, html=True)


def cancelled(dialogue: Dialogue) -> OutgoingMessage:
    text = _("✖ “{title}” is cancelled.").format(title=escape(dialogue.title))
    return OutgoingMessage(text, html=True)


def news_post(dialogue: Dialogue, questions: Sequence[Question], tz: ZoneInfo) -> OutgoingMessage:
    """The answered public questions, filed in /news: masked, without any asker's name."""
    title = _("💬 Answers of the {kind} “{title}”").format(
        kind=_(KIND_NAMES[dialogue.kind]).lower(), title=escape(dialogue.title)
    )
    lines = [f"<b>{title}</b>", when(dialogue.starts_at, tz), "", _("Questions answered:")]
    shown = [q for q in questions if q.answered and q.public]
    for question in shown:
        lines += [
            "",
            f"❓ <b>{escape(public_text(question))}</b>",
            f"💬 {escape(mask_personal(question.answer or ''))}",
        ]
    if not shown:
        lines += ["", _("No public question was answered.")]
    return OutgoingMessage("\n".join(lines), html=True)


def topic_name(question: Question) -> str:
    return _(TOPIC_NAMES[question.topic])


def questions_closed(dialogue: Dialogue, ranked: Sequence[Question]) -> OutgoingMessage:
    """Told to the officer who announced it when questions close: the most asked ones."""
    lines = [
        _("🔔 Questions for “{title}” are closed: {n} received. Most asked:").format(
            title=escape(dialogue.title), n=len(ranked)
        )
    ]
    lines += [f"• #{q.number} (🙋 {q.weight}) {escape(question_text(q))}" for q in ranked[:TOP]]
    lines.append(_("Send /dialogue to group, mark and answer them."))
    return OutgoingMessage("\n".join(lines), html=True)
