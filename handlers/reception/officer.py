"""`/reception` for the chairman, the justice officer and the office: keep the reception days.

```mermaid
flowchart LR
  cmd[/reception: officer/] --> days[the last day, today, the next days:<br>booked, waiting] --> list[a day's list:<br>subjects, linked cases' timelines]
  days --> add[➕ add a day: date typed] --> days
  list --> docx[📄 Sổ tiếp công dân .docx]
  list --> walk[➕ walk-in: name; address; subject typed] --> list
  list --> cancel[❌ cancel the day] --> sure{sure?} --> moved([each booking moved to the next free day,<br>its citizen told with the options])
  list --> card[a booking] --> mark[✅ received / 🚫 no-show / 🔁 rescheduled]
  card --> outcome[📝 outcome typed] --> case[➕ add to the linked case / 📂 open a case]
```
Every press checks the officer's role on the server; names and phones are
shown to these roles only, as the citizen's consent says, and a linked case
only to those who may open it.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date
from typing import Any

from telegram import InputFile, Update

from bot.cases.model import ACTION_NAMES, Case
from bot.cases.permissions import viewing_roles
from bot.core.dates import moment_text
from bot.core.i18n import _
from bot.core.sanitize import clean_line
from bot.people.access import PermissionDenied
from bot.people.officers import Officer
from bot.reception.actions import (
    BookingCard,
    BookingMark,
    BookingOutcome,
    DayAdd,
    DayCancel,
    DayCancelSure,
    DayList,
    DayPaper,
    DayWalkIn,
    Mark,
    OutcomeCase,
    day_of,
)
from bot.reception.model import NOT_FOUND, Booking, ReceptionError, State
from bot.reception.notices import day_label, day_text
from bot.reception.service import NOT_ALLOWED, RECEPTION_ROLES
from handlers.reception import views
from handlers.telegram import router
from handlers.telegram.common import Context, TelegramApp, message_of, recipient_of, services
from handlers.telegram.keyboards import confirm_keyboard
from handlers.telegram.replies import edit, reply
from handlers.telegram.router import Answer

FLOW = "reception"
STEPS = ("outcome", "walkin", "addday")
ACTION = "reception:keep"
MARKS = {Mark.RECEIVED: State.RECEIVED, Mark.NO_SHOW: State.NO_SHOW, Mark.RESCHEDULED: State.MOVED}
TIMELINE_SHOWN = 3
_DATE = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*")


async def keeps_reception(update: Update, context: Context) -> bool:
    found = await services(context).access.officer(recipient_of(update, context))
    return services(context).reception.may_keep(found)


async def _officer(update: Update, context: Context, target: str = "") -> Officer:
    return await services(context).access.authorize(
        recipient_of(update, context), ACTION, RECEPTION_ROLES, target=target
    )


def guarded(handler: Any) -> Any:
    """Refuse a press by anyone without a reception role, and say a refusal's reason."""

    async def press(update: Update, context: Context, action: Any) -> Answer | None:
        try:
            officer = await _officer(update, context, action.pack())
            result: Answer | None = await handler(update, context, officer, action)
            return result
        except PermissionDenied:
            return Answer(_(NOT_ALLOWED), alert=True)
        except ReceptionError as exc:
            return Answer(_(exc.text), alert=True)

    return press


async def show_days(update: Update, context: Context) -> None:
    desk = services(context).reception
    text, markup = views.officer_days(await desk.views(await desk.officer_days()))
    await reply(message_of(update), text, markup)


async def _day_screen(context: Context, officer: Officer, day: date) -> tuple[str, Any]:
    desk = services(context).reception
    bookings = await desk.day_list(day)
    [view] = await desk.views([day])
    cases: dict[int, tuple[Case, list[str]]] = {}
    for b in bookings:
        if b.case_id is not None and b.case_id not in cases:
            found = await _timeline(context, officer, b.case_id)
            if found is not None:
                cases[b.case_id] = found
    return views.day_list((view, bookings), desk.slots, cases)


