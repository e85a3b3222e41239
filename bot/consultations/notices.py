"""The messages of a consultation, channel-neutral: invitation, reminder, result, notices.

Built in the language active when called (`use_language`); every stored
value is escaped, since the texts are HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.consultations import rules
from bot.consultations.actions import ConsultAnswer, ConsultComment, ConsultStep
from bot.consultations.model import Comment, Consultation, Kind, Moderation, QuestionType, Tally
from bot.core.dates import long_date, moment_text
from bot.core.i18n import N_, _, format_number
from bot.messaging.messages import Button, OutgoingMessage
from bot.public_answers.masking import mask_personal

KIND_NAMES = {
    Kind.POLL: N_("Vote"),
    Kind.OPINION: N_("Consultation on a draft"),
    Kind.HOUSEHOLD: N_("Household decision"),
}


def when(moment: datetime | None, tz: ZoneInfo) -> str:
    return "—" if moment is None else moment_text(moment, tz)


def heading(consultation: Consultation) -> str:
    kind = _(KIND_NAMES[consultation.kind])
    return f"🗳 <b>{escape(kind)}: {escape(consultation.title)}</b>"


def invitation(consultation: Consultation, tz: ZoneInfo) -> OutgoingMessage:
    """What the audience receives: summary, question, closing date, a button per option."""
    lines = [heading(consultation)]
    if consultation.summary:
        lines += ["", escape(consultation.summary)]
    if consultation.stepwise:
        lines += ["", _("Questions ({n}):").format(n=len(consultation.questions))]
        lines += [f"{i}. {escape(q.text)}" for i, q in enumerate(consultation.questions, 1)]
    else:
        lines += ["", f"❓ {escape(consultation.question)}"]
    if consultation.kind is Kind.HOUSEHOLD:
        lines += ["", _("One answer per household, given by its representative.")]
    closes = when(consultation.closes_at, tz)
    lines += ["", _("Answers are taken until {when}. You can change yours until then.").format(
        when=closes
    )]  # fmt: skip
    return OutgoingMessage(
        "\n".join(lines), html=True, attachment=consultation.document, buttons=buttons(consultation)
    )


def buttons(consultation: Consultation) -> tuple[tuple[Button, ...], ...]:
    """The invitation's buttons: the options and a comment, or one to answer step by step."""
    if consultation.stepwise:
        return answer_buttons(consultation)
    return (
        *answer_buttons(consultation),
        (Button(_("💬 Add a comment"), ConsultComment(consultation.id)),),
    )


def answer_buttons(consultation: Consultation) -> tuple[tuple[Button, ...], ...]:
    """A button per option of the one question, or one that starts the questions."""
    if consultation.stepwise:
        label = _("🗳 Answer the questions")
        return ((Button(label, ConsultStep(consultation.id, 0)),),)
    return tuple(
        (Button(label, ConsultAnswer(consultation.id, i)),)
        for i, label in enumerate(consultation.options)
    )


def reminder(consultation: Consultation, tz: ZoneInfo) -> OutgoingMessage:
    text = _('⏰ Reminder: "{title}" closes on {when}. You have not answered yet.').format(
        title=escape(consultation.title), when=when(consultation.closes_at, tz)
    )
    return OutgoingMessage(text, html=True, buttons=answer_buttons(consultation))


def tally_text(
    consultation: Consultation, tallies: Sequence[Tally], villages: Mapping[str, str]
) -> str:
    """The figures of every question: per option, turnout, per village; never a name."""
    blocks = [heading(consultation)]
    for index, tally in enumerate(tallies):
        blocks.append(question_text(consultation, index, tally, villages))
    return "\n\n".join(blocks)


def question_text(
    consultation: Consultation, index: int, tally: Tally, villages: Mapping[str, str]
) -> str:
    """One question's figures; a free-comment question counts its answers."""
    asked = consultation.questions[index]
    number = f"{index + 1}. " if len(consultation.questions) > 1 else ""
    lines = [f"❓ {number}{escape(asked.text)}"]
    if asked.type is QuestionType.COMMENT:
        lines.append(_("Written answers: {n}").format(n=tally.respondents))
        return "\n".join(lines)
    lines.append("")
    answered = max(tally.answered, 1)
    for label, count in zip(asked.options, tally.by_option(), strict=True):
        share = format_number(round(100 * count / answered, 1))
        lines.append(f"• {escape(label)}: <b>{count}</b> ({share}%)")
    lines += ["", turnout(consultation, tally)]
    if tally.paper_total:
        lines.append(_("of which on paper: {n}").format(n=tally.paper_total))
    if consultation.kind is Kind.HOUSEHOLD:
        lines.append(
            _("Passes with more than half of the {n} households: at least {m}.").format(
                n=tally.eligible, m=rules.majority(tally.eligible)
            )
        )
    by_village = village_lines(tally, villages)
    if by_village:
        lines += ["", _("By village:"), *by_village]
    return "\n".join(lines)


