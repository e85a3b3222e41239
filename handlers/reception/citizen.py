"""`/reception` for citizens: book a citizen-reception time, see it, move or cancel it.

```mermaid
stateDiagram-v2
    [*] --> mine: /reception, menu, or 📅 from a complaint's guidance
    mine --> [*]: an open booking: shown with 🔁 Move and ❌ Cancel
    [*] --> day: no open booking
    day --> slot: a day with free times
    day --> full: a full day
    full --> slot: the next free day
    full --> subject: ⏳ waiting list
    slot --> subject: a free time
    subject --> case: one sentence
    subject --> consent: from a case's guidance, that case is linked already
    case --> consent: a valid code of one's own case, or "No case"
    consent --> contact: I agree
    contact --> review: shared or typed name and phone
    review --> [*]: Confirm (a seat taken by the database: code and queue number)
    review --> slot: that time just filled up
    mine --> day: 🔁 Move
    day --> [*]: moving: the new time taken, the old one freed in one transaction
```
A cancelled or moved seat goes to the first on that day's waiting list, who is
told through the outbox; reminders come the day before and one hour before
(`scheduler/reception.py`). ✖ Cancel or /cancel leaves at every step; the
form is kept in the conversation store, so a restart loses nothing.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.cases.contacts import parse_contact, shared_contact
from bot.cases.model import Contact
from bot.core.i18n import N_, _, current_language
from bot.core.sanitize import clean_line
from bot.reception import notices
from bot.reception.actions import (
    BookConfirm,
    BookConsent,
    BookDay,
    BookingCancel,
    BookingMove,
    BookNoCase,
    BookQuit,
    BookSlot,
    BookStart,
    BookWait,
    day_of,
)
from bot.reception.model import Booking, NewBooking, ReceptionError, SlotFull
from handlers.cases.views import contact_step
from handlers.reception import officer, views
from handlers.telegram import commands, menu, router
from handlers.telegram.common import (
    Context,
    TelegramApp,
    message_of,
    recipient_of,
    services,
    user_of,
)
from handlers.telegram.conversation import InFlow
from handlers.telegram.durable import DurableReplies
from handlers.telegram.replies import drop_buttons, edit, reply
from handlers.telegram.router import Answer

log = logging.getLogger(__name__)
FLOW = "reception"
MAX_SUBJECT = 500


async def _data(update: Update, context: Context) -> dict[str, Any]:
    return await services(context).conversations.get(recipient_of(update, context), FLOW) or {}


async def _save(update: Update, context: Context, data: dict[str, Any]) -> None:
    await services(context).conversations.put(recipient_of(update, context), FLOW, data)


async def show_start(update: Update, context: Context) -> None:
    """/reception: officers get their days; a citizen their booking, or the days to choose."""
    if await officer.keeps_reception(update, context):
        await officer.show_days(update, context)
        return
    text, markup = await _start(update, context, 0)
    await reply(message_of(update), text, markup)


async def on_start(update: Update, context: Context, action: BookStart) -> Answer | None:
    text, markup = await _start(update, context, action.case_id)
    await reply(message_of(update), text, markup)
    return None


async def _start(update: Update, context: Context, case_id: int) -> tuple[str, Any]:
    svc = services(context)
    desk, who = svc.reception, recipient_of(update, context)
    mine = await desk.open_of(who)
    if len(mine) >= desk.options.open_per_citizen:  # their share is used: show it
        return views.booked(mine[0], desk.slots, desk.options.per_slot, desk.place)
    case = await svc.cases.repo.get(case_id) if case_id else None
    linked = case.id if case is not None and case.reporter == who else None  # only one's own
    await _save(update, context, {"step": "day", "case_id": linked})
    return views.days_step(await desk.views(await desk.upcoming()))


async def on_day(update: Update, context: Context, action: BookDay) -> Answer | None:
    """A day chosen: its free times, or (full) the next free day and the waiting list."""
    desk = services(context).reception
    data = await _data(update, context)
    if data.get("step") not in ("day", "slot"):
        return Answer(_(router.NO_LONGER_VALID), alert=True)
    day = day_of(action.day)
    if not await desk.is_reception_day(day):
        return Answer(_("That day is not a reception day."), alert=True)
    [view] = await desk.views([day])
    if view.free_seats:
        await _save(update, context, {**data, "step": "slot"})
        await edit(update, context, *views.slots_step(view))
        return None
    after = await desk.next_free(day)
    next_view = (await desk.views([after]))[0] if after else None
    await edit(update, context, *views.full_step(view, next_view))
    return None


async def on_slot(update: Update, context: Context, action: BookSlot) -> Answer | None:
    return await _chosen(update, context, day_of(action.day), action.slot)


async def on_wait(update: Update, context: Context, action: BookWait) -> Answer | None:
    return await _chosen(update, context, day_of(action.day), None)


async def _chosen(update: Update, context: Context, day: date, slot: int | None) -> Answer | None:
    """A time (or the waiting list) chosen: a move is done at once, a new booking goes on."""
    svc = services(context)
    data = await _data(update, context)
    if data.get("step") not in ("day", "slot"):
        return Answer(_(router.NO_LONGER_VALID), alert=True)
    if data.get("moving"):
        try:
            booking = await svc.reception.move(
                recipient_of(update, context), int(data["moving"]), day, slot
            )
        except ReceptionError as exc:
            return Answer(_(exc.text), alert=True)
        await svc.conversations.clear(recipient_of(update, context), FLOW)
        await _tell_booked(update, context, booking)
        return None
    await _save(update, context, {**data, "step": "subject", "day": day.isoformat(), "slot": slot})
    await edit(update, context, views.subject_prompt())
    return None


async def on_text(update: Update, context: Context) -> None:
    """The typed steps: the subject, a case code, the name and phone; officers' own steps."""
    data = await _data(update, context)
    step = data.get("step")
    if step in officer.STEPS:
        await officer.on_text(update, context, data)
    elif step == "subject":
        await _subject(update, context, data)
    elif step == "case":
        await _case_code(update, context, data)
    elif step == "contact":
        await _contact(update, context, data)
    else:
        await reply(message_of(update), _("Please choose one of the options above."))


