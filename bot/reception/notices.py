"""What reception booking tells citizens: the booking, reminders, a seat freed, a day cancelled."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from markupsafe import Markup

from bot.core.dates import capitalized, long_date
from bot.core.i18n import _
from bot.messaging.messages import Button, OutgoingMessage
from bot.reception.actions import BookingCancel, BookingMove, BookStart
from bot.reception.model import Booking
from bot.reception.rules import Slot, queue_number


def day_text(day: date) -> str:
    """A day within a sentence: "thứ Năm 05/03/2026"."""
    return long_date(day)


def day_label(day: date) -> str:
    """A day opening a label or a sentence: "Thứ Năm 05/03/2026"."""
    return capitalized(long_date(day))


def slot_text(slot: Slot) -> str:
    return f"{slot.start:%H:%M}–{slot.end:%H:%M}"


def when(booking: Booking, slots: list[Slot]) -> str:
    """The day and time of a booking; the waiting list has a day only."""
    if booking.slot is None or booking.slot >= len(slots):
        return day_text(booking.day)
    return _("{day}, {time}").format(day=day_text(booking.day), time=slot_text(slots[booking.slot]))


def booking_lines(booking: Booking, slots: list[Slot], per_slot: int, place: str) -> Markup:
    """The booking's code, time, queue number and place, escaped where typed."""
    lines = [
        _("Booking code: <b>{code}</b>").format(code=booking.code),
        _("Time: {when}").format(when=when(booking, slots)),
    ]
    if booking.slot is not None and booking.seat is not None:
        number = queue_number(booking.slot, booking.seat, per_slot)
        lines.append(_("Queue number: <b>{number}</b>").format(number=number))
    else:
        lines.append(_("You are on the waiting list for this day."))
    lines.append(_("Where: {place}").format(place=Markup.escape(place)))
    lines.append(_("Subject: {subject}").format(subject=Markup.escape(booking.subject)))
    return Markup("\n".join(lines))


def own_buttons(booking: Booking) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(_("🔁 Move"), BookingMove(booking.id)),
            Button(_("❌ Cancel the booking"), BookingCancel(booking.id)),
        ),
    )


def reminder(
    booking: Booking, slots: list[Slot], per_slot: int, place: str, which: str
) -> OutgoingMessage:
    lead = (
        _("⏰ Reminder: your citizen reception is in one hour.")
        if which == "hour"
        else _("⏰ Reminder: your citizen reception is tomorrow.")
    )
    text = Markup(lead) + Markup("\n\n") + booking_lines(booking, slots, per_slot, place)
    text += Markup("\n\n") + _("Please bring your identity card and any papers about the matter.")
    return OutgoingMessage(text, buttons=own_buttons(booking))


def promoted(booking: Booking, slots: list[Slot], per_slot: int, place: str) -> OutgoingMessage:
    lead = _("✅ A time freed up and it is yours: you are off the waiting list.")
    text = Markup(lead) + Markup("\n\n") + booking_lines(booking, slots, per_slot, place)
    return OutgoingMessage(text, buttons=own_buttons(booking))


def day_cancelled(
    old_day: date, booking: Booking | None, slots: list[Slot], per_slot: int, place: str
) -> OutgoingMessage:
    """The day was cancelled: where the booking went, or that none was free."""
    lead = _("The citizen reception on {day} was cancelled by the commune.").format(
        day=day_text(old_day)
    )
    if booking is None:
        text = Markup(lead + "\n\n" + _("No other day had a free time: please choose one again."))
        return OutgoingMessage(text, buttons=((Button(_("📅 Choose a new time"), BookStart(0)),),))
    moved = _("Your booking moved to the next reception day with a free time:")
    text = Markup(lead + "\n" + moved + "\n\n") + booking_lines(booking, slots, per_slot, place)
    text += Markup("\n\n") + _("If this time does not suit you, move or cancel it below.")
    return OutgoingMessage(text, buttons=own_buttons(booking))


def rescheduled(booking: Booking) -> OutgoingMessage:
    text = _(
        "The commune asks you to choose another time for your citizen reception ({code})."
    ).format(code=booking.code)
    return OutgoingMessage(text, buttons=((Button(_("📅 Choose a new time"), BookStart(0)),),))


def starts_at(booking: Booking, slots: list[Slot], tz: tzinfo) -> datetime | None:
    if booking.slot is None or booking.slot >= len(slots):
        return None
    return datetime.combine(booking.day, slots[booking.slot].start, tz)
