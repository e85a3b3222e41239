"""Table tests of the pure reception rules: slots, days, queue numbers, reminders, settings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.core.config import ConfigError
from bot.core.workdays import WorkCalendar
from bot.reception.actions import day_number, day_of
from bot.reception.model import parse_code
from bot.reception.rules import (
    DayChange,
    ReceptionOptions,
    bookable,
    day_slots,
    queue_number,
    reception_days,
    reminders_due,
)


@pytest.mark.parametrize(
    ("start", "end", "minutes", "expected"),
    [
        (
            time(7, 30),
            time(11, 0),
            30,
            ["07:30", "08:00", "08:30", "09:00", "09:30", "10:00", "10:30"],
        ),
        (time(7, 30), time(11, 0), 60, ["07:30", "08:30", "09:30"]),  # 10:30-11:30 does not fit
        (time(8, 0), time(8, 20), 30, []),
        (time(13, 0), time(14, 0), 20, ["13:00", "13:20", "13:40"]),
    ],
)
def test_slots_fill_the_hours_and_drop_a_short_last_one(
    start: time, end: time, minutes: int, expected: list[str]
) -> None:
    assert [f"{s.start:%H:%M}" for s in day_slots(start, end, minutes)] == expected


THU = date(2026, 3, 5)
REGULAR = [THU + timedelta(weeks=w) for w in range(4)]


@pytest.mark.parametrize(
    ("changes", "first", "count", "expected"),
    [
        ({}, THU, 2, [THU, date(2026, 3, 12)]),
        ({}, date(2026, 3, 6), 1, [date(2026, 3, 12)]),
        ({THU: DayChange.CANCELLED}, THU, 2, [date(2026, 3, 12), date(2026, 3, 19)]),
        ({date(2026, 3, 10): DayChange.EXTRA}, THU, 3, [THU, date(2026, 3, 10), date(2026, 3, 12)]),
        # An extra day on a Sunday, or one already past, is not offered.
        ({date(2026, 3, 8): DayChange.EXTRA, date(2026, 3, 3): DayChange.EXTRA}, THU, 1, [THU]),
    ],
)
def test_reception_days_are_the_regular_ones_changed_by_officers(
    changes: dict[date, DayChange], first: date, count: int, expected: list[date]
) -> None:
    assert reception_days(REGULAR, changes, WorkCalendar(), first, count) == expected


def test_an_extra_day_on_a_public_holiday_is_skipped() -> None:
    holiday = date(2026, 4, 30)  # Reunification Day
    assert reception_days([], {holiday: DayChange.EXTRA}, WorkCalendar(), holiday, 1) == []


def test_only_slots_not_begun_are_bookable() -> None:
    slots = day_slots(time(7, 30), time(9, 0), 30)
    tz = UTC
    at = datetime(2026, 3, 5, 8, 0, tzinfo=tz)
    assert [s.index for s in bookable(THU, slots, at, tz)] == [2]
    assert [s.index for s in bookable(THU, slots, at - timedelta(days=1), tz)] == [0, 1, 2]


@pytest.mark.parametrize(
    ("slot", "seat", "per_slot", "number"),
    [(0, 1, 3, 1), (0, 3, 3, 3), (1, 1, 3, 4), (6, 2, 3, 20), (2, 1, 1, 3)],
)
def test_queue_numbers_run_slot_by_slot(slot: int, seat: int, per_slot: int, number: int) -> None:
    assert queue_number(slot, seat, per_slot) == number


START = datetime(2026, 3, 5, 7, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("before", "day_sent", "hour_sent", "due"),
    [
        (timedelta(days=2), False, False, set()),
        (timedelta(days=1, minutes=1), False, False, set()),
        (timedelta(days=1), False, False, {"day"}),
        (timedelta(hours=5), False, False, {"day"}),
        (timedelta(hours=5), True, False, set()),
        (timedelta(hours=1, minutes=1), True, False, set()),
        (timedelta(hours=1), True, False, {"hour"}),
        (timedelta(minutes=30), False, False, {"hour"}),  # booked late: only the nearer one
        (timedelta(minutes=30), True, True, set()),
        (timedelta(0), False, False, set()),  # begun: no reminder any more
    ],
)
def test_reminders_fall_due_a_day_and_an_hour_before(
    before: timedelta, day_sent: bool, hour_sent: bool, due: set[str]
) -> None:
    assert reminders_due(START, START - before, day_sent, hour_sent) == due


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        ({"per_slot": 0}, "[reception] per_slot"),
        ({"slot_minutes": "30"}, "[reception] slot_minutes"),
        ({"open_per_citizen": True}, "[reception] open_per_citizen"),
        ({"slots": 3}, "[reception] slots"),
    ],
)
def test_bad_settings_are_named(section: dict[str, object], problem: str) -> None:
    with pytest.raises(ConfigError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        ReceptionOptions.from_section(section)


@pytest.mark.parametrize(
    ("text", "booking_id"),
    [("TD-0042", 42), ("td42", 42), (" TD-7 ", 7), ("TD-", None), ("AB-0042", None)],
)
def test_booking_codes(text: str, booking_id: int | None) -> None:
    assert parse_code(text) == booking_id


def test_a_day_travels_in_a_button_as_a_number() -> None:
    assert day_number(THU) == 20260305 and day_of(20260305) == THU
    with pytest.raises(ValueError):
        day_of(20261399)