async def _subject(update: Update, context: Context, data: dict[str, Any]) -> None:
    text = clean_line(message_of(update).text or "")
    if len(text) < 5 or len(text) > MAX_SUBJECT:
        await reply(
            message_of(update), _("Please write the subject in one sentence (5 to 500 characters).")
        )
        return
    data = {**data, "subject": text}
    if data.get("case_id"):  # from a case's guidance: already linked
        case = await services(context).cases.repo.get(int(data["case_id"]))
        data["case_code"] = case.code if case else None
        await _ask_consent(update, context, data)
        return
    await _save(update, context, {**data, "step": "case"})
    await reply(message_of(update), *views.case_step())


async def _case_code(update: Update, context: Context, data: dict[str, Any]) -> None:
    code = clean_line(message_of(update).text or "")
    case = await services(context).reception.linkable_case(recipient_of(update, context), code)
    if case is None:
        lead = _("I could not find a case of yours with the code {code}.").format(code=code)
        text, markup = views.case_step()
        await reply(message_of(update), f"{lead}\n{text}", markup)
        return
    await _ask_consent(update, context, {**data, "case_id": case.id, "case_code": case.code})


async def on_no_case(update: Update, context: Context, action: BookNoCase) -> Answer | None:
    data = await _data(update, context)
    if data.get("step") != "case":
        return Answer(_(router.NO_LONGER_VALID), alert=True)
    await _ask_consent(update, context, {**data, "case_id": None})
    return None


async def _ask_consent(update: Update, context: Context, data: dict[str, Any]) -> None:
    await _save(update, context, {**data, "step": "consent"})
    await reply(message_of(update), *views.consent_step())


async def on_consent(update: Update, context: Context, action: BookConsent) -> Answer | None:
    data = await _data(update, context)
    if data.get("step") != "consent":
        return Answer(_(router.NO_LONGER_VALID), alert=True)
    await _save(update, context, {**data, "step": "contact"})
    await edit(update, context, _("Thank you."))
    await reply(message_of(update), *contact_step())
    return None


async def _contact(update: Update, context: Context, data: dict[str, Any]) -> None:
    message = message_of(update)
    contact: Contact | None = None
    if message.contact is not None and message.contact.user_id == user_of(update).id:
        c = message.contact
        contact = shared_contact(c.first_name, c.last_name, c.phone_number)
    elif message.text:
        contact = parse_contact(message.text)
    if contact is None:
        text, markup = contact_step()
        lead = _("I could not read a name and a Vietnamese phone number.")
        await reply(message, f"{lead}\n{text}", markup)
        return
    data = {**data, "step": "review", "name": contact.name, "phone": contact.phone}
    await _save(update, context, data)
    await reply(message, _("Thank you."), menu.keyboard())
    await reply(message, *views.review_step(data, _when(context, data)))


