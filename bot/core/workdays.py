"""Working days in Việt Nam: weekends and public holidays, lunar ones included, skipped."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

_SATURDAY = 5


@cache
def _national_holidays(year: int) -> frozenset[date]:
    # Imported at first use: the package loads every country's rules (a
    # quarter of a second), which the bot's first answers never need.
    import holidays

    # The holidays package computes Tết and Hùng Kings' day from the lunar
    # calendar, and the official substitute days off, year by year.
    return frozenset(holidays.country_holidays("VN", years=year))


def load_holidays(year: int) -> None:
    """Import the holidays package and compute `year`'s now, e.g. in a worker thread.

    A quarter of a second of CPU in one piece: the bot's start-up does it off
    the event loop, which keeps answering meanwhile, before the duties'
    catch-up needs it.
    """
    _national_holidays(year)


class WorkCalendar:
    """Which days the commune office works, with local additions from configuration."""

    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()):
        self._extra_holidays = frozenset(extra_holidays)
        # Weekend days the government swaps into working days.
        self._extra_workdays = frozenset(extra_workdays)

    def is_working_day(self, day: date) -> bool:
        if day in self._extra_workdays:
            return True
        if day.weekday() >= _SATURDAY or day in self._extra_holidays:
            return False
        return day not in _national_holidays(day.year)

    def add_working_days(self, start: date, count: int) -> date:
        """The day `count` working days after `start` (the start itself not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        while count:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative if end is earlier)."""
        sign, low, high = (1, start, end) if end >= start else (-1, end, start)
        days = (high - low).days
        return sign * sum(self.is_working_day(low + timedelta(d)) for d in range(1, days + 1))

    def previous_working_day(self, day: date) -> date:
        """`day` itself if the office works then, else the last working day before it."""
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def next_working_day(self, day: date) -> date:
        """`day` itself if the office works then, else the first working day after it."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day