def turnout(consultation: Consultation, tally: Tally) -> str:
    base = tally.could_answer(consultation.kind)
    share = format_number(round(100 * tally.answered / base, 1)) if base else "—"
    if consultation.kind is Kind.HOUSEHOLD:
        text = _("Households answered: {n} of {total} ({share}%)")
    else:
        text = _("Answered: {n} of {total} ({share}%)")
    return text.format(n=tally.answered, total=base, share=share)


def village_lines(tally: Tally, villages: Mapping[str, str]) -> list[str]:
    lines = []
    for village in sorted(set(tally.online) | set(tally.paper), key=lambda v: v or ""):
        counts = [
            a + b
            for a, b in zip(
                tally.online.get(village, (0,) * len(tally.options)),
                tally.paper.get(village, (0,) * len(tally.options)),
                strict=True,
            )
        ]
        name = villages.get(village or "", _("no village"))
        figures = ", ".join(
            f"{escape(label)} {n}" for label, n in zip(tally.options, counts, strict=True)
        )
        lines.append(f"• {escape(name)}: {figures}")
    return lines


def outcomes(consultation: Consultation, tallies: Sequence[Tally]) -> list[str]:
    """The outcome of each choice question, numbered when there are several."""
    found = []
    for index, tally in enumerate(tallies):
        if tally.question is not None and tally.question.type is QuestionType.COMMENT:
            continue
        number = f"{index + 1}. " if len(tallies) > 1 else ""
        found.append(f"<b>{number}{outcome(consultation, tally)}</b>")
    return found


def outcome(consultation: Consultation, tally: Tally) -> str:
    decided = rules.decided_option(consultation.kind, tally.by_option(), tally.eligible)
    if decided is None:
        if consultation.kind is Kind.HOUSEHOLD:
            return _("No option reached more than half of the households: not decided.")
        return _("No option came first.")
    option = escape(tally.options[decided])
    if consultation.kind is Kind.HOUSEHOLD:
        return _('Decided: "{option}", with more than half of the households.').format(
            option=option
        )
    return _('Most answers: "{option}".').format(option=option)


def result(
    consultation: Consultation, tallies: Sequence[Tally], villages: Mapping[str, str]
) -> OutgoingMessage:
    """The result told to participants and published in /news, with the public comments."""
    lines = [_("📊 Result"), tally_text(consultation, tallies, villages), ""]
    lines += outcomes(consultation, tallies)
    if consultation.public_comments:
        answered = [c for t in tallies for c in t.comments if c.moderation is Moderation.ANSWERED]
        if answered:
            lines += ["", _("<b>Comments and the commune's answers</b>")]
            lines += [public_comment(c) for c in answered]
    return OutgoingMessage("\n".join(lines), html=True)


def public_comment(comment: Comment) -> str:
    """A comment as the public reads it: personal details masked, a name only if signed."""
    signer = f" ({escape(comment.signer)})" if comment.signer else ""
    text = f"💬 {escape(mask_personal(comment.text))}{signer}"
    if comment.response:
        text += "\n↳ " + escape(mask_personal(comment.response))
    return text


def comment_became_case(consultation: Consultation, code: str, due: date) -> OutgoingMessage:
    """Told to a citizen whose comment the officers took up as a case."""
    text = _(
        'Your comment on "{title}" is now handled as case {code}; '
        "you will get an answer by {due}. Send /track {code} to follow it."
    ).format(title=escape(consultation.title), code=escape(code), due=long_date(due))
    return OutgoingMessage(text, html=True)


def changed(consultation: Consultation, tz: ZoneInfo, what: str) -> OutgoingMessage:
    """Told to the audience when the consultation is extended or cancelled."""
    if what == "extended":
        text = _('⏳ "{title}" is extended: answers are now taken until {when}.').format(
            title=escape(consultation.title), when=when(consultation.closes_at, tz)
        )
    elif what == "closed":
        text = _('🔒 "{title}" was closed early; the result follows.').format(
            title=escape(consultation.title)
        )
    else:
        text = _('✖ "{title}" is cancelled; the answers given will not be used.').format(
            title=escape(consultation.title)
        )
    return OutgoingMessage(text, html=True)


def summary(
    consultation: Consultation, tallies: Sequence[Tally], villages: Mapping[str, str]
) -> OutgoingMessage:
    """Told to the officers at closing: the figures, the outcome and the comments' count."""
    lines = [
        _("🔒 Consultation #{id} is closed.").format(id=consultation.id),
        tally_text(consultation, tallies, villages),
        "",
        *outcomes(consultation, tallies),
    ]
    comments = sum(len(t.comments) for t in tallies)
    if comments:
        lines.append(_("Comments: {n}. Send /consult to read them.").format(n=comments))
    return OutgoingMessage("\n".join(lines), html=True)
