"""The reception screens: days and times to choose, the booking, an officer's day list."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.cases.model import Case
from bot.cases.notices import kind_name, status_name
from bot.core.i18n import _
from bot.reception.actions import (
    BookConfirm,
    BookConsent,
    BookDay,
    BookingCard,
    BookingMark,
    BookingOutcome,
    BookNoCase,
    BookQuit,
    BookSlot,
    BookWait,
    DayAdd,
    DayCancel,
    DayList,
    DayPaper,
    DayWalkIn,
    Mark,
    OutcomeCase,
    day_number,
)
from bot.reception.model import Booking, State
from bot.reception.notices import booking_lines, day_label, day_text, own_buttons, slot_text
from bot.reception.rules import Slot, queue_number
from bot.reception.service import DayView
from handlers.telegram.channel import inline_markup
from handlers.telegram.keyboards import button

Step = tuple[str, InlineKeyboardMarkup]
STATE_NAMES = {
    State.WAITING: "⏳",
    State.BOOKED: "🕒",
    State.RECEIVED: "✅",
    State.NO_SHOW: "🚫",
    State.MOVED: "🔁",
    State.CANCELLED: "✖",
}


def quit_button() -> InlineKeyboardButton:
    return button(_("✖ Cancel"), BookQuit())


def days_step(views: Sequence[DayView]) -> Step:
    if not views:
        return _("No reception day is open for booking at the moment."), InlineKeyboardMarkup(
            [[quit_button()]]
        )
    rows = []
    for view in views:
        free = view.free_seats
        label = (
            _("{day} · {free} free").format(day=day_label(view.day), free=free)
            if free
            else _("{day} · full").format(day=day_label(view.day))
        )
        rows.append([button(label, BookDay(day_number(view.day)))])
    rows.append([quit_button()])
    return _("📅 Choose a day for your citizen reception:"), InlineKeyboardMarkup(rows)


def slots_step(view: DayView) -> Step:
    rows = [
        [
            button(
                _("{time} · {free} free").format(time=slot_text(s), free=view.free(s)),
                BookSlot(day_number(view.day), s.index),
            )
        ]
        for s in view.slots
        if view.free(s) > 0
    ]
    rows.append([quit_button()])
    text = _("{day}: choose a time.").format(day=day_label(view.day))
    return text, InlineKeyboardMarkup(rows)


def full_step(view: DayView, next_free: DayView | None) -> Step:
    """A full day: the next day with a free time, or the day's waiting list."""
    lines = [_("{day} is full.").format(day=day_label(view.day))]
    rows = []
    if next_free is not None:
        lines.append(
            _("The next day with a free time is {day}.").format(day=day_text(next_free.day))
        )
        rows.append([button(day_label(next_free.day), BookDay(day_number(next_free.day)))])
    lines.append(
        _(
            "Or join the waiting list for {day}: if a time frees up, it is yours and you are told."
        ).format(day=day_text(view.day))
    )
    rows.append([button(_("⏳ Join the waiting list"), BookWait(day_number(view.day)))])
    rows.append([quit_button()])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def subject_prompt() -> str:
    return _("In one sentence, what would you like to raise with the commune?")


def case_step() -> Step:
    text = _(
        "If this is about a case you already sent, type its code (for example PA-7KX45). "
        "Otherwise choose No case."
    )
    return text, InlineKeyboardMarkup([[button(_("No case"), BookNoCase())], [quit_button()]])


def consent_step() -> Step:
    text = _(
        "To receive you, the commune needs your name and phone number. They are used only "
        "for this reception, are seen only by the officers who receive citizens (the chairman, "
        "the justice officer and the office), and are never published. You can see or erase "
        "them at any time with /mydata."
    )
    return text, InlineKeyboardMarkup([[button(_("✅ I agree"), BookConsent())], [quit_button()]])


def review_step(data: dict[str, object], when: str) -> Step:
    lines = [
        _("Please check your booking:"),
        _("Time: {when}").format(when=when),
        _("Subject: {subject}").format(subject=data.get("subject", "")),
        _("Name: {name}").format(name=data.get("name", "")),
        _("Phone: {phone}").format(phone=data.get("phone", "")),
    ]
    if data.get("case_code"):
        lines.append(_("Case: {code}").format(code=data["case_code"]))
    markup = InlineKeyboardMarkup(
        [[button(_("✅ Confirm the booking"), BookConfirm())], [quit_button()]]
    )
    return "\n".join(lines), markup