async def _timeline(
    context: Context, officer: Officer, case_id: int
) -> tuple[Case, list[str]] | None:
    """The linked case and its last events, for an officer who may open that kind of case."""
    svc = services(context)
    case = await svc.cases.repo.get(case_id)
    if case is None or not officer.has_any(viewing_roles(case.kind)):
        return None
    events = (await svc.cases.repo.events(case_id))[-TIMELINE_SHOWN:]
    tz = svc.settings.timezone
    lines = [
        f"• {moment_text(e.at, tz)} {_(ACTION_NAMES[e.action])}" + (f": {e.text}" if e.text else "")
        for e in events
    ]
    return case, lines


async def on_day(
    update: Update, context: Context, officer: Officer, action: DayList
) -> Answer | None:
    await edit(update, context, *await _day_screen(context, officer, day_of(action.day)))
    return None


async def on_paper(
    update: Update, context: Context, officer: Officer, action: DayPaper
) -> Answer | None:
    # Here, not at the top: python-docx loads when the book is asked for, not at start-up.
    from bot.reception.paper import register_book

    svc = services(context)
    day = day_of(action.day)
    bookings = await svc.reception.day_list(day)
    data = await asyncio.to_thread(
        register_book, svc.settings.commune_name, day, bookings, svc.reception.place
    )
    name = f"so-tiep-cong-dan-{day.isoformat()}.docx"
    await message_of(update).reply_document(InputFile(data, filename=name))
    await svc.access.done(officer, "reception:register", day.isoformat())
    return None


async def on_card(
    update: Update, context: Context, officer: Officer, action: BookingCard
) -> Answer | None:
    b = await _booking(context, action.booking_id)
    desk = services(context).reception
    await edit(
        update,
        context,
        *views.card(b, desk.slots, desk.options.per_slot, await _code(context, officer, b)),
    )
    return None


async def on_mark(
    update: Update, context: Context, officer: Officer, action: BookingMark
) -> Answer | None:
    desk = services(context).reception
    b = await desk.mark(officer, action.booking_id, MARKS[action.mark])
    await edit(update, context, *await _day_screen(context, officer, b.day))
    return Answer(_("Saved."))


async def on_outcome(
    update: Update, context: Context, officer: Officer, action: BookingOutcome
) -> Answer | None:
    b = await _booking(context, action.booking_id)
    data = {"step": "outcome", "booking": b.id}
    await services(context).conversations.put(recipient_of(update, context), FLOW, data)
    await reply(message_of(update), _("Write the outcome of the reception in one sentence."))
    return None


async def on_outcome_case(
    update: Update, context: Context, officer: Officer, action: OutcomeCase
) -> Answer | None:
    case = await services(context).reception.outcome_to_case(officer, action.booking_id, action.add)
    text = (
        _("The outcome was added to case {code}.")
        if action.add
        else _("Case {code} was opened from the outcome.")
    ).format(code=case.code)
    await edit(update, context, text)
    return None


async def on_walk_in(
    update: Update, context: Context, officer: Officer, action: DayWalkIn
) -> Answer | None:
    data = {"step": "walkin", "day": action.day}
    await services(context).conversations.put(recipient_of(update, context), FLOW, data)
    await reply(
        message_of(update),
        _(
            'Write the walk-in citizen as "name; address; subject", e.g. "Trần Thị Bình; Thôn Đồng Tâm; xin xác nhận hộ nghèo".'
        ),
    )
    return None


async def on_add_day(
    update: Update, context: Context, officer: Officer, action: DayAdd
) -> Answer | None:
    await services(context).conversations.put(
        recipient_of(update, context), FLOW, {"step": "addday"}
    )
    await reply(
        message_of(update), _("Write the date of the extra reception day, e.g. 10/03/2026.")
    )
    return None


async def on_cancel_day(
    update: Update, context: Context, officer: Officer, action: DayCancel
) -> Answer | None:
    day = day_of(action.day)
    text = _(
        "Cancel the citizen reception on {day}? Every booking moves to the next day with a free time, and each citizen is told."
    ).format(day=day_text(day))
    markup = confirm_keyboard(
        (_("❌ Yes, cancel the day"), DayCancelSure(action.day)), (_("⬅ Back"), DayList(action.day))
    )
    await edit(update, context, text, markup)
    return None


