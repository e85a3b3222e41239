"""Due moments and reminder times of duties: pure rules, checked against a table."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.workdays import WorkCalendar
from bot.duties.recurrence import (
    Recurrence,
    WorkingDayRule,
    following,
    next_due,
    parse_offset,
    reminder_slots,
)

HN = ZoneInfo("Asia/Ho_Chi_Minh")
WORK = WorkCalendar()
PREV, NEXT, NONE = WorkingDayRule.PREVIOUS, WorkingDayRule.NEXT, WorkingDayRule.NONE


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=HN)


def monthly(day: int, at: time = time(16, 0)) -> Recurrence:
    return Recurrence(every="month", day=day, time=at)


# (case, recurrence, working-day rule, "after" moment, expected due, local)
NEXT_DUE = [
    ("monthly on the 25th", monthly(25), PREV, local(2026, 3, 2, 9), local(2026, 3, 25, 16)),
    ("day 31 in February of a common year, the 28th a Sunday, moves to Friday",
     monthly(31), PREV, local(2027, 2, 1), local(2027, 2, 26, 16)),
    ("day 31 in February without the shift is the 28th",
     monthly(31), NONE, local(2027, 2, 1), local(2027, 2, 28, 16)),
    ("day 31 in a leap February is the 29th (a Tuesday)",
     monthly(31), PREV, local(2028, 2, 1), local(2028, 2, 29, 16)),
    ("day -1 is the month's last day", monthly(-1), PREV, local(2026, 6, 1), local(2026, 6, 30, 16)),
    ("the last day of April is Reunification Day: the 29th",
     monthly(-1), PREV, local(2026, 4, 1), local(2026, 4, 29, 16)),
    ("the 15th a Sunday goes to the previous working day",
     monthly(15), PREV, local(2026, 3, 2), local(2026, 3, 13, 16)),
    ("the 15th a Sunday goes to the next working day when asked",
     monthly(15), NEXT, local(2026, 3, 2), local(2026, 3, 16, 16)),
    ("the 15th a Sunday stays a Sunday with rule none",
     monthly(15), NONE, local(2026, 3, 2), local(2026, 3, 15, 16)),
    ("once the moment passes, the next month",
     monthly(25), PREV, local(2026, 3, 25, 16, 1), local(2026, 4, 24, 16)),
    ("weekly Thursday in Tết 2026 moves before Tết",
     Recurrence(every="week", weekday=3, time=time(17)), PREV, local(2026, 2, 12, 18),
     local(2026, 2, 13, 17)),
    ("weekly Thursday in Tết 2026 moves after Tết when asked",
     Recurrence(every="week", weekday=3, time=time(17)), NEXT, local(2026, 2, 13),
     local(2026, 2, 23, 17)),
    ("weekly Monday on Hùng Kings' observed day moves to Friday",
     Recurrence(every="week", weekday=0, time=time(9)), PREV, local(2026, 4, 21),
     local(2026, 4, 24, 9)),
    ("quarterly, first month of the quarter, the 15th",
     Recurrence(every="quarter", month=1, day=15, time=time(16)), PREV, local(2026, 3, 2),
     local(2026, 4, 15, 16)),
    ("quarterly, last month of the quarter",
     Recurrence(every="quarter", month=3, day=20, time=time(16)), PREV, local(2026, 4, 1),
     local(2026, 6, 19, 16)),  # 20 June 2026 is a Saturday
    ("six-monthly, the 10th of the 6th month, second half",
     Recurrence(every="half_year", month=6, day=10, time=time(16)), PREV, local(2026, 7, 1),
     local(2026, 12, 10, 16)),
    ("yearly on 29 February falls on the 28th in a common year (a Sunday: Friday)",
     Recurrence(every="year", month=2, day=29, time=time(16)), PREV, local(2027, 1, 1),
     local(2027, 2, 26, 16)),
    ("yearly on 29 February in a leap year",
     Recurrence(every="year", month=2, day=29, time=time(16)), PREV, local(2027, 3, 1),
     local(2028, 2, 29, 16)),
    ("yearly on 2 September, National Day, moves before the 31 August substitute day off",
     Recurrence(every="year", month=9, day=2, time=time(16)), PREV, local(2026, 1, 1),
     local(2026, 8, 28, 16)),
    ("cron every Monday 08:00, after Monday 09:00: next Monday",
     Recurrence(every="cron", cron="0 8 * * 1"), PREV, local(2026, 3, 2, 9),
     local(2026, 3, 9, 8)),
    ("cron weekdays count from Sunday = 0, as in crontab",
     Recurrence(every="cron", cron="0 8 * * 0"), NONE, local(2026, 3, 2, 9),
     local(2026, 3, 8, 8)),
    ("cron weekday ranges: Monday to Friday",
     Recurrence(every="cron", cron="0 7 * * 1-5"), PREV, local(2026, 3, 6, 8),
     local(2026, 3, 9, 7)),
    ("cron on a Sunday moves to Friday, keeping its time",
     Recurrence(every="cron", cron="30 10 15 3 *"), PREV, local(2026, 3, 1),
     local(2026, 3, 13, 10, 30)),
    ("midnight edge: one minute before 00:15 local on the 25th",
     monthly(25, time(0, 15)), PREV, datetime(2026, 3, 24, 17, 14, tzinfo=UTC),
     local(2026, 3, 25, 0, 15)),
    ("midnight edge: one minute after, the next month's (25 April a Saturday: Friday)",
     monthly(25, time(0, 15)), PREV, datetime(2026, 3, 24, 17, 16, tzinfo=UTC),
     local(2026, 4, 24, 0, 15)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("recurrence", "rule", "after", "expected"),
    [case[1:] for case in NEXT_DUE],
    ids=[case[0] for case in NEXT_DUE],
)
def test_next_due(recurrence, rule, after, expected) -> None:
    found = next_due(recurrence, rule, after.astimezone(UTC), HN, WORK)
    assert found.due == expected.astimezone(UTC)
    assert found.due.tzinfo is UTC


def test_period_key_is_the_nominal_moment_and_following_moves_on() -> None:
    rec = monthly(15)
    first = next_due(rec, PREV, local(2026, 3, 2).astimezone(UTC), HN, WORK)
    assert first.key == datetime(2026, 3, 15, 16, 0)  # nominal Sunday, naive local
    second = following(rec, PREV, first.key, HN, WORK)
    assert second.key == datetime(2026, 4, 15, 16, 0)
    assert second.due == local(2026, 4, 15, 16).astimezone(UTC)


def test_weekly_periods_around_tet_never_repeat_a_key() -> None:
    rec = Recurrence(every="week", weekday=3, time=time(17))
    keys, occ = [], next_due(rec, PREV, local(2026, 2, 1).astimezone(UTC), HN, WORK)
    for _ in range(5):
        keys.append(occ.key.date())
        occ = following(rec, PREV, occ.key, HN, WORK)
    assert keys == [date(2026, 2, 5), date(2026, 2, 12), date(2026, 2, 19), date(2026, 2, 26),
                    date(2026, 3, 5)]  # fmt: skip


DUE = local(2026, 3, 25, 16).astimezone(UTC)  # a Wednesday
BEFORE = (("5d", timedelta(days=5)), ("1d", timedelta(days=1)), ("8h", timedelta(hours=8)))

# (case, until, expected slots as (key, local moment))
SLOTS = [
    ("nothing before the first reminder", local(2026, 3, 20, 15, 59), []),
    ("the first reminder at its exact moment", local(2026, 3, 20, 16),
     [("before:5d", local(2026, 3, 20, 16))]),
    ("all reminders before the due moment", local(2026, 3, 25, 16),
     [("before:5d", local(2026, 3, 20, 16)), ("before:1d", local(2026, 3, 24, 16)),
      ("before:8h", local(2026, 3, 25, 8))]),
    ("then one a working day, weekend skipped", local(2026, 3, 30, 16),
     [("before:5d", local(2026, 3, 20, 16)), ("before:1d", local(2026, 3, 24, 16)),
      ("before:8h", local(2026, 3, 25, 8)), ("overdue:2026-03-26", local(2026, 3, 26, 16)),
      ("overdue:2026-03-27", local(2026, 3, 27, 16)), ("overdue:2026-03-30", local(2026, 3, 30, 16))]),
]  # fmt: skip


@pytest.mark.parametrize(("until", "expected"), [c[1:] for c in SLOTS], ids=[c[0] for c in SLOTS])
def test_reminder_slots(until, expected) -> None:
    slots = reminder_slots(DUE, BEFORE, until.astimezone(UTC), HN, WORK)
    assert [(s.key, s.at) for s in slots] == [(k, m.astimezone(UTC)) for k, m in expected]
    assert all(s.overdue == s.key.startswith("overdue:") for s in slots)


def test_overdue_reminders_skip_tet() -> None:
    due = local(2026, 2, 13, 16).astimezone(UTC)  # the Friday before Tết 2026
    slots = reminder_slots(due, (), local(2026, 2, 24, 16).astimezone(UTC), HN, WORK)
    assert [s.key for s in slots] == ["overdue:2026-02-23", "overdue:2026-02-24"]


def test_a_day_before_a_just_after_midnight_deadline_is_the_previous_evening_local() -> None:
    due = local(2026, 3, 25, 0, 15).astimezone(UTC)  # 17:15 UTC on the 24th
    slots = reminder_slots(due, (("1d", timedelta(days=1)),), due, HN, WORK)
    assert [s.at for s in slots] == [local(2026, 3, 24, 0, 15).astimezone(UTC)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7d", timedelta(days=7)), ("9h", timedelta(hours=9)), ("30m", timedelta(minutes=30)),
     ("0d", timedelta(0)), (" 1D ", timedelta(days=1))],
)  # fmt: skip
def test_parse_offset(text, expected) -> None:
    assert parse_offset(text) == expected


@pytest.mark.parametrize("text", ["", "d", "7", "7w", "-1d", "1.5d"])
def test_parse_offset_refuses(text) -> None:
    with pytest.raises(ValueError):
        parse_offset(text)
