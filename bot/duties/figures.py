"""Duty figures for a period, from the duty occurrences (the reports' `DutySource`)."""

from __future__ import annotations

from bot.core.clock import Clock, to_db
from bot.core.db import Database
from bot.reports.figures import DutyFigures
from bot.reports.period import Period

# The chairman's weekly reception day in the shipped calendar (content/duties.toml).
RECEPTION_DUTY = "citizen-reception"

_COUNTS = """
SELECT
    COUNT(CASE WHEN done_at >= :start AND done_at < :end AND done_at <= due_at THEN 1 END),
    COUNT(CASE WHEN done_at >= :start AND done_at < :end AND done_at > due_at THEN 1 END),
    COUNT(CASE WHEN due_at >= :start AND due_at < :as_of
               AND (done_at IS NULL OR done_at >= :as_of) THEN 1 END),
    COUNT(CASE WHEN duty_id = :reception AND due_at >= :start AND due_at < :as_of
               AND done_at IS NOT NULL AND done_at < :as_of THEN 1 END),
    COUNT(CASE WHEN duty_id = :reception AND due_at >= :start AND due_at < :as_of THEN 1 END)
FROM duty_periods
"""


class DutyFiguresSource:
    """Duties done on time and late, still overdue, and reception days held."""

    def __init__(self, db: Database, clock: Clock, reception_duty: str = RECEPTION_DUTY) -> None:
        self._db = db
        self._clock = clock
        self._reception = reception_duty

    async def figures(self, period: Period) -> DutyFigures:
        as_of = min(period.end, self._clock.now())
        row = await self._db.fetchone(
            _COUNTS,
            {
                "start": to_db(period.start),
                "end": to_db(period.end),
                "as_of": to_db(as_of),
                "reception": self._reception,
            },
        )
        assert row is not None
        return DutyFigures(
            done_on_time=row[0],
            done_late=row[1],
            overdue=row[2],
            reception_days_held=row[3],
            reception_days_due=row[4],
        )
