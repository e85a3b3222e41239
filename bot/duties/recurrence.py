"""Pure rules of a duty's calendar: due moments, reminder times, the working-day shift."""

from __future__ import annotations

import calendar as monthcal
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.core.workdays import WorkCalendar

# How many months apart the calendar kinds fall.
_MONTHS_APART = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
# A shift to a working day never crosses more than this (Tết with its weekends).
_MAX_SHIFT = timedelta(days=31)


class WorkingDayRule(StrEnum):
    """Where a due date that falls on a weekend or holiday goes."""

    PREVIOUS = "previous"  # the office's usual practice: hand in before the day off
    NEXT = "next"
    NONE = "none"


@dataclass(frozen=True)
class Recurrence:
    """When a duty falls due, before any working-day shift.

    `every` is week (with `weekday`, 0 = Monday), month (`day`), quarter
    (`month` of the quarter 1-3 and `day`), half_year (`month` 1-6 and `day`),
    year (`month` and `day`) or cron (`cron`, which also gives the time). A
    `day` beyond the month's end, or -1, means the month's last day.
    """

    every: str
    time: time = time(17, 0)
    weekday: int = 0
    month: int = 1
    day: int = 1
    cron: str | None = None


@dataclass(frozen=True)
class Occurrence:
    """One period of a duty: `key` is its nominal local moment, `due` the shifted one (UTC)."""

    key: datetime  # naive, local wall time, before the working-day shift
    due: datetime


@dataclass(frozen=True)
class Slot:
    """A moment a reminder falls due: `key` names it for good, e.g. `before:7d`."""

    key: str
    at: datetime
    overdue: bool = False


def nominal_moments(rec: Recurrence, start: date, tz: ZoneInfo) -> Iterator[datetime]:
    """Nominal local moments (naive) on or after `start`, in order, without end."""
    if rec.every == "cron":
        trigger = cron_trigger(rec.cron or "", tz)
        fire = trigger.get_next_fire_time(None, datetime.combine(start, time(0), tz))
        while fire is not None:
            yield fire.astimezone(tz).replace(tzinfo=None)
            fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
        return
    if rec.every == "week":
        day = start + timedelta(days=(rec.weekday - start.weekday()) % 7)
        while True:
            yield datetime.combine(day, rec.time)
            day += timedelta(days=7)
    step = _MONTHS_APART[rec.every]
    index = start.year * 12 + start.month - 1
    index -= (index % step) - ((rec.month - 1) % step)  # first month of the series
    while True:
        year, month = divmod(index, 12)
        day = _day_in_month(year, month + 1, rec.day)
        if day >= start:
            yield datetime.combine(day, rec.time)
        index += step


_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cron_trigger(expression: str, tz: ZoneInfo) -> CronTrigger:
    """A five-field crontab line as an APScheduler trigger; ValueError if malformed.

    APScheduler 3 numbers weekdays from Monday = 0, crontab from Sunday = 0:
    numbers in the weekday field are turned into names so "1-5" means
    Monday to Friday, as every crontab reader expects.
    """
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 fields, got {len(fields)}")
    minute, hour, day, month, weekday = fields
    weekday = re.sub(r"\d+", lambda m: _cron_day(int(m.group())), weekday)
    return CronTrigger(
        minute=minute, hour=hour, day=day, month=month, day_of_week=weekday, timezone=tz
    )


def _cron_day(number: int) -> str:
    if number > 7:
        raise ValueError(f"weekday {number} is not 0-7")
    return _CRON_DAYS[number]


def _day_in_month(year: int, month: int, day: int) -> date:
    last = monthcal.monthrange(year, month)[1]
    return date(year, month, last if day == -1 or day > last else day)


def shift(day: date, rule: WorkingDayRule, workdays: WorkCalendar) -> date:
    """Move a due date off a weekend or holiday as `rule` says."""
    if rule is WorkingDayRule.PREVIOUS:
        return workdays.previous_working_day(day)
    if rule is WorkingDayRule.NEXT:
        return workdays.next_working_day(day)
    return day


