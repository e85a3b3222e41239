"""Reception bookings and day changes in SQLite; a seat is taken by one conditional INSERT."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date, datetime

from bot.core.clock import to_db
from bot.core.db import Database, Transaction
from bot.messaging.channels import Recipient
from bot.reception.model import Booking, NewBooking, State
from bot.reception.rules import DayChange

SEATED = "('booked', 'received', 'no_show')"
OPEN = "('waiting', 'booked')"

# The lowest free seat of the slot, taken only if the citizen holds fewer open
# bookings than allowed (not counting the one being moved): one statement, so
# the check and the insert cannot be split by another writer, and the unique
# index on (day, slot, seat) refuses a second holder of a seat whatever happens.
_TAKE_SEAT = f"""
WITH RECURSIVE seats (seat) AS (SELECT 1 UNION ALL SELECT seat + 1 FROM seats WHERE seat < :per_slot)
INSERT INTO reception_bookings
    (day, slot, seat, state, channel, external_id, language, name, phone, address,
     subject, case_id, created_at, updated_at)
SELECT :day, :slot, seats.seat, 'booked', :channel, :external_id, :language, :name, :phone,
       :address, :subject, :case_id, :now, :now
FROM seats
WHERE seats.seat NOT IN (SELECT seat FROM reception_bookings
                         WHERE day = :day AND slot = :slot AND state IN {SEATED})
  AND (SELECT COUNT(*) FROM reception_bookings
       WHERE channel = :channel AND external_id = :external_id AND state IN {OPEN}
         AND id != :replacing) < :max_open
ORDER BY seats.seat LIMIT 1
RETURNING id
"""

_WAIT = f"""
INSERT INTO reception_bookings
    (day, state, channel, external_id, language, name, phone, address, subject, case_id,
     created_at, updated_at)
SELECT :day, 'waiting', :channel, :external_id, :language, :name, :phone, :address, :subject,
       :case_id, :now, :now
WHERE (SELECT COUNT(*) FROM reception_bookings
       WHERE channel = :channel AND external_id = :external_id AND state IN {OPEN}
         AND id != :replacing) < :max_open
RETURNING id
"""

# The first on the day's waiting list takes a freed seat, if it is still free.
_PROMOTE = f"""
UPDATE reception_bookings SET state = 'booked', slot = :slot, seat = :seat, updated_at = :now
WHERE id = (SELECT id FROM reception_bookings WHERE day = :day AND state = 'waiting'
            ORDER BY id LIMIT 1)
  AND NOT EXISTS (SELECT 1 FROM reception_bookings WHERE day = :day AND slot = :slot
                  AND seat = :seat AND state IN {SEATED})
