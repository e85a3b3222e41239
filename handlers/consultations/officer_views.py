"""Pure builders of the officers' consultation screens."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardMarkup

from bot.consultations import notices
from bot.consultations.actions import ComposeNew, ConsultManage, ConsultSure, Manage
from bot.consultations.model import Consultation, State, Tally
from bot.core.config import Settings
from bot.core.i18n import _
from handlers.telegram.keyboards import button

Screen = tuple[str, InlineKeyboardMarkup | None]


def officer_list(found: list[Consultation], settings: Settings) -> Screen:
    lines = [_("🗳 <b>Consultations</b>")]
    if not found:
        lines.append(_("None yet."))
    rows = [[button(_("➕ New consultation"), ComposeNew())]]
    for c in found:
        state = _("open until {when}").format(when=notices.when(c.closes_at, settings.timezone))
        if c.state is State.CLOSED:
            state = _("closed")
        lines.append(f"#{c.id} {escape(c.title)} — {state}")
        rows.append([button(f"#{c.id} {c.title}"[:60], ConsultManage(c.id, Manage.TALLY))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def tally_screen(consultation: Consultation, tally: Tally, settings: Settings) -> Screen:
    """The live tally with its comments (no names), and what the officer can do next."""
    villages = {v.id: v.name for v in settings.villages}
    lines = [notices.tally_text(consultation, tally, villages)]
    if consultation.state is State.CLOSED:
        lines += ["", f"<b>{notices.outcome(consultation, tally)}</b>"]
    if tally.comments:
        lines += ["", _("Comments ({n}):").format(n=len(tally.comments))]
        lines += [f"— {escape(c)}" for c in tally.comments[-10:]]
    cid = consultation.id
    rows = [[button(_("🔄 Refresh"), ConsultManage(cid, Manage.TALLY))]]
    if consultation.state in (State.OPEN, State.CLOSED):
        rows.append([button(_("📝 Paper ballots"), ConsultManage(cid, Manage.PAPER))])
    if consultation.state is State.OPEN:
        rows.append([
            button(_("⏳ Extend"), ConsultManage(cid, Manage.EXTEND)),
            button(_("🔒 Close now"), ConsultManage(cid, Manage.CLOSE)),
            button(_("✖ Cancel"), ConsultManage(cid, Manage.CANCEL)),
        ])  # fmt: skip
    rows.append([button(_("📄 Report (.docx)"), ConsultManage(cid, Manage.REPORT))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def prompt(step: str, consultation: Consultation) -> str:
    if step == "paper":
        options = ", ".join(f"{i + 1}. {escape(o)}" for i, o in enumerate(consultation.options))
        return _(
            'Paper ballots for "{title}": send the village id, then the count for each '
            "option in this order ({options}), then an optional note after a semicolon, "
            'e.g. "dong-tam 40 12 ; village meeting 12/3".'
        ).format(title=escape(consultation.title), options=options)
    return _('Until when? Send the new closing date and time, e.g. "25/12 17:00".')


def are_you_sure(consultation: Consultation, what: Manage) -> Screen:
    if what is Manage.CLOSE:
        text = _('Close "{title}" now? Answers stop and the result is sent.')
        yes = _("Yes, close now")
    else:
        text = _('Cancel "{title}"? Everyone invited is told; the answers are not used.')
        yes = _("Yes, cancel it")
    keyboard = InlineKeyboardMarkup(
        [
            [button(yes, ConsultSure(consultation.id, what))],
            [button(_("No, go back"), ConsultManage(consultation.id, Manage.TALLY))],
        ]
    )
    return text.format(title=escape(consultation.title)), keyboard


def done_text(consultation: Consultation) -> str:
    if consultation.state is State.CLOSED:
        return _("Closed. The result goes to those who answered and to /news.")
    if consultation.state is State.CANCELLED:
        return _("Cancelled. Everyone invited is being told.")
    return _("Extended. Those who answered are told the new closing time.")


def when_problem(reason: str) -> str:
    problems = {
        "no_time": _("Please add a time, for example 8:00 or 8h."),
        "past": _("That moment has already passed."),
        "bad_date": _("That date or time does not exist."),
    }
    return problems.get(reason, _("I could not read that date and time."))