def occurrence(
    key: datetime, rule: WorkingDayRule, tz: ZoneInfo, workdays: WorkCalendar
) -> Occurrence:
    """The period whose nominal moment is `key`, with its due moment shifted and in UTC."""
    day = shift(key.date(), rule, workdays)
    due = datetime.combine(day, key.time(), tz).astimezone(UTC)
    return Occurrence(key=key, due=due)


def occurrences(
    rec: Recurrence, rule: WorkingDayRule, start: date, tz: ZoneInfo, workdays: WorkCalendar
) -> Iterator[Occurrence]:
    for key in nominal_moments(rec, start, tz):
        yield occurrence(key, rule, tz, workdays)


def next_due(
    rec: Recurrence, rule: WorkingDayRule, after: datetime, tz: ZoneInfo, workdays: WorkCalendar
) -> Occurrence:
    """The first period whose (shifted) due moment is later than `after`."""
    # Start a month early: a shift to the next working day can carry an
    # earlier nominal date past `after`.
    start = after.astimezone(tz).date() - _MAX_SHIFT
    for found in occurrences(rec, rule, start, tz, workdays):
        if found.due > after:
            return found
    raise ValueError("the recurrence has no further dates")  # a cron that never fires


def following(
    rec: Recurrence, rule: WorkingDayRule, key: datetime, tz: ZoneInfo, workdays: WorkCalendar
) -> Occurrence:
    """The period after the one whose nominal moment is `key`."""
    for found in occurrences(rec, rule, key.date(), tz, workdays):
        if found.key > key:
            return found
    raise ValueError("the recurrence has no further dates")


def reminder_slots(
    due: datetime,
    before: tuple[tuple[str, timedelta], ...],
    until: datetime,
    tz: ZoneInfo,
    workdays: WorkCalendar,
) -> list[Slot]:
    """Reminders of one period that fall due up to `until`, oldest first.

    `before` holds (name, offset) pairs counted back from the due moment;
    after it, one reminder a working day at the due time of day until done.
    Offsets are wall-clock days in the commune's zone, so "1d" before a
    16:00 deadline is 16:00 the day before, whatever the zone's UTC offset.
    """
    local_due = due.astimezone(tz)
    slots = [
        Slot(f"before:{name}", _local_minus(local_due, offset, tz))
        for name, offset in before
        if _local_minus(local_due, offset, tz) <= until
    ]
    day = local_due.date() + timedelta(days=1)
    while (moment := datetime.combine(day, local_due.time(), tz)) <= until:
        # Officers are not at the office on days off: the nag waits for Monday.
        if workdays.is_working_day(day):
            slots.append(Slot(f"overdue:{day.isoformat()}", moment.astimezone(UTC), overdue=True))
        day += timedelta(days=1)
    return sorted(slots, key=lambda s: s.at)


def _local_minus(local_due: datetime, offset: timedelta, tz: ZoneInfo) -> datetime:
    naive = local_due.replace(tzinfo=None) - offset
    return naive.replace(tzinfo=tz).astimezone(UTC)


def escalation_at(due: datetime, delay: timedelta | None) -> datetime | None:
    """When the chairman is told a period is still not done; None if never."""
    return None if delay is None else due + delay


def parse_offset(text: str) -> timedelta:
    """`7d`, `1d`, `9h`, `30m` or `0d` as a duration; ValueError otherwise."""
    text = text.strip().lower()
    units = {"d": "days", "h": "hours", "m": "minutes"}
    if len(text) < 2 or text[-1] not in units or not text[:-1].isdigit():
        raise ValueError(f"{text!r} is not a duration like 7d, 1d, 9h or 30m")
    return timedelta(**{units[text[-1]]: int(text[:-1])})
