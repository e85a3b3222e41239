"""Duty figures for a period, from the duty occurrences (the reports' `DutySource`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.clock import Clock, from_db, to_db
from bot.core.config import Settings
from bot.core.db import Database
from bot.core.workdays import WorkCalendar
from bot.duties.calendar import DutyCalendar
from bot.duties.recurrence import occurrences
from bot.duties.settings import settings_calendar
from bot.reports.figures import DutyFigures
from bot.reports.period import Period

# The chairman's weekly reception day in the shipped calendar (content/duties.toml).
RECEPTION_DUTY = "citizen-reception"
# A working-day shift moves a due day by less than this (Tết with its weekends).
_SHIFT = timedelta(days=31)

_COUNTS = """
SELECT
    COUNT(CASE WHEN done_at >= :start AND done_at < :end AND done_at <= due_at THEN 1 END),
    COUNT(CASE WHEN done_at >= :start AND done_at < :end AND done_at > due_at THEN 1 END),
    COUNT(CASE WHEN due_at >= :start AND due_at < :as_of
               AND (done_at IS NULL OR done_at >= :as_of) THEN 1 END)
FROM duty_periods
"""

_RECEPTION_ROWS = """
SELECT period_key, done_at FROM duty_periods
WHERE duty_id = :reception AND due_at >= :start AND due_at < :as_of
"""


class DutyFiguresSource:
    """Duties done on time and late, still overdue, and reception days held of those due.

    The reception days due are the calendar's, not only those the bot had
    created a row for: a day that fell before the bot first ran, or while it
    was down, was owed all the same. A day is held when it was marked done.
    """

    def __init__(
        self,
        db: Database,
        clock: Clock,
        calendar: DutyCalendar,
        tz: ZoneInfo,
        workdays: WorkCalendar | None = None,
        reception_duty: str = RECEPTION_DUTY,
    ) -> None:
        self._db = db
        self._clock = clock
        self._calendar = calendar
        self._tz = tz
        self._workdays = workdays or WorkCalendar()
        self._reception = reception_duty

    @classmethod
    def from_settings(cls, db: Database, settings: Settings, clock: Clock) -> DutyFiguresSource:
        """The source over the calendar `[duties]` names (ConfigError if it is wrong)."""
        _own, calendar = settings_calendar(settings)
        return cls(db, clock, calendar, settings.timezone)

    async def figures(self, period: Period) -> DutyFigures:
        as_of = min(period.end, self._clock.now())
        bounds = {"start": to_db(period.start), "end": to_db(period.end), "as_of": to_db(as_of)}
        row = await self._db.fetchone(_COUNTS, bounds)
        assert row is not None
        rows = await self._db.fetchall(_RECEPTION_ROWS, {**bounds, "reception": self._reception})
        due = self._reception_days(period.start, as_of)
        due |= {datetime.fromisoformat(r["period_key"]) for r in rows}
        held = sum(1 for r in rows if r["done_at"] and from_db(r["done_at"]) < as_of)
        return DutyFigures(
            done_on_time=row[0],
            done_late=row[1],
            overdue=row[2],
            reception_days_held=held,
            reception_days_due=len(due),
        )

    def _reception_days(self, start: datetime, end: datetime) -> set[datetime]:
        """The nominal moments of the reception days due in [start, end), from the calendar."""
        duty = self._calendar.get(self._reception)
        if duty is None or end <= start:
            return set()
        first = start.astimezone(self._tz).date() - _SHIFT
        last = end.astimezone(self._tz).date() + _SHIFT
        found: set[datetime] = set()
        for day in occurrences(duty.recurrence, duty.working_day, first, self._tz, self._workdays):
            if day.key.date() > last:
                break
            if start <= day.due < end:
                found.add(day.key)
        return found
