"""The pure rules of reception booking: which days, which slots, queue numbers, reminders.

Nothing here reads the database or the clock: the service passes in the
regular days (the duty calendar's), the changes officers made, and now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Any

from bot.core.config import ConfigError
from bot.core.workdays import WorkCalendar

SECTION = "reception"
DAY_BEFORE = timedelta(days=1)
HOUR_BEFORE = timedelta(hours=1)


class DayChange(StrEnum):
    """What an officer did to a day: made it a reception day, or cancelled it."""

    EXTRA = "extra"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class ReceptionOptions:
    """The `[reception]` table (defaults in content/commune.toml)."""

    slot_minutes: int = 30
    per_slot: int = 3  # citizens received in one slot
    open_per_citizen: int = 1  # open bookings (waiting included) one citizen may hold
    days_ahead: int = 4  # reception days offered to choose from

    @classmethod
    def from_section(cls, section: Mapping[str, Any]) -> ReceptionOptions:
        names = ("slot_minutes", "per_slot", "open_per_citizen", "days_ahead")
        unknown = sorted(set(section) - set(names))
        if unknown:
            raise ConfigError(f"[{SECTION}] {unknown[0]}", "unknown setting")
        values: dict[str, int] = {}
        for name in names:
            value = section.get(name, getattr(cls, name))
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 600:
                raise ConfigError(f"[{SECTION}] {name}", "must be a whole number from 1 to 600")
            values[name] = value
        return cls(**values)


@dataclass(frozen=True)
class Slot:
    """One time slot of a reception day."""

    index: int
    start: time
    end: time


def day_slots(start: time, end: time, minutes: int) -> list[Slot]:
    """The slots from `start` to `end`, each `minutes` long; a last short one is dropped."""
    slots: list[Slot] = []
    length = timedelta(minutes=minutes)
    at = datetime.combine(date.min, start)
    close = datetime.combine(date.min, end)
    while at + length <= close:
        slots.append(Slot(len(slots), at.time(), (at + length).time()))
        at += length
    return slots


def reception_days(
    regular: Iterable[date],
    changes: Mapping[date, DayChange],
    calendar: WorkCalendar,
    first: date,
    count: int,
) -> list[date]:
    """The next `count` reception days from `first` on.

    The regular days (the duty calendar's, already moved off weekends and
    holidays) minus those an officer cancelled, plus the extra ones; an extra
    day on a holiday is still skipped, since the office is closed.
    """
    days = {d for d in regular if d >= first}
    days |= {d for d, c in changes.items() if c is DayChange.EXTRA and d >= first}
    days -= {d for d, c in changes.items() if c is DayChange.CANCELLED}
    return sorted(d for d in days if calendar.is_working_day(d))[:count]


def slot_start(day: date, slot: Slot, tz: tzinfo) -> datetime:
    return datetime.combine(day, slot.start, tz)


def bookable(day: date, slots: list[Slot], now: datetime, tz: tzinfo) -> list[Slot]:
    """The slots of `day` that have not begun at `now`."""
    return [s for s in slots if slot_start(day, s, tz) > now]


def queue_number(slot: int, seat: int, per_slot: int) -> int:
    """The place in the day's queue: slot by slot, seat by seat, from 1."""
    return slot * per_slot + seat


def reminders_due(starts_at: datetime, now: datetime, day_sent: bool, hour_sent: bool) -> set[str]:
    """Which reminders are due now: "day" from a day before, "hour" from an hour before.

    A booking made less than a day before gets no day-before reminder once the
    hour-before one is due: only the nearer one is worth sending.
    """
    if now >= starts_at:
        return set()
    due: set[str] = set()
    if not hour_sent and now >= starts_at - HOUR_BEFORE:
        due.add("hour")
    elif not day_sent and not hour_sent and now >= starts_at - DAY_BEFORE:
        due.add("day")
    return due
