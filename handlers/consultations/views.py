"""Pure builders of the consultation screens: texts and keyboards, no sending."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.consultations import notices
from bot.consultations.actions import (
    ConsultPick,
    ConsultReminders,
    ConsultShow,
    ConsultSign,
    ConsultStep,
    ConsultWrite,
    DeclareHousehold,
)
from bot.consultations.model import Consultation, Household, QuestionType
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


Answers = dict[int, tuple[int, str | None]]  # question -> (stored value, comment)


def question_screen(consultation: Consultation, index: int, answers: Answers) -> Screen:
    """One question to answer: its options (the chosen marked), and the way on.

    Past the last question: the answers given, and a button to change them.
    """
    if index >= len(consultation.questions):
        return done_screen(consultation, answers)
    asked, cid = consultation.questions[index], consultation.id
    value, comment = answers.get(index, (None, None))
    lines = [
        f"🗳 <b>{escape(consultation.title)}</b>",
        _("Question {n} of {total}:").format(n=index + 1, total=len(consultation.questions)),
        f"❓ {escape(asked.text)}",
    ]
    chosen = () if value is None else asked.chosen(value)
    rows = []
    if asked.type is QuestionType.COMMENT:
        if comment:
            lines += ["", _("Your answer: {text}").format(text=escape(comment))]
        rows.append([button(_("✍ Write my answer"), ConsultWrite(cid, index))])
    else:
        if asked.type is QuestionType.MULTIPLE:
            lines.append(_("Choose all that apply, then choose Next."))
        for option, label in enumerate(asked.options):
            mark = (
                ("☑ " if option in chosen else "☐ ")
                if asked.type is QuestionType.MULTIPLE
                else ("✅ " if option in chosen else "")
            )
            rows.append([button(f"{mark}{label}"[:60], ConsultPick(cid, index, option))])
        rows.append([button(_("💬 Add a comment"), ConsultWrite(cid, index))])
    last = index + 1 == len(consultation.questions)
    onward = _("Finish ▶") if last else _("Next ▶")
    rows.append([button(onward, ConsultStep(cid, index + 1))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def done_screen(consultation: Consultation, answers: Answers) -> Screen:
    """The citizen's answers to every question; they may change them until closing."""
    lines = [f"🗳 <b>{escape(consultation.title)}</b>", _("Your answers:")]
    for index, asked in enumerate(consultation.questions):
        value, comment = answers.get(index, (None, None))
        given = "—" if value is None else asked.describe(value, comment)
        lines.append(f"{index + 1}. {escape(asked.text)}: <b>{escape(given)}</b>")
    lines += ["", _("Thank you. You can change your answers until closing.")]
    rows = [[button(_("✏️ Change my answers"), ConsultStep(consultation.id, 0))]]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def comment_stored(consultation: Consultation, question: int) -> Screen:
    """After a comment: sign it or not, and go on to the next question."""
    cid = consultation.id
    rows = [
        [button(_("✍ Sign it with my name"), ConsultSign(cid, question, True))],
        [button(_("🙈 Keep it without my name"), ConsultSign(cid, question, False))],
    ]
    if consultation.stepwise:
        rows.append([button(_("Next ▶"), ConsultStep(cid, question + 1))])
    text = _(
        "Thank you, your comment was stored. It is shown without your name unless you sign it."
    )
    return text, InlineKeyboardMarkup(rows)


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