async def on_cancel_sure(
    update: Update, context: Context, officer: Officer, action: DayCancelSure
) -> Answer | None:
    day = day_of(action.day)
    moves = await services(context).reception.cancel_day(officer, day)
    kept = sum(1 for _old, new in moves if new is not None)
    text = _(
        "The reception on {day} is cancelled. Bookings moved: {moved}; with no free time left: {lost}. Everyone booked was told."
    ).format(day=day_text(day), moved=kept, lost=len(moves) - kept)
    await edit(update, context, text)
    return None


async def on_text(update: Update, context: Context, data: dict[str, Any]) -> None:
    """An awaited outcome, walk-in or extra day typed by the officer."""
    try:
        officer = await _officer(update, context)
    except PermissionDenied:
        await services(context).conversations.clear(recipient_of(update, context), FLOW)
        await reply(message_of(update), _(NOT_ALLOWED))
        return
    text = clean_line(message_of(update).text or "")
    step = data["step"]
    try:
        if step == "outcome":
            await _record_outcome(update, context, officer, int(data["booking"]), text)
        elif step == "walkin":
            await _walk_in(update, context, officer, day_of(int(data["day"])), text)
        else:
            await _extra_day(update, context, officer, text)
    except ReceptionError as exc:
        await reply(message_of(update), _(exc.text))


async def _record_outcome(
    update: Update, context: Context, officer: Officer, booking_id: int, text: str
) -> None:
    if len(text) < 3:
        await reply(message_of(update), _("Write the outcome of the reception in one sentence."))
        return
    b = await services(context).reception.record_outcome(officer, booking_id, text)
    await services(context).conversations.clear(recipient_of(update, context), FLOW)
    await reply(message_of(update), *views.outcome_step(b, await _code(context, officer, b)))


async def _walk_in(
    update: Update, context: Context, officer: Officer, day: date, text: str
) -> None:
    parts = [p.strip() for p in text.split(";")]
    if len(parts) != 3 or not all(parts):
        await reply(message_of(update), _('Please write "name; address; subject".'))
        return
    await services(context).reception.walk_in(officer, day, *parts)
    await services(context).conversations.clear(recipient_of(update, context), FLOW)
    await reply(message_of(update), *await _day_screen(context, officer, day))


async def _extra_day(update: Update, context: Context, officer: Officer, text: str) -> None:
    match = _DATE.fullmatch(text)
    try:
        day = date(int(match.group(3)), int(match.group(2)), int(match.group(1))) if match else None
    except ValueError:
        day = None
    if day is None or day < services(context).reception.today():
        await reply(
            message_of(update), _("Write the date of the extra reception day, e.g. 10/03/2026.")
        )
        return
    await services(context).reception.add_day(officer, day)
    await services(context).conversations.clear(recipient_of(update, context), FLOW)
    await reply(message_of(update), _("{day} is now a reception day.").format(day=day_label(day)))
    await show_days(update, context)


async def _booking(context: Context, booking_id: int) -> Booking:
    b = await services(context).reception.repo.get(booking_id)
    if b is None:
        raise ReceptionError(NOT_FOUND)
    return b


async def _code(context: Context, officer: Officer, b: Booking) -> str | None:
    """The linked case's code, for an officer who may open that kind of case."""
    if b.case_id is None:
        return None
    case = await services(context).cases.repo.get(b.case_id)
    return case.code if case and officer.has_any(viewing_roles(case.kind)) else None


def register(application: TelegramApp) -> None:
    router.route(application, DayList, guarded(on_day))
    router.route(application, DayPaper, guarded(on_paper))
    router.route(application, DayWalkIn, guarded(on_walk_in))
    router.route(application, DayCancel, guarded(on_cancel_day))
    router.route(application, DayCancelSure, guarded(on_cancel_sure))
    router.route(application, DayAdd, guarded(on_add_day))
    router.route(application, BookingCard, guarded(on_card))
    router.route(application, BookingMark, guarded(on_mark))
    router.route(application, BookingOutcome, guarded(on_outcome))
    router.route(application, OutcomeCase, guarded(on_outcome_case))