def booked(
    booking: Booking, slots: list[Slot], per_slot: int, place: str
) -> tuple[Markup, InlineKeyboardMarkup | None]:
    if booking.state is State.WAITING:
        lead = _(
            "⏳ You are on the waiting list. If a time frees up, it is yours and you are told."
        )
    else:
        lead = _(
            "✅ Booked. We will remind you the day before and one hour before. "
            "Please bring your identity card."
        )
    text = Markup(lead) + Markup("\n\n") + booking_lines(booking, slots, per_slot, place)
    return text, inline_markup(own_buttons(booking))


# Officers ---------------------------------------------------------------------
def officer_days(views: Sequence[DayView]) -> Step:
    rows = [
        [
            button(
                _("{day} · {booked} booked, {waiting} waiting").format(
                    day=day_label(v.day), booked=sum(v.taken.values()), waiting=v.waiting
                ),
                DayList(day_number(v.day)),
            )
        ]
        for v in views
    ]
    rows.append([button(_("➕ Add a reception day"), DayAdd())])
    return _("🏛 Citizen reception days:"), InlineKeyboardMarkup(rows)


def day_list(
    day_views: tuple[DayView, list[Booking]],
    slots: list[Slot],
    cases: dict[int, tuple[Case, list[str]]],
) -> Step:
    """The day's bookings in queue order, with subjects and the linked cases' timelines."""
    view, bookings = day_views
    lines = [_("🏛 Citizen reception, {day}").format(day=day_text(view.day))]
    rows: list[list[InlineKeyboardButton]] = []
    if not bookings:
        lines.append(_("No one has booked yet."))
    for b in bookings:
        lines.append("")
        lines.append(_entry(b, slots, view.per_slot))
        if b.case_id is not None and b.case_id in cases:
            case, timeline = cases[b.case_id]
            lines.append(
                _("   Case {code} ({kind}, {status}):").format(
                    code=case.code, kind=kind_name(case.kind), status=status_name(case.status)
                )
            )
            lines += [f"   {event}" for event in timeline]
        if b.state is not State.WAITING:
            rows.append([button(f"{_number(b, view.per_slot)} {b.name or '—'}", BookingCard(b.id))])
    number = day_number(view.day)
    rows.append(
        [
            button(_("📄 Sổ tiếp công dân (.docx)"), DayPaper(number)),
            button(_("➕ Walk-in"), DayWalkIn(number)),
        ]
    )
    rows.append([button(_("❌ Cancel this day"), DayCancel(number))])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def _number(b: Booking, per_slot: int) -> str:
    if b.walk_in:
        return _("walk-in")
    if b.slot is None or b.seat is None:
        return _("waiting")
    return f"№{queue_number(b.slot, b.seat, per_slot)}"


def _entry(b: Booking, slots: list[Slot], per_slot: int) -> str:
    time = slot_text(slots[b.slot]) if b.slot is not None and b.slot < len(slots) else ""
    head = " ".join(p for p in (STATE_NAMES[b.state], _number(b, per_slot), time) if p)
    who = ", ".join(p for p in (b.name or "—", b.phone or "", b.address) if p)
    text = f"{head} · {who}\n   {_('Subject: {subject}').format(subject=b.subject)}"
    if b.outcome:
        text += "\n   " + _("Outcome: {outcome}").format(outcome=b.outcome)
    return text


def card(b: Booking, slots: list[Slot], per_slot: int, case_code: str | None) -> Step:
    lines = [_entry(b, slots, per_slot)]
    if case_code:
        lines.append(_("   Case: {code}").format(code=case_code))
    rows = [
        [
            button(_("✅ Received"), BookingMark(b.id, Mark.RECEIVED)),
            button(_("🚫 No-show"), BookingMark(b.id, Mark.NO_SHOW)),
        ],
        [
            button(_("🔁 Rescheduled"), BookingMark(b.id, Mark.RESCHEDULED)),
            button(_("📝 Outcome"), BookingOutcome(b.id)),
        ],
        [button(_("⬅ The day's list"), DayList(day_number(b.day)))],
    ]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def outcome_step(b: Booking, case_code: str | None) -> Step:
    text = _("Outcome recorded for {name}: {outcome}").format(name=b.name or "—", outcome=b.outcome)
    rows = []
    if case_code:
        rows.append(
            [button(_("➕ Add to case {code}").format(code=case_code), OutcomeCase(b.id, True))]
        )
    if b.citizen is not None and b.outcome_case_id is None:
        rows.append([button(_("📂 Open a case from it"), OutcomeCase(b.id, False))])
    rows.append([button(_("⬅ The day's list"), DayList(day_number(b.day)))])
    return text, InlineKeyboardMarkup(rows)
