"""Pure builders of the consultation screens: texts and keyboards, no sending."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.consultations import notices
from bot.consultations.actions import (
    ConsultReminders,
    ConsultShow,
    DeclareHousehold,
)
from bot.consultations.model import Consultation, Household
from bot.core.i18n import _
from handlers.telegram.keyboards import button

Screen = tuple[str, InlineKeyboardMarkup | None]


def answered(consultation: Consultation, option: int, previous: int | None) -> str:
    """The short notice a press is answered with."""
    chosen = consultation.options[option]
    if previous is None or previous == option:
        return _("✅ Your answer: {option}. You can change it until closing.").format(option=chosen)
    return _('✅ Changed from "{old}" to "{new}".').format(
        old=consultation.options[previous], new=chosen
    )


def listing(open_now: list[Consultation], closed: list[Consultation], tz: ZoneInfo) -> Screen:
    """/consult for citizens: what is open (a button each), and recent results."""
    if not open_now and not closed:
        return _("There is no consultation for you at the moment."), None
    lines = [_("🗳 <b>Consultations and votes</b>")]
    if open_now:
        lines += ["", _("Open now:")]
        lines += [
            f"• {escape(c.title)} — " + _("until {when}").format(when=notices.when(c.closes_at, tz))
            for c in open_now
        ]
    if closed:
        lines += ["", _("Results:")]
        lines += [f"• {escape(c.title)}" for c in closed]
    keyboard = [[button(f"🗳 {c.title}"[:60], ConsultShow(c.id))] for c in open_now + closed]
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


def household_screen(household: Household | None, reminders: bool) -> Screen:
    """/settings' consultation part: the household one represents, and the reminders."""
    if household is None:
        lines = [_("You have not declared that you represent a household.")]
        rows = [[button(_("🏠 I represent my household"), DeclareHousehold())]]
    else:
        lines = [
            _("You represent the household: {name}, {address}.").format(
                name=escape(household.name), address=escape(household.address)
            )
        ]
        rows = []
    state = _("on") if reminders else _("off")
    lines.append(_("Reminders before a consultation closes: {state}.").format(state=state))
    label = _("🔕 Turn reminders off") if reminders else _("🔔 Turn reminders on")
    rows.append([button(label, ConsultReminders(not reminders))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def household_prompt() -> str:
    return _(
        "Send the household's name and address on one line, separated by a comma, "
        'e.g. "Hộ ông Nguyễn Văn An, xóm 2". You declare this once; it lets you answer '
        "household decisions for your household."
    )
