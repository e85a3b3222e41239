"""The date-times officers type, read in the commune's time zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.outreach.schedule_parse import WhenError, parse_when

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# Monday 2 March 2026, 09:00 in Hà Nội.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=HANOI).astimezone(UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("25/12 8:00", datetime(2026, 12, 25, 8, 0)),
        ("25/12/2026 08:30", datetime(2026, 12, 25, 8, 30)),
        ("ngày 25/12 lúc 8h", datetime(2026, 12, 25, 8, 0)),
        ("1/3 8:00", datetime(2027, 3, 1, 8, 0)),  # already past this year: next year's
        ("2026-04-30 07:00", datetime(2026, 4, 30, 7, 0)),
        ("8h sáng mai", datetime(2026, 3, 3, 8, 0)),
        ("8h sang mai", datetime(2026, 3, 3, 8, 0)),  # without diacritics
        ("8 giờ sáng mai", datetime(2026, 3, 3, 8, 0)),
        ("3h chiều mai", datetime(2026, 3, 3, 15, 0)),
        ("20h tối nay", datetime(2026, 3, 2, 20, 0)),
        ("7h tối nay", datetime(2026, 3, 2, 19, 0)),
        ("10h đêm nay", datetime(2026, 3, 2, 22, 0)),
        ("1h trưa mai", datetime(2026, 3, 3, 13, 0)),
        ("14h30 thứ sáu", datetime(2026, 3, 6, 14, 30)),
        ("14h30 thứ 6", datetime(2026, 3, 6, 14, 30)),
        ("9h chủ nhật", datetime(2026, 3, 8, 9, 0)),
        ("8h thứ hai", datetime(2026, 3, 9, 8, 0)),  # Monday 08:00 has passed: next week's
        ("10h thứ hai", datetime(2026, 3, 2, 10, 0)),  # later today
        ("8h ngày kia", datetime(2026, 3, 4, 8, 0)),
        ("14:30", datetime(2026, 3, 2, 14, 30)),
        ("8:30", datetime(2026, 3, 3, 8, 30)),  # a time alone that has passed: tomorrow
        ("tomorrow 8:00", datetime(2026, 3, 3, 8, 0)),
        ("friday 2pm", datetime(2026, 3, 6, 14, 0)),
    ],
)
def test_officers_forms_are_read_in_commune_time(typed: str, expected: datetime) -> None:
    assert parse_when(typed, NOW, HANOI) == expected.replace(tzinfo=HANOI).astimezone(UTC)


@pytest.mark.parametrize("typed", ["ngay", "ngay bây giờ", "Ngay bây giờ", "bây giờ", "now"])
def test_now_is_none(typed: str) -> None:
    assert parse_when(typed, NOW, HANOI) is None


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("25/12", "no_time"),
        ("thứ sáu", "no_time"),
        ("31/2 8:00", "bad_date"),
        ("25h", "bad_date"),
        ("8:75", "bad_date"),
        ("1/3/2026 8:00", "past"),
        ("hôm qua 8h", "unknown"),
        ("khi nào rảnh", "unknown"),
        ("", "unknown"),
    ],
)
def test_what_cannot_be_used_says_why(typed: str, reason: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(typed, NOW, HANOI)
    assert caught.value.reason == reason