def _when(context: Context, data: dict[str, Any]) -> str:
    desk = services(context).reception
    day, slot = date.fromisoformat(data["day"]), data.get("slot")
    if slot is None or slot >= len(desk.slots):
        return _("{day}, on the waiting list").format(day=notices.day_text(day))
    return _("{day}, {time}").format(
        day=notices.day_text(day), time=notices.slot_text(desk.slots[slot])
    )


async def on_confirm(update: Update, context: Context, action: BookConfirm) -> Answer | None:
    """Take the seat: the database decides; a full time sends the citizen back to the times."""
    svc = services(context)
    who, desk = recipient_of(update, context), svc.reception
    data = await _data(update, context)
    if data.get("step") != "review":
        return Answer(_(router.NO_LONGER_VALID), alert=True)
    day = date.fromisoformat(data["day"])
    new = NewBooking(
        day,
        data.get("slot"),
        data["subject"],
        data["name"],
        data["phone"],
        await _address(update, context),
        data.get("case_id"),
        current_language(),
    )
    try:
        booking = await desk.book(who, new)
    except SlotFull as exc:
        await _save(update, context, {**data, "step": "slot"})
        [view] = await desk.views([day])
        text, markup = views.slots_step(view) if view.free_seats else views.full_step(view, None)
        await edit(update, context, f"{_(exc.text)}\n\n{text}", markup)
        return Answer(_(exc.text), alert=True)
    except ReceptionError as exc:
        await svc.conversations.clear(who, FLOW)
        await edit(update, context, _(exc.text))
        return None
    await svc.conversations.clear(who, FLOW)
    await _tell_booked(update, context, booking)
    return None


async def _tell_booked(update: Update, context: Context, booking: Booking) -> None:
    """The code and queue number reach the citizen once the seat is theirs: a reply that
    fails goes through the outbox (the form's buttons are only taken off)."""
    desk = services(context).reception
    try:
        await drop_buttons(update, context)
    except TelegramError as exc:
        log.warning("booking %d: could not take the form's buttons off: %s", booking.id, exc)
    text, markup = views.booked(booking, desk.slots, desk.options.per_slot, desk.place)
    await DurableReplies(update, context).send(text, markup)


async def _address(update: Update, context: Context) -> str:
    """The citizen's village as the address the Sổ tiếp công dân asks for."""
    svc = services(context)
    citizen = await svc.citizens.get(recipient_of(update, context))
    village = svc.settings.village(citizen.village_id) if citizen else None
    return village.name if village else ""


async def on_cancel_booking(
    update: Update, context: Context, action: BookingCancel
) -> Answer | None:
    desk = services(context).reception
    try:
        booking = await desk.cancel(recipient_of(update, context), action.booking_id)
    except ReceptionError as exc:
        return Answer(_(exc.text), alert=True)
    await edit(update, context, _("Your booking {code} is cancelled.").format(code=booking.code))
    return None


async def on_move(update: Update, context: Context, action: BookingMove) -> Answer | None:
    desk = services(context).reception
    try:
        booking = await desk.own(recipient_of(update, context), action.booking_id)
    except ReceptionError as exc:
        return Answer(_(exc.text), alert=True)
    await _save(update, context, {"step": "day", "moving": booking.id})
    await reply(message_of(update), *views.days_step(await desk.views(await desk.upcoming())))
    return None


async def on_quit(update: Update, context: Context, action: BookQuit) -> Answer | None:
    await services(context).conversations.clear(recipient_of(update, context), FLOW)
    await edit(update, context, _("Cancelled. Nothing was booked."))
    return None


def register(application: TelegramApp) -> None:
    commands.declare("reception", N_("Book a citizen reception time"), order=47)
    menu.add(menu.MenuItem("reception", N_("📅 Book a reception"), show_start, order=47))
    private = filters.ChatType.PRIVATE
    pending = InFlow(application, FLOW)
    application.add_handler(CommandHandler("reception", show_start, private))
    application.add_handler(
        MessageHandler(
            private & ((filters.TEXT & ~filters.COMMAND) | filters.CONTACT) & pending, on_text
        )
    )
    router.route(application, BookStart, on_start)
    router.route(application, BookDay, on_day)
    router.route(application, BookSlot, on_slot)
    router.route(application, BookWait, on_wait)
    router.route(application, BookNoCase, on_no_case)
    router.route(application, BookConsent, on_consent)
    router.route(application, BookConfirm, on_confirm)
    router.route(application, BookQuit, on_quit)
    router.route(application, BookingCancel, on_cancel_booking)
    router.route(application, BookingMove, on_move)
    officer.register(application)
