"""Working-day arithmetic, with Tết and substitute days off."""

from datetime import date

import pytest

from bot.core.workdays import WorkCalendar

CAL = WorkCalendar()


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 3, 2), 0, date(2026, 3, 2)),  # nothing to add
        (date(2026, 3, 2), 1, date(2026, 3, 3)),  # Monday -> Tuesday
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday -> Monday
        (date(2026, 3, 2), 10, date(2026, 3, 16)),  # two weeks
        (date(2026, 2, 13), 1, date(2026, 2, 23)),  # Tết 2026: 16-20 Feb off
        (date(2026, 2, 12), 10, date(2026, 3, 5)),  # ten working days over Tết
        (date(2026, 4, 24), 1, date(2026, 4, 28)),  # Hùng Kings' day and its substitute
        (date(2026, 4, 29), 1, date(2026, 5, 4)),  # 30/4 and 1/5, then the weekend
        (date(2026, 8, 28), 1, date(2026, 9, 3)),  # substitute 31/8, National Day 1-2/9
        (date(2027, 2, 3), 1, date(2027, 2, 11)),  # Tết 2027
    ],
)
def test_add_working_days(start: date, count: int, expected: date) -> None:
    assert CAL.add_working_days(start, count) == expected


def test_weekends_and_holidays_are_not_working_days() -> None:
    assert not CAL.is_working_day(date(2026, 3, 7))  # Saturday
    assert not CAL.is_working_day(date(2026, 2, 17))  # first day of Tết
    assert not CAL.is_working_day(date(2026, 9, 2))  # National Day
    assert CAL.is_working_day(date(2026, 3, 4))


def test_local_holidays_and_swapped_workdays() -> None:
    cal = WorkCalendar(extra_holidays=[date(2026, 3, 4)], extra_workdays=[date(2026, 3, 7)])
    assert not cal.is_working_day(date(2026, 3, 4))
    assert cal.is_working_day(date(2026, 3, 7))


def test_previous_and_next_working_day() -> None:
    assert CAL.previous_working_day(date(2026, 2, 18)) == date(2026, 2, 13)
    assert CAL.next_working_day(date(2026, 2, 18)) == date(2026, 2, 23)
    assert CAL.previous_working_day(date(2026, 3, 4)) == date(2026, 3, 4)


def test_working_days_between() -> None:
    assert CAL.working_days_between(date(2026, 3, 2), date(2026, 3, 16)) == 10
    assert CAL.working_days_between(date(2026, 3, 16), date(2026, 3, 2)) == -10
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2026, 3, 2), -1)
