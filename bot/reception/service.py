"""Reception booking: the days offered, seats taken and freed, the waiting list, reminders,
a day cancelled, and what officers record."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.cases.config import Reception, load_case_settings
from bot.cases.model import Action as CaseAction
from bot.cases.model import Case, Contact, Kind
from bot.cases.permissions import viewing_roles
from bot.cases.service import CaseService
from bot.core.clock import Clock
from bot.core.config import Settings
from bot.core.db import Transaction
from bot.core.i18n import N_, use_language
from bot.core.workdays import WorkCalendar
from bot.duties.calendar import DutyCalendar
from bot.duties.figures import RECEPTION_DUTY
from bot.duties.recurrence import occurrences
from bot.messaging.channels import Recipient
from bot.messaging.messages import OutgoingMessage
from bot.messaging.outbox import Outbox
from bot.people.officers import Officer, Role
from bot.reception import notices
from bot.reception.model import (
    NOT_A_DAY,
    NOT_FOUND,
    Booking,
    NewBooking,
    ReceptionError,
    SlotFull,
    State,
    TooManyOpen,
)
from bot.reception.repository import ReceptionRepository
from bot.reception.rules import (
    DayChange,
    ReceptionOptions,
    Slot,
    bookable,
    day_slots,
    reception_days,
    reminders_due,
)

RECEPTION_ROLES = frozenset({Role.CHAIRMAN, Role.JUSTICE, Role.OFFICE})
NOT_ALLOWED = N_("Only the chairman, the justice officer and the office keep citizen reception.")
PAST_DAY = N_("A day that has passed cannot be cancelled.")
# How far the regular days are read from the duty calendar: enough for the days offered.
_HORIZON = timedelta(days=120)


@dataclass(frozen=True)
class DayView:
    """A reception day as offered: its slots, seats taken by slot, and the waiting list."""

    day: date
    slots: list[Slot]
    taken: dict[int, int]
    per_slot: int
    waiting: int

    def free(self, slot: Slot) -> int:
        return self.per_slot - self.taken.get(slot.index, 0)

    @property
    def free_seats(self) -> int:
        return sum(max(self.free(s), 0) for s in self.slots)


class ReceptionService:
    def __init__(
        self,
        repo: ReceptionRepository,
        clock: Clock,
        settings: Settings,
        duties: DutyCalendar,
        workdays: WorkCalendar,
        outbox: Outbox,
        cases: CaseService,
    ) -> None:
        self.repo = repo
        self.clock = clock
        self.tz = settings.timezone
        self.options = ReceptionOptions.from_section(settings.section("reception"))
        self.hours: Reception = load_case_settings(settings.section("cases")).reception
        self.slots = day_slots(self.hours.start, self.hours.end, self.options.slot_minutes)
        self._duties = duties
        self._workdays = workdays
        self._outbox = outbox
        self.cases = cases

    @property
    def place(self) -> str:
        return self.hours.place

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    # The days -----------------------------------------------------------------
    def regular_days(self, first: date, last: date) -> list[date]:
        """The duty calendar's citizen-reception days, moved off weekends and holidays."""
        duty = self._duties.get(RECEPTION_DUTY)
        if duty is None:  # a calendar without it: the weekday of [cases.reception]
            day = first + timedelta(days=(self.hours.weekday - first.weekday()) % 7)
            found = []
            while day <= last:
                found.append(self._workdays.next_working_day(day))
                day += timedelta(weeks=1)
            return found
        days = []
        start = first - timedelta(days=7)  # a day moved forward from the week before
        for each in occurrences(duty.recurrence, duty.working_day, start, self.tz, self._workdays):
            day = each.due.astimezone(self.tz).date()
            if day > last:
                break
            days.append(day)
        return days

    async def upcoming(self, count: int | None = None) -> list[date]:
        """The next reception days, today's included while a slot has not begun."""
        today, now = self.today(), self.clock.now()
        days = reception_days(
            self.regular_days(today, today + _HORIZON),
            await self.repo.changes(),
            self._workdays,
            today,
            (count or self.options.days_ahead) + 1,
        )
        if days and days[0] == today and not bookable(today, self.slots, now, self.tz):
            days = days[1:]
        return days[: count or self.options.days_ahead]

    async def officer_days(self) -> list[date]:
        """The last reception day (its outcomes may still be recorded), today's, and those
        offered ahead."""
        today = self.today()
        first = today - timedelta(days=14)
        days = reception_days(
            self.regular_days(first, today + _HORIZON),
            await self.repo.changes(),
            self._workdays,
            first,
            self.options.days_ahead + 10,
        )
        past = [d for d in days if d < today][-1:]
        return past + [d for d in days if d >= today][: self.options.days_ahead]

    async def is_reception_day(self, day: date) -> bool:
        days = reception_days(
            self.regular_days(day, day), await self.repo.changes(), self._workdays, day, 1
        )
        return days == [day]

    async def views(self, days: Sequence[date]) -> list[DayView]:
        taken = await self.repo.seated(days)
        return [
            DayView(
                d,
                bookable(d, self.slots, self.clock.now(), self.tz),
                {s.index: taken.get((d, s.index), 0) for s in self.slots},
                self.options.per_slot,
                await self.repo.waiting(d),
            )
            for d in days
        ]

    async def next_free(self, after: date) -> date | None:
        """The first reception day after `after` with a free seat, among those offered."""
        days = [d for d in await self.upcoming(self.options.days_ahead * 3) if d > after]
        return next((v.day for v in await self.views(days) if v.free_seats > 0), None)

    # Citizens -----------------------------------------------------------------
    async def book(self, who: Recipient, new: NewBooking) -> Booking:
        """Take a seat (or a place on the waiting list): SlotFull, TooManyOpen."""
        await self._check_day(new)
        async with self.repo.db.transaction() as tx:
            booking_id = await self._take(tx, who, new, 0)
            booking = await self.repo.get(booking_id, tx)
        assert booking is not None
        return booking

    async def move(
        self, who: Recipient, booking_id: int, new_day: date, slot: int | None
    ) -> Booking:
        """Move an open booking to another time in one transaction; the old seat is freed
        (and given to the day's waiting list) only if the new one is taken."""
        old = await self.own(who, booking_id)
        new = NewBooking(
            new_day, slot, old.subject, old.name, old.phone, old.address, old.case_id, old.language
        )
        await self._check_day(new)
        async with self.repo.db.transaction() as tx:
            await self.repo.set_state(tx, old.id, State.MOVED, self.clock.now())
            moved_id = await self._take(tx, who, new, old.id)
            await self.repo.update(tx, old.id, self.clock.now(), moved_to=moved_id)
            queued = await self._free_seat(tx, old)
            booking = await self.repo.get(moved_id, tx)
        self._sent(queued)
        assert booking is not None
        return booking

    async def cancel(self, who: Recipient, booking_id: int) -> Booking:
        booking = await self.own(who, booking_id)
        async with self.repo.db.transaction() as tx:
            await self.repo.set_state(tx, booking.id, State.CANCELLED, self.clock.now())
            queued = await self._free_seat(tx, booking)
        self._sent(queued)
        return booking

    async def own(self, who: Recipient, booking_id: int) -> Booking:
        booking = await self.repo.get(booking_id)
        if booking is None or booking.citizen != who or not booking.state.open:
            raise ReceptionError(NOT_FOUND)
        return booking

    async def open_of(self, who: Recipient) -> list[Booking]:
        return await self.repo.open_of(who)

    async def linkable_case(self, who: Recipient, code: str) -> Case | None:
        """The citizen's own case with this code, or None."""
        case = await self.cases.repo.by_code(code.strip().upper())
        return case if case is not None and case.reporter == who else None

    async def _check_day(self, new: NewBooking) -> None:
        if not await self.is_reception_day(new.day):
            raise ReceptionError(NOT_A_DAY)
        if new.slot is not None:
            open_slots = bookable(new.day, self.slots, self.clock.now(), self.tz)
            if new.slot not in {s.index for s in open_slots}:
                raise SlotFull()

    async def _take(self, tx: Transaction, who: Recipient, new: NewBooking, replacing: int) -> int:
        booking_id = await self.repo.take_seat(
            tx,
            who,
            new,
            per_slot=self.options.per_slot,
            max_open=self.options.open_per_citizen,
            now=self.clock.now(),
            replacing=replacing,
        )
        if booking_id is not None:
            return booking_id
        held = await tx.fetchone(
            "SELECT COUNT(*) FROM reception_bookings WHERE channel = ? AND external_id = ?"
            " AND state IN ('waiting', 'booked') AND id != ?",
            (who.channel, who.external_id, replacing),
        )
        if held is not None and held[0] >= self.options.open_per_citizen:
            raise TooManyOpen()
        raise SlotFull()

    async def _free_seat(self, tx: Transaction, booking: Booking) -> int:
        """Give a freed seat to the first on the day's waiting list, who is told."""
        start = notices.starts_at(booking, self.slots, self.tz)
        if booking.slot is None or booking.seat is None or start is None:
            return 0
        if start <= self.clock.now():
            return 0
        promoted_id = await self.repo.promote(
            tx, booking.day, booking.slot, booking.seat, self.clock.now()
        )
        promoted = await self.repo.get(promoted_id, tx) if promoted_id else None
        if promoted is None or promoted.citizen is None:
            return 0
        with use_language(promoted.language):
            message = notices.promoted(promoted, self.slots, self.options.per_slot, self.place)
        return await self._queue(tx, promoted.citizen, message)

    async def _queue(self, tx: Transaction, who: Recipient, message: OutgoingMessage) -> int:
        select = "SELECT :channel AS channel, :external_id AS external_id"
        params: dict[str, object] = {"channel": who.channel, "external_id": who.external_id}
        return await self._outbox.enqueue_select(tx, select, params, message)

    def _sent(self, queued: int) -> None:
        if queued:
            self._outbox.on_enqueue()

    # Reminders ----------------------------------------------------------------
    async def send_reminders(self) -> int:
        """Queue the day-before and hour-before reminders now due; each goes once."""
        now, today = self.clock.now(), self.today()
        queued = 0
        for booking in await self.repo.booked_between(today, today + timedelta(days=2)):
            start = notices.starts_at(booking, self.slots, self.tz)
            if start is None or booking.citizen is None:
                continue
            due = reminders_due(start, now, booking.reminded_day, booking.reminded_hour)
            for which in sorted(due):
                queued += await self._remind(booking, booking.citizen, which)
        self._sent(queued)
        return queued

    async def _remind(self, booking: Booking, who: Recipient, which: str) -> int:
        with use_language(booking.language):
            message = notices.reminder(
                booking, self.slots, self.options.per_slot, self.place, which
            )
        async with self.repo.db.transaction() as tx:
            flag = "reminded_hour" if which == "hour" else "reminded_day"
            # Conditional: a reminder queued by a run before a crash is not queued twice.
            await tx.execute(
                f"UPDATE reception_bookings SET {flag} = 1 WHERE id = ? AND {flag} = 0"
                " AND state = 'booked'",
                (booking.id,),
            )
            row = await tx.fetchone("SELECT changes()")
            if row is None or row[0] == 0:
                return 0
            return await self._queue(tx, who, message)

    # Officers -----------------------------------------------------------------
    def may_keep(self, officer: Officer | None) -> bool:
        return officer is not None and officer.active and officer.has_any(RECEPTION_ROLES)

    async def day_list(self, day: date) -> list[Booking]:
        return await self.repo.of_day(day)

    async def add_day(self, officer: Officer, day: date) -> None:
        if not self._workdays.is_working_day(day):
            raise ReceptionError(NOT_A_DAY)
        async with self.repo.db.transaction() as tx:
            await self.repo.change_day(tx, day, DayChange.EXTRA, officer.id, self.clock.now())

    async def cancel_day(self, officer: Officer, day: date) -> list[tuple[Booking, Booking | None]]:
        """Cancel a reception day: each open booking moves to the next day with a free seat
        (or is cancelled when none is), and its citizen is told with the options."""
        now = self.clock.now()
        if day < self.today():
            raise ReceptionError(PAST_DAY)
        async with self.repo.db.transaction() as tx:
            await self.repo.change_day(tx, day, DayChange.CANCELLED, officer.id, now)
        later = [d for d in await self.upcoming(self.options.days_ahead * 3) if d > day]
        moves: list[tuple[Booking, Booking | None]] = []
        for booking in await self.repo.of_day(day):
            if booking.state.open and booking.citizen is not None:
                moves.append((booking, await self._move_away(booking, booking.citizen, later)))
        return moves

    async def _move_away(self, old: Booking, who: Recipient, days: list[date]) -> Booking | None:
        queued = 0
        async with self.repo.db.transaction() as tx:
            await self.repo.set_state(tx, old.id, State.MOVED, self.clock.now())
            moved = await self._seat_on_any(tx, who, old, days)
            if moved is None:
                await self.repo.set_state(tx, old.id, State.CANCELLED, self.clock.now())
            else:
                await self.repo.update(tx, old.id, self.clock.now(), moved_to=moved.id)
            with use_language(old.language):
                message = notices.day_cancelled(
                    old.day, moved, self.slots, self.options.per_slot, self.place
                )
            queued = await self._queue(tx, who, message)
        self._sent(queued)
        return moved

    async def _seat_on_any(
        self, tx: Transaction, who: Recipient, old: Booking, days: list[date]
    ) -> Booking | None:
        """The first free seat on the later days, the booking's own slot tried first."""
        for day in days:
            order = sorted(self.slots, key=lambda s: (s.index != old.slot, s.index))
            for slot in order:
                new = NewBooking(
                    day,
                    slot.index,
                    old.subject,
                    old.name,
                    old.phone,
                    old.address,
                    old.case_id,
                    old.language,
                )
                try:
                    booking_id = await self._take(tx, who, new, old.id)
                except ReceptionError:
                    continue
                return await self.repo.get(booking_id, tx)
        return None

    async def mark(self, officer: Officer, booking_id: int, state: State) -> Booking:
        """Received, no-show, or rescheduled (the citizen is asked to choose again)."""
        booking = await self.repo.get(booking_id)
        if booking is None or booking.state not in (State.BOOKED, State.RECEIVED, State.NO_SHOW):
            raise ReceptionError(NOT_FOUND)
        queued = 0
        async with self.repo.db.transaction() as tx:
            await self.repo.set_state(
                tx, booking.id, state, self.clock.now(), officer_id=officer.id
            )
            if state is State.MOVED and booking.citizen is not None:
                with use_language(booking.language):
                    queued = await self._queue(tx, booking.citizen, notices.rescheduled(booking))
        self._sent(queued)
        updated = await self.repo.get(booking.id)
        assert updated is not None
        return updated

    async def record_outcome(self, officer: Officer, booking_id: int, text: str) -> Booking:
        booking = await self.repo.get(booking_id)
        if booking is None or booking.state in (State.CANCELLED, State.MOVED):
            raise ReceptionError(NOT_FOUND)
        async with self.repo.db.transaction() as tx:
            fields: dict[str, object] = {"outcome": text, "officer_id": officer.id}
            if booking.state in (State.BOOKED, State.WAITING) and not booking.walk_in:
                await self.repo.set_state(
                    tx, booking.id, State.RECEIVED, self.clock.now(), **fields
                )
            else:
                await self.repo.update(tx, booking.id, self.clock.now(), **fields)
        updated = await self.repo.get(booking.id)
        assert updated is not None
        return updated

    async def outcome_to_case(self, officer: Officer, booking_id: int, add: bool) -> Case:
        """Open a petition case from the outcome, or add the outcome to the linked case."""
        booking = await self.repo.get(booking_id)
        if booking is None or not booking.outcome:
            raise ReceptionError(NOT_FOUND)
        text = f"{notices.day_label(booking.day)}: {booking.outcome}"
        if add:
            linked = await self.cases.repo.get(booking.case_id) if booking.case_id else None
            # A complaint's or denunciation's log is the justice officer's and the chairman's.
            if linked is None or not officer.has_any(viewing_roles(linked.kind)):
                raise ReceptionError(NOT_FOUND)
            async with self.repo.db.transaction() as tx:
                await self.cases.repo.append(
                    tx, linked.id, self.clock.now(), CaseAction.COMMENTED, officer.id, text
                )
            return linked
        if booking.citizen is None or booking.outcome_case_id is not None:
            raise ReceptionError(NOT_FOUND)
        contact = Contact(booking.name, booking.phone) if booking.name and booking.phone else None
        case = await self.cases.submit_question(
            booking.citizen,
            f"{booking.subject}\n{text}",
            language=booking.language,
            kind=Kind.PETITION,
            contact=contact,
        )
        async with self.repo.db.transaction() as tx:
            await self.repo.update(tx, booking.id, self.clock.now(), outcome_case_id=case.id)
        return case

    async def walk_in(
        self, officer: Officer, day: date, name: str, address: str, subject: str
    ) -> Booking:
        booking_id = await self.repo.add_walk_in(
            officer.id, day, name, address, subject, self.clock.now()
        )
        booking = await self.repo.get(booking_id)
        assert booking is not None
        return booking