RETURNING id
"""


class ReceptionRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def take_seat(
        self,
        tx: Transaction,
        who: Recipient,
        new: NewBooking,
        *,
        per_slot: int,
        max_open: int,
        now: datetime,
        replacing: int = 0,
    ) -> int | None:
        """Insert a booking in the first free seat of its slot; None when there is none
        (or the citizen holds their share of open bookings already)."""
        params = _params(who, new, now, max_open, replacing)
        sql = _TAKE_SEAT if new.slot is not None else _WAIT
        try:
            row = await tx.fetchone(sql, {**params, "per_slot": per_slot})
        except sqlite3.IntegrityError:  # the seat went to another writer meanwhile
            return None
        return None if row is None else int(row[0])

    async def open_count(self, who: Recipient) -> int:
        return int(
            await self.db.scalar(
                f"SELECT COUNT(*) FROM reception_bookings WHERE channel = ? AND external_id = ?"
                f" AND state IN {OPEN}",
                (who.channel, who.external_id),
            )
        )

    async def promote(
        self, tx: Transaction, day: date, slot: int, seat: int, now: datetime
    ) -> int | None:
        row = await tx.fetchone(
            _PROMOTE,
            {"day": day.isoformat(), "slot": slot, "seat": seat, "now": to_db(now)},
        )
        return None if row is None else int(row[0])

    async def set_state(
        self, tx: Transaction, booking_id: int, state: State, now: datetime, **fields: object
    ) -> None:
        sets = ", ".join(f"{name} = :{name}" for name in fields)
        await tx.execute(
            f"UPDATE reception_bookings SET state = :state, updated_at = :now"
            f"{', ' + sets if sets else ''} WHERE id = :id",
            {**fields, "state": state.value, "now": to_db(now), "id": booking_id},
        )

    async def update(
        self, tx: Transaction, booking_id: int, now: datetime, **fields: object
    ) -> None:
        sets = ", ".join(f"{name} = :{name}" for name in fields)
        await tx.execute(
            f"UPDATE reception_bookings SET {sets}, updated_at = :now WHERE id = :id",
            {**fields, "now": to_db(now), "id": booking_id},
        )

    async def get(self, booking_id: int, tx: Transaction | None = None) -> Booking | None:
        sql, args = "SELECT * FROM reception_bookings WHERE id = ?", (booking_id,)
        row = await (tx.fetchone(sql, args) if tx else self.db.fetchone(sql, args))
        return None if row is None else Booking.from_row(row)

    async def open_of(self, who: Recipient) -> list[Booking]:
        rows = await self.db.fetchall(
            f"SELECT * FROM reception_bookings WHERE channel = ? AND external_id = ?"
            f" AND state IN {OPEN} ORDER BY day, slot, id",
            (who.channel, who.external_id),
        )
        return [Booking.from_row(r) for r in rows]

    async def of_day(self, day: date, tx: Transaction | None = None) -> list[Booking]:
        """The day's bookings in queue order: seated ones, walk-ins, then the waiting list."""
        sql = (
            "SELECT * FROM reception_bookings WHERE day = ? AND state NOT IN ('cancelled', 'moved')"
            " ORDER BY slot IS NULL, slot, seat, walk_in, id"
        )
        rows = await (
            tx.fetchall(sql, (day.isoformat(),))
            if tx
            else self.db.fetchall(sql, (day.isoformat(),))
        )
        return [Booking.from_row(r) for r in rows]

    async def seated(self, days: Iterable[date]) -> dict[tuple[date, int], int]:
        """How many seats are taken, by (day, slot)."""
        listed = [d.isoformat() for d in days]
        if not listed:
            return {}
        marks = ", ".join("?" for _ in listed)
        rows = await self.db.fetchall(
            f"SELECT day, slot, COUNT(*) FROM reception_bookings WHERE day IN ({marks})"
            f" AND state IN {SEATED} GROUP BY day, slot",
            listed,
        )
        return {(date.fromisoformat(r[0]), r[1]): r[2] for r in rows}

    async def waiting(self, day: date) -> int:
        return int(
            await self.db.scalar(
                "SELECT COUNT(*) FROM reception_bookings WHERE day = ? AND state = 'waiting'",
                (day.isoformat(),),
            )
        )

    async def booked_between(self, first: date, last: date) -> list[Booking]:
        rows = await self.db.fetchall(
            "SELECT * FROM reception_bookings WHERE state = 'booked' AND day BETWEEN ? AND ?"
            " AND (reminded_day = 0 OR reminded_hour = 0)",
            (first.isoformat(), last.isoformat()),
        )
        return [Booking.from_row(r) for r in rows]

    async def changes(self) -> dict[date, DayChange]:
        rows = await self.db.fetchall("SELECT day, status FROM reception_days")
        return {date.fromisoformat(r[0]): DayChange(r[1]) for r in rows}

    async def change_day(
        self, tx: Transaction, day: date, change: DayChange, officer_id: int | None, now: datetime
    ) -> None:
        await tx.execute(
            "INSERT INTO reception_days (day, status, officer_id, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (day) DO UPDATE SET status = excluded.status,"
            " officer_id = excluded.officer_id, created_at = excluded.created_at",
            (day.isoformat(), change.value, officer_id, to_db(now)),
        )

    async def of_citizen(self, who: Recipient) -> list[Booking]:
        """Every booking of this person, newest first (for /mydata)."""
        rows = await self.db.fetchall(
            "SELECT * FROM reception_bookings WHERE channel = ? AND external_id = ?"
            " ORDER BY day DESC, id DESC",
            (who.channel, who.external_id),
        )
        return [Booking.from_row(r) for r in rows]

    async def erase_contacts(self, who: Recipient) -> int:
        """Erase the name and phone of every booking of this person; how many held some.

        The register keeps what was raised and its outcome, as the law asks of a
        reception's records; an open booking stays linked to the chat so that its
        reminders still come.
        """
        async with self.db.transaction() as tx:
            await tx.execute(
                "UPDATE reception_bookings SET name = NULL, phone = NULL"
                " WHERE channel = ? AND external_id = ? AND (name IS NOT NULL OR phone IS NOT NULL)",
                (who.channel, who.external_id),
            )
            row = await tx.fetchone("SELECT changes()")
            await tx.execute(
                "UPDATE reception_bookings SET channel = NULL, external_id = NULL"
                " WHERE channel = ? AND external_id = ? AND state NOT IN ('waiting', 'booked')",
                (who.channel, who.external_id),
            )
        return int(row[0]) if row else 0

    async def add_walk_in(
        self, who_marks: int, day: date, name: str, address: str, subject: str, now: datetime
    ) -> int:
        return await self.db.execute(
            "INSERT INTO reception_bookings (day, state, walk_in, name, address, subject,"
            " officer_id, created_at, updated_at) VALUES (?, 'received', 1, ?, ?, ?, ?, ?, ?)",
            (day.isoformat(), name, address, subject, who_marks, to_db(now), to_db(now)),
        )


def _params(
    who: Recipient, new: NewBooking, now: datetime, max_open: int, replacing: int
) -> dict[str, object]:
    return {
        "day": new.day.isoformat(),
        "slot": new.slot,
        "channel": who.channel,
        "external_id": who.external_id,
        "language": new.language,
        "name": new.name,
        "phone": new.phone,
        "address": new.address,
        "subject": new.subject,
        "case_id": new.case_id,
        "now": to_db(now),
        "max_open": max_open,
        "replacing": replacing,
    }
