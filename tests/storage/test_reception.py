"""Reception booking on a real database: capacity held by the database under a rush,
the waiting list, one open booking per citizen, moves that free their seat."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from bot.cases.model import Contact, Kind
from bot.core.clock import ManualClock
from bot.core.config import Settings
from bot.core.db import Database
from bot.messaging.channels import Recipient
from bot.messaging.outbox import Outbox
from bot.people.officers import Role
from bot.reception.model import NewBooking, ReceptionError, SlotFull, State, TooManyOpen
from bot.reception.repository import ReceptionRepository
from bot.reception.service import ReceptionService
from bot.services import Services

THURSDAY = date(2026, 3, 5)  # the duty calendar's reception day, the clock's week


def citizen(n: int) -> Recipient:
    return Recipient.telegram(5000 + n)


def wish(slot: int | None, subject: str = "Đất đai") -> NewBooking:
    return NewBooking(THURSDAY, slot, subject, "Nguyễn Văn An", "0912345678")


@pytest.fixture
def five_seats(settings: Settings) -> Settings:
    sections = {**settings.sections, "reception": {"per_slot": 5}}
    return replace(settings, sections=sections)


async def test_fifty_citizens_rushing_the_last_five_seats_get_five_bookings_never_six(
    five_seats: Settings, clock: ManualClock
) -> None:
    services = await Services.open(five_seats, clock)
    extra: list[Database] = []
    try:
        last = len(services.reception.slots) - 1
        # Five connections of their own: the database, not one process's lock, decides.
        extra = [await Database.open(five_seats.database_path) for _ in range(5)]
        desks = [
            ReceptionService(
                ReceptionRepository(db),
                clock,
                five_seats,
                services.duties.calendar,
                services.cases.calendar,
                Outbox(db, clock),
                services.cases,
            )
            for db in extra
        ]

        async def attempt(n: int) -> str:
            try:
                await desks[n % 5].book(citizen(n), wish(last))
            except SlotFull:
                return "full"
            return "booked"

        answers = await asyncio.gather(*(attempt(n) for n in range(50)))
        assert answers.count("booked") == 5 and answers.count("full") == 45
        seats = await services.db.fetchall(
            "SELECT seat FROM reception_bookings WHERE day = ? AND slot = ? AND state = 'booked'",
            (THURSDAY.isoformat(), last),
        )
        assert sorted(r[0] for r in seats) == [1, 2, 3, 4, 5]
    finally:
        for db in extra:
            await db.close()
        await services.close()


async def test_one_open_booking_a_citizen_and_the_waiting_list_takes_a_freed_seat(
    five_seats: Settings, clock: ManualClock
) -> None:
    services = await Services.open(five_seats, clock)
    try:
        desk = services.reception
        first = await desk.book(citizen(1), wish(0))
        with pytest.raises(TooManyOpen):
            await desk.book(citizen(1), wish(1))
        for n in range(2, 6):
            await desk.book(citizen(n), wish(0))
        with pytest.raises(SlotFull):
            await desk.book(citizen(9), wish(0))
        waiting = await desk.book(citizen(9), wish(None))
        assert waiting.state is State.WAITING
        await desk.cancel(citizen(1), first.id)
        seated = await desk.repo.get(waiting.id)
        assert seated is not None and (seated.state, seated.slot, seated.seat) == (
            State.BOOKED,
            0,
            first.seat,
        )
        assert await services.db.scalar("SELECT COUNT(*) FROM outbox") == 1
    finally:
        await services.close()


async def test_a_move_frees_the_old_seat_only_when_the_new_one_is_taken(
    five_seats: Settings, clock: ManualClock
) -> None:
    services = await Services.open(five_seats, clock)
    try:
        desk = services.reception
        mine = await desk.book(citizen(1), wish(0))
        for n in range(2, 7):
            await desk.book(citizen(n), wish(1))
        with pytest.raises(SlotFull):
            await desk.move(citizen(1), mine.id, THURSDAY, 1)
        assert (await desk.repo.get(mine.id)).state is State.BOOKED  # type: ignore[union-attr]
        moved = await desk.move(citizen(1), mine.id, THURSDAY, 2)
        assert moved.slot == 2 and (await desk.repo.get(mine.id)).state is State.MOVED  # type: ignore[union-attr]
    finally:
        await services.close()


async def test_mydata_shows_bookings_and_erasure_takes_their_name_and_phone(
    five_seats: Settings, clock: ManualClock
) -> None:
    services = await Services.open(five_seats, clock)
    try:
        booking = await services.reception.book(citizen(1), wish(0))
        held = await services.privacy.holdings(citizen(1))
        assert [(b.code, b.name, b.phone) for b in held.bookings] == [
            (booking.code, "Nguyễn Văn An", "0912345678")
        ]
        erased = await services.privacy.erase(citizen(1))
        assert erased.bookings == 1
        kept = await services.reception.repo.get(booking.id)
        assert kept is not None and (kept.name, kept.phone) == (None, None)
        assert kept.citizen == citizen(1) and kept.subject == "Đất đai"  # open: still reminded
    finally:
        await services.close()


async def test_an_outcome_opens_a_petition_case_once_and_a_rescheduled_citizen_is_asked_again(
    five_seats: Settings, clock: ManualClock
) -> None:
    services = await Services.open(five_seats, clock)
    try:
        chairman = await services.officers.add(Recipient.telegram(1), "Chủ tịch", {Role.CHAIRMAN})
        desk = services.reception
        heard = await desk.book(citizen(1), wish(0, "Đường thôn bị ngập khi mưa lớn"))
        await desk.record_outcome(chairman, heard.id, "Giao Văn phòng khảo sát rãnh thoát nước.")
        case = await desk.outcome_to_case(chairman, heard.id, add=False)
        assert (case.kind, case.reporter) == (Kind.PETITION, citizen(1))
        assert case.contact == Contact("Nguyễn Văn An", "0912345678")
        assert "Giao Văn phòng khảo sát" in case.description
        with pytest.raises(ReceptionError):  # once only
            await desk.outcome_to_case(chairman, heard.id, add=False)

        later = await desk.book(citizen(2), wish(1))
        await desk.mark(chairman, later.id, State.MOVED)
        row = await services.db.fetchone(
            "SELECT message FROM outbox WHERE external_id = ?", (citizen(2).external_id,)
        )
        assert row is not None and "chọn lại thời gian tiếp công dân" in row[0]
        assert await desk.open_of(citizen(2)) == []  # free to book again
    finally:
        await services.close()


async def test_officers_still_see_the_last_day_and_cannot_cancel_it(
    five_seats: Settings, clock: ManualClock
) -> None:
    services = await Services.open(five_seats, clock)
    try:
        chairman = await services.officers.add(Recipient.telegram(1), "Chủ tịch", {Role.CHAIRMAN})
        clock.set(datetime(2026, 3, 6, 2, 0, tzinfo=UTC))  # Friday: Thursday has passed
        desk = services.reception
        assert (await desk.upcoming())[0] == date(2026, 3, 12)
        assert (await desk.officer_days())[:2] == [THURSDAY, date(2026, 3, 12)]
        with pytest.raises(ReceptionError):
            await desk.cancel_day(chairman, THURSDAY)
    finally:
        await services.close()


async def test_a_reception_day_on_a_public_holiday_moves_as_the_duty_calendar_says(
    settings: Settings, clock: ManualClock
) -> None:
    services = await Services.open(settings, clock)
    try:
        clock.set(datetime(2026, 4, 27, 2, 0, tzinfo=UTC))  # Thursday 30/4 is Reunification Day
        days = await services.reception.upcoming(2)
        rule = services.duties.calendar.get("citizen-reception").working_day  # type: ignore[union-attr]
        assert rule.value == "previous" and days == [date(2026, 4, 29), date(2026, 5, 7)]
        assert not await services.reception.is_reception_day(date(2026, 4, 30))
    finally:
        await services.close()


async def test_only_confidential_roles_add_an_outcome_to_a_denunciation(
    five_seats: Settings, clock: ManualClock
) -> None:
    services = await Services.open(five_seats, clock)
    try:
        office = await services.officers.add(Recipient.telegram(1), "Văn phòng", {Role.OFFICE})
        chairman = await services.officers.add(Recipient.telegram(2), "Chủ tịch", {Role.CHAIRMAN})
        denounced = await services.cases.submit_question(
            citizen(1),
            "Tố cáo cán bộ thu tiền trái phép.",
            kind=Kind.DENUNCIATION,
            contact=Contact("Nguyễn Văn An", "0912345678"),
        )
        desk = services.reception
        heard = await desk.book(citizen(1), replace(wish(0), case_id=denounced.id))
        await desk.record_outcome(office, heard.id, "Đã nhận đơn, chuyển Tư pháp.")
        with pytest.raises(ReceptionError):  # a forged press: the office cannot see the case
            await desk.outcome_to_case(office, heard.id, add=True)
        assert (await desk.outcome_to_case(chairman, heard.id, add=True)).id == denounced.id
    finally:
        await services.close()
