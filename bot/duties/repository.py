"""Duty periods, reminders sent, snoozes and job runs in SQLite."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.core.clock import Clock, from_db, to_db
from bot.core.db import Database
from bot.messaging.messages import Attachment


@dataclass(frozen=True)
class Period:
    """One occurrence of a duty: when it is due, and whether (and by whom) it is done."""

    id: int
    duty_id: str
    key: datetime  # nominal local moment, naive
    due: datetime
    done_at: datetime | None = None
    done_by: int | None = None
    done_file: Attachment | None = None

    @property
    def done(self) -> bool:
        return self.done_at is not None


class DutyRepository:
    """Parameterised SQL over the duty tables; rows mapped to `Period`."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def add_period(self, duty_id: str, key: datetime, due: datetime) -> Period:
        """Create the period (or return it if it exists: a restart may ask twice)."""
        async with self._db.transaction() as tx:
            await tx.execute(
                "INSERT INTO duty_periods (duty_id, period_key, due_at, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (duty_id, period_key) DO NOTHING",
                (duty_id, _key(key), to_db(due), to_db(self._clock.now())),
            )
            row = await tx.fetchone(
                "SELECT * FROM duty_periods WHERE duty_id = ? AND period_key = ?",
                (duty_id, _key(key)),
            )
        assert row is not None
        return _period(row)

    async def latest(self, duty_id: str) -> Period | None:
        row = await self._db.fetchone(
            "SELECT * FROM duty_periods WHERE duty_id = ? ORDER BY period_key DESC LIMIT 1",
            (duty_id,),
        )
        return _period(row) if row else None

    async def get(self, period_id: int) -> Period | None:
        row = await self._db.fetchone("SELECT * FROM duty_periods WHERE id = ?", (period_id,))
        return _period(row) if row else None

    async def open_periods(self) -> list[Period]:
        rows = await self._db.fetchall(
            "SELECT * FROM duty_periods WHERE done_at IS NULL ORDER BY due_at, id"
        )
        return [_period(r) for r in rows]

    async def done_between(self, start: datetime, end: datetime) -> list[Period]:
        """Periods marked done in [start, end): what a weekly digest reports on."""
        rows = await self._db.fetchall(
            "SELECT * FROM duty_periods WHERE done_at >= ? AND done_at < ? ORDER BY due_at, id",
            (to_db(start), to_db(end)),
        )
        return [_period(r) for r in rows]

    async def mark_done(self, period_id: int, officer_id: int, file: Attachment | None) -> bool:
        """Record who finished the period and when; False if it was already done."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone("SELECT done_at FROM duty_periods WHERE id = ?", (period_id,))
            if row is None or row["done_at"] is not None:
                return False
            await tx.execute(
                "UPDATE duty_periods SET done_at = ?, done_by = ?, done_file_kind = ?,"
                " done_file_ref = ?, done_file_name = ? WHERE id = ?",
                (
                    to_db(self._clock.now()),
                    officer_id,
                    file.kind if file else None,
                    file.ref if file else None,
                    file.filename if file else None,
                    period_id,
                ),
            )
        return True

    async def reopen(self, period_id: int, since: datetime) -> bool:
        """Undo a done mark made at or after `since`; False if none (too late, or open)."""
        async with self._db.transaction() as tx:
            row = await tx.fetchone("SELECT done_at FROM duty_periods WHERE id = ?", (period_id,))
            if row is None or row["done_at"] is None or from_db(row["done_at"]) < since:
                return False
            await tx.execute(
                "UPDATE duty_periods SET done_at = NULL, done_by = NULL, done_file_kind = NULL,"
                " done_file_ref = NULL, done_file_name = NULL WHERE id = ?",
                (period_id,),
            )
        return True

    async def decided_slots(self, period_id: int) -> dict[int, set[str]]:
        """officer id -> the reminder slots of this period already sent or skipped."""
        rows = await self._db.fetchall(
            "SELECT officer_id, slot FROM duty_reminders WHERE period_id = ?", (period_id,)
        )
        decided: dict[int, set[str]] = {}
        for row in rows:
            decided.setdefault(row["officer_id"], set()).add(row["slot"])
        return decided

    async def decide(
        self, period_id: int, officer_id: int, slots: list[tuple[str, datetime, str]]
    ) -> bool:
        """Record (slot, due moment, status) rows at once; False if another run already did."""
        now = to_db(self._clock.now())
        async with self._db.transaction() as tx:
            for slot, _at, _status in slots:
                taken = await tx.fetchone(
                    "SELECT 1 FROM duty_reminders WHERE period_id = ? AND officer_id = ?"
                    " AND slot = ?",
                    (period_id, officer_id, slot),
                )
                if taken:
                    return False
            await tx.executemany(
                "INSERT INTO duty_reminders (period_id, officer_id, slot, slot_at, decided_at,"
                " status) VALUES (?, ?, ?, ?, ?, ?)",
                [(period_id, officer_id, s, to_db(at), now, st) for s, at, st in slots],
            )
        return True

    async def mark_failed(self, period_id: int, officer_id: int, slot: str) -> None:
        await self._db.execute(
            "UPDATE duty_reminders SET status = 'failed' WHERE period_id = ? AND officer_id = ?"
            " AND slot = ?",
            (period_id, officer_id, slot),
        )

    async def reminders_sent(self, period_id: int) -> list[tuple[int, str, str]]:
        """(officer id, slot, status) of a period, in the order decided."""
        rows = await self._db.fetchall(
            "SELECT officer_id, slot, status FROM duty_reminders WHERE period_id = ? ORDER BY id",
            (period_id,),
        )
        return [(r["officer_id"], r["slot"], r["status"]) for r in rows]

    async def snooze(self, period_id: int, officer_id: int, until: datetime) -> None:
        await self._db.execute(
            "INSERT INTO duty_snoozes (period_id, officer_id, until, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (period_id, officer_id) DO UPDATE SET until = excluded.until,"
            " created_at = excluded.created_at",
            (period_id, officer_id, to_db(until), to_db(self._clock.now())),
        )

    async def snoozes(self, period_id: int) -> dict[int, datetime]:
        rows = await self._db.fetchall(
            "SELECT officer_id, until FROM duty_snoozes WHERE period_id = ?", (period_id,)
        )
        return {r["officer_id"]: from_db(r["until"]) for r in rows}

    async def claim_run(self, job: str, run_key: str) -> bool:
        """Note that `job` ran for `run_key` (a day, a week); False if it already had."""
        async with self._db.transaction() as tx:
            if await tx.fetchone(
                "SELECT 1 FROM duty_job_runs WHERE job = ? AND run_key = ?", (job, run_key)
            ):
                return False
            await tx.execute(
                "INSERT INTO duty_job_runs (job, run_key, ran_at) VALUES (?, ?, ?)",
                (job, run_key, to_db(self._clock.now())),
            )
        return True


def _key(key: datetime) -> str:
    return key.replace(tzinfo=None).isoformat(timespec="minutes")


def _period(row: sqlite3.Row) -> Period:
    file = (
        Attachment(row["done_file_kind"], row["done_file_ref"], row["done_file_name"])
        if row["done_file_ref"]
        else None
    )
    return Period(
        id=row["id"],
        duty_id=row["duty_id"],
        key=datetime.fromisoformat(row["period_key"]),
        due=from_db(row["due_at"]),
        done_at=from_db(row["done_at"]) if row["done_at"] else None,
        done_by=row["done_by"],
        done_file=file,
    )
