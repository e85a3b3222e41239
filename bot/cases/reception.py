"""The next citizen-reception day (tiếp công dân), from the configured weekday and hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.cases.config import Reception
from bot.core.workdays import WorkCalendar


@dataclass(frozen=True)
class ReceptionSlot:
    """One reception session: when it starts and ends, and where."""

    start: datetime
    end: datetime
    place: str


def next_reception(now: datetime, reception: Reception, calendar: WorkCalendar) -> ReceptionSlot:
    """The next session not yet over at `now` (an aware local time).

    When the weekday falls on a holiday the session moves to the next working
    day, so citizens are still received at least once that week.
    """
    if now.tzinfo is None:
        raise ValueError("next_reception needs an aware datetime")
    day = now.date()
    for week in range(0, 60):
        candidate = _weekday_on_or_after(day, reception.weekday) + timedelta(weeks=week)
        session = calendar.next_working_day(candidate)
        end = datetime.combine(session, reception.end, now.tzinfo)
        if end > now:
            start = datetime.combine(session, reception.start, now.tzinfo)
            return ReceptionSlot(start, end, reception.place)
    raise RuntimeError("no working day found for citizen reception")


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)
