"""The messages of a consultation, channel-neutral: invitation, reminder, result, notices.

Built in the language active when called (`use_language`); every stored
value is escaped, since the texts are HTML.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.consultations import rules
from bot.consultations.actions import ConsultAnswer, ConsultComment
from bot.consultations.model import Consultation, Kind, Tally
from bot.core.i18n import N_, _, format_datetime, format_number
from bot.messaging.messages import Button, OutgoingMessage

KIND_NAMES = {
    Kind.POLL: N_("Vote"),
    Kind.OPINION: N_("Consultation on a draft"),
    Kind.HOUSEHOLD: N_("Household decision"),
}


def when(moment: datetime | None, tz: ZoneInfo) -> str:
    return "—" if moment is None else format_datetime(moment, tz, "EEEE, dd/MM/yyyy HH:mm")


def heading(consultation: Consultation) -> str:
    kind = _(KIND_NAMES[consultation.kind])
    return f"🗳 <b>{escape(kind)}: {escape(consultation.title)}</b>"


def invitation(consultation: Consultation, tz: ZoneInfo) -> OutgoingMessage:
    """What the audience receives: summary, question, closing date, a button per option."""
    lines = [heading(consultation)]
    if consultation.summary:
        lines += ["", escape(consultation.summary)]
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
    rows = tuple(
        (Button(label, ConsultAnswer(consultation.id, i)),)
        for i, label in enumerate(consultation.options)
    )
    return (*rows, (Button(_("💬 Add a comment"), ConsultComment(consultation.id)),))


def reminder(consultation: Consultation, tz: ZoneInfo) -> OutgoingMessage:
    text = _('⏰ Reminder: "{title}" closes on {when}. You have not answered yet.').format(
        title=escape(consultation.title), when=when(consultation.closes_at, tz)
    )
    return OutgoingMessage(text, html=True, buttons=buttons(consultation)[:-1])


def tally_text(consultation: Consultation, tally: Tally, villages: Mapping[str, str]) -> str:
    """The figures: per option, turnout, per village; never a name."""
    totals = tally.by_option()
    lines = [heading(consultation), f"❓ {escape(consultation.question)}", ""]
    answered = max(tally.answered, 1)
    for label, count in zip(consultation.options, totals, strict=True):
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
    by_village = village_lines(consultation, tally, villages)
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


def village_lines(
    consultation: Consultation, tally: Tally, villages: Mapping[str, str]
) -> list[str]:
    lines = []
    for village in sorted(set(tally.online) | set(tally.paper), key=lambda v: v or ""):
        counts = [
            a + b
            for a, b in zip(
                tally.online.get(village, (0,) * len(consultation.options)),
                tally.paper.get(village, (0,) * len(consultation.options)),
                strict=True,
            )
        ]
        name = villages.get(village or "", _("no village"))
        figures = ", ".join(
            f"{escape(label)} {n}" for label, n in zip(consultation.options, counts, strict=True)
        )
        lines.append(f"• {escape(name)}: {figures}")
    return lines


def outcome(consultation: Consultation, tally: Tally) -> str:
    decided = rules.decided_option(consultation.kind, tally.by_option(), tally.eligible)
    if decided is None:
        if consultation.kind is Kind.HOUSEHOLD:
            return _("No option reached more than half of the households: not decided.")
        return _("No option came first.")
    option = escape(consultation.options[decided])
    if consultation.kind is Kind.HOUSEHOLD:
        return _('Decided: "{option}", with more than half of the households.').format(
            option=option
        )
    return _('Most answers: "{option}".').format(option=option)


def result(
    consultation: Consultation, tally: Tally, villages: Mapping[str, str]
) -> OutgoingMessage:
    """The result told to participants and published in /news."""
    text = "\n".join(
        (
            _("📊 Result"),
            tally_text(consultation, tally, villages),
            "",
            f"<b>{outcome(consultation, tally)}</b>",
        )
    )
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
    consultation: Consultation, tally: Tally, villages: Mapping[str, str]
) -> OutgoingMessage:
    """Told to the officers at closing: the figures, the outcome and the comments' count."""
    lines = [
        _("🔒 Consultation #{id} is closed.").format(id=consultation.id),
        tally_text(consultation, tally, villages),
        "",
        f"<b>{outcome(consultation, tally)}</b>",
    ]
    if tally.comments:
        lines.append(_("Comments: {n}. Send /consult to read them.").format(n=len(tally.comments)))
    return OutgoingMessage("\n".join(lines), html=True)
