"""Report periods parsed from what officers type, in the commune's time zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.i18n import use_language
from bot.people.citizens import subscription_event
from bot.reports.decree_form import decree_date
from bot.reports.duty_drafts import covered_period
from bot.reports.labels import DAYS, PERCENT, RATING, describe_period, fmt_value
from bot.reports.period import (
    PeriodError,
    PeriodKind,
    parse_period,
    previous_month,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("text", "kind", "first", "last", "key"),
    [
        ("2026-03", PeriodKind.MONTH, date(2026, 3, 1), date(2026, 3, 31), "2026-03"),
        ("2026-02", PeriodKind.MONTH, date(2026, 2, 1), date(2026, 2, 28), "2026-02"),
        ("2028-02", PeriodKind.MONTH, date(2028, 2, 1), date(2028, 2, 29), "2028-02"),
        ("2026-Q3", PeriodKind.QUARTER, date(2026, 7, 1), date(2026, 9, 30), "2026-Q3"),
        ("2026-q4", PeriodKind.QUARTER, date(2026, 10, 1), date(2026, 12, 31), "2026-Q4"),
        ("2026-H1", PeriodKind.HALF, date(2026, 1, 1), date(2026, 6, 30), "2026-H1"),
        ("2026-H2", PeriodKind.HALF, date(2026, 7, 1), date(2026, 12, 31), "2026-H2"),
        ("2026", PeriodKind.YEAR, date(2026, 1, 1), date(2026, 12, 31), "2026"),
        (
            "2026-01-15..2026-03-31",
            PeriodKind.RANGE,
            date(2026, 1, 15),
            date(2026, 3, 31),
            "2026-01-15..2026-03-31",
        ),
        ("tháng 3/2026", PeriodKind.MONTH, date(2026, 3, 1), date(2026, 3, 31), "2026-03"),
        ("Tháng 12 năm 2025", PeriodKind.MONTH, date(2025, 12, 1), date(2025, 12, 31), "2025-12"),
        ("T3/2026", PeriodKind.MONTH, date(2026, 3, 1), date(2026, 3, 31), "2026-03"),
        ("3/2026", PeriodKind.MONTH, date(2026, 3, 1), date(2026, 3, 31), "2026-03"),
        ("quý 3/2026", PeriodKind.QUARTER, date(2026, 7, 1), date(2026, 9, 30), "2026-Q3"),
        ("Quý III năm 2026", PeriodKind.QUARTER, date(2026, 7, 1), date(2026, 9, 30), "2026-Q3"),
        ("quy 1 nam 2026", PeriodKind.QUARTER, date(2026, 1, 1), date(2026, 3, 31), "2026-Q1"),
        ("6 tháng đầu năm 2026", PeriodKind.HALF, date(2026, 1, 1), date(2026, 6, 30), "2026-H1"),
        ("6 thang cuoi nam 2026", PeriodKind.HALF, date(2026, 7, 1), date(2026, 12, 31), "2026-H2"),
        ("năm 2026", PeriodKind.YEAR, date(2026, 1, 1), date(2026, 12, 31), "2026"),
        (
            "từ 15/01/2026 đến 31/03/2026",
            PeriodKind.RANGE,
            date(2026, 1, 15),
            date(2026, 3, 31),
            "2026-01-15..2026-03-31",
        ),
        (
            "Từ ngày 1/2/2026 đến ngày 28/2/2026",
            PeriodKind.RANGE,
            date(2026, 2, 1),
            date(2026, 2, 28),
            "2026-02-01..2026-02-28",
        ),
        # Decomposed (NFD) diacritics from some keyboards read the same.
        (
            "qu\u0079\u0301 2/2026",
            PeriodKind.QUARTER,
            date(2026, 4, 1),
            date(2026, 6, 30),
            "2026-Q2",
        ),
    ],
)
def test_periods_officers_type(text, kind, first, last, key) -> None:
    period = parse_period(text, TZ)
    assert (period.kind, period.first_day, period.last_day, period.key) == (kind, first, last, key)
    assert parse_period(period.key, TZ) == period
    # Aware bounds in the commune's time zone: midnight in Hà Nội, 17:00 UTC the day before.
    assert period.start == datetime(first.year, first.month, first.day, tzinfo=TZ)
    assert period.start.utcoffset() is not None and period.end > period.start


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no period given"),
        ("2026-13", "there is no month 13"),
        ("2026-Q5", "cannot read"),
        ("quý 5/2026", "cannot read"),
        ("hôm qua", "cannot read"),
        ("1999", "outside 2000-2100"),
        ("2026-03-31..2026-01-01", "ends (2026-01-01) before it starts"),
        ("31/02/2026-01/03/2026", "31/02/2026 is not a date"),
    ],
)
def test_wrong_periods_are_refused_with_a_reason(text, message) -> None:
    with pytest.raises(PeriodError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_period(text, TZ)


def test_the_period_ends_at_midnight_in_the_commune() -> None:
    q3 = parse_period("2026-Q3", TZ)
    assert q3.end == datetime(2026, 9, 30, 17, 0, tzinfo=UTC)
    assert q3.contains(datetime(2026, 6, 30, 17, 30, tzinfo=UTC))  # 00:30 on 1 July in Hà Nội
    assert not q3.contains(datetime(2026, 6, 30, 16, 30, tzinfo=UTC))


def test_months_of_a_period_are_cut_to_its_days() -> None:
    months = parse_period("15/01/2026-10/03/2026", TZ).months()
    assert [(m.first_day, m.last_day) for m in months] == [
        (date(2026, 1, 15), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 10)),
    ]
    assert [m.kind for m in months] == [PeriodKind.RANGE, PeriodKind.MONTH, PeriodKind.RANGE]


def test_the_default_is_last_month() -> None:
    # 17:30 UTC on 1 March is 00:30 on 2 March in Hà Nội: still March, so February.
    assert previous_month(datetime(2026, 3, 1, 17, 30, tzinfo=UTC), TZ).key == "2026-02"
    assert previous_month(datetime(2026, 1, 10, tzinfo=UTC), TZ).key == "2025-12"


# An officer reporting on 30/11/2026, and one reporting early in January 2027.
NOV_30, JAN_5 = date(2026, 11, 30), date(2027, 1, 5)


@pytest.mark.parametrize(
    ("text", "today", "key"),
    [
        ("quy 4", NOV_30, "2026-Q4"),
        ("quý IV", NOV_30, "2026-Q4"),
        ("Q4", NOV_30, "2026-Q4"),
        ("quy 4", JAN_5, "2026-Q4"),
        ("quý 1", JAN_5, "2027-Q1"),
        ("tháng 11", NOV_30, "2026-11"),
        ("t12", NOV_30, "2025-12"),
        ("tháng 12", JAN_5, "2026-12"),
        ("6 tháng đầu năm", NOV_30, "2026-H1"),
        ("6 thang cuoi nam", NOV_30, "2026-H2"),
        ("6 tháng cuối", JAN_5, "2026-H2"),
        ("tháng này", NOV_30, "2026-11"),
        ("tháng trước", NOV_30, "2026-10"),
        ("tháng trước", JAN_5, "2026-12"),
        ("quý này", NOV_30, "2026-Q4"),
        ("quý trước", NOV_30, "2026-Q3"),
        ("quý trước", JAN_5, "2026-Q4"),
        ("năm nay", NOV_30, "2026"),
        ("năm ngoái", JAN_5, "2026"),
        ("quý 4 2026", NOV_30, "2026-Q4"),
        ("quý 4 năm 2025", NOV_30, "2025-Q4"),
        ("tháng 3 2026", NOV_30, "2026-03"),
    ],
)
def test_a_period_without_a_year_is_the_current_or_just_finished_one(
    text: str, today: date, key: str
) -> None:
    assert parse_period(text, TZ, today=today).key == key


def test_a_period_without_a_year_needs_to_know_the_day() -> None:
    with pytest.raises(PeriodError):
        parse_period("quy 4", TZ)
    with pytest.raises(PeriodError, match="month 13"):
        parse_period("tháng 13", TZ, today=NOV_30)


@pytest.mark.parametrize(
    ("text", "vietnamese"),
    [
        ("2026-03", "tháng 3 năm 2026"),
        ("2026-Q3", "quý III năm 2026"),
        ("2026-H1", "6 tháng đầu năm 2026"),
        ("2026-H2", "6 tháng cuối năm 2026"),
        ("2026", "năm 2026"),
        ("2026-01-15..2026-03-31", "từ ngày 15/01/2026 đến ngày 31/03/2026"),
    ],
)
def test_periods_in_words(text, vietnamese) -> None:
    with use_language("vi"):
        assert describe_period(parse_period(text, TZ)) == vietnamese


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (date(2026, 3, 2), ("02", "3", "2026")),
        (date(2026, 1, 15), ("15", "01", "2026")),
        (date(2026, 2, 9), ("09", "02", "2026")),
        (date(2026, 12, 31), ("31", "12", "2026")),
    ],
)
def test_dates_as_decree_30_writes_them(day, written) -> None:
    assert decree_date(day) == written


def test_values_are_written_the_vietnamese_way() -> None:
    with use_language("vi"):
        assert fmt_value(1234) == "1.234"
        assert fmt_value(0.9, PERCENT) == "90%"
        assert fmt_value(2 / 3, PERCENT) == "66,7%"
        assert fmt_value(4.4, RATING) == "4,4/5"
        assert fmt_value(3.5, DAYS) == "3,5 ngày làm việc"
        assert fmt_value(None, PERCENT) == "chưa phát sinh"


@pytest.mark.parametrize(
    ("before", "after", "event"),
    [
        ((True, False), (False, False), "unsubscribed"),
        ((True, False), (True, True), "blocked"),
        ((False, False), (True, False), "subscribed"),
        ((True, True), (True, False), "subscribed"),  # unblocked while subscribed
        ((False, False), (False, True), None),  # blocked after /stop: nothing changes
        ((True, True), (False, True), None),
        ((False, True), (True, True), None),  # /start is not possible while blocked
        ((True, False), (True, False), None),
    ],
)
def test_only_a_change_of_reachability_is_an_event(before, after, event) -> None:
    assert subscription_event(before, after) == event


@pytest.mark.parametrize(
    ("kind", "due", "expected"),
    [
        ("month", date(2026, 3, 25), "2026-03"),
        ("quarter", date(2026, 12, 15), "2026-Q4"),
        ("quarter", date(2026, 4, 1), "2026-Q2"),
        ("half_year", date(2026, 6, 20), "2026-H1"),
        ("half_year", date(2026, 7, 1), "2026-H2"),
        ("year", date(2026, 11, 30), "2026"),
    ],
)
def test_a_reporting_duty_covers_the_period_it_falls_in(
    kind: str, due: date, expected: str
) -> None:
    assert covered_period(kind, due, ZoneInfo("Asia/Ho_Chi_Minh")).key == expected


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("2026-03", "March 2026"),
        ("2026-12", "December 2026"),
        ("2026-Q3", "quarter III of 2026"),
        ("2026", "the year 2026"),
    ],
)
def test_periods_in_english_words(text, english) -> None:
    with use_language("en"):
        assert describe_period(parse_period(text, TZ)) == english
