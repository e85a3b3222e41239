"""The one date style of chat texts, in both languages (`bot.core.dates`)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.dates import capitalized, clock, long_date, moment_text, short_date, weekday
from bot.core.i18n import use_language

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("vi", date(2026, 11, 30), "thứ Hai 30/11/2026"),
        ("vi", date(2026, 12, 5), "thứ Bảy 05/12/2026"),
        ("vi", date(2026, 12, 6), "Chủ nhật 06/12/2026"),
        ("en", date(2026, 11, 30), "Monday 30/11/2026"),
        ("en", date(2026, 12, 6), "Sunday 06/12/2026"),
    ],
)
def test_long_date(language: str, day: date, expected: str) -> None:
    with use_language(language):
        assert long_date(day) == expected


@pytest.mark.parametrize(
    ("language", "moment", "expected"),
    [
        # 09:00 UTC is 16:00 in the commune.
        ("vi", datetime(2026, 11, 30, 9, 0, tzinfo=UTC), "16:00, thứ Hai 30/11/2026"),
        ("en", datetime(2026, 11, 30, 9, 0, tzinfo=UTC), "16:00, Monday 30/11/2026"),
        # Late evening UTC is already the next day in Vietnam.
        ("vi", datetime(2026, 12, 1, 17, 5, tzinfo=UTC), "00:05, thứ Tư 02/12/2026"),
    ],
)
def test_moment_text(language: str, moment: datetime, expected: str) -> None:
    with use_language(language):
        assert moment_text(moment, TZ) == expected


def test_short_forms() -> None:
    assert short_date(date(2026, 1, 2)) == "02/01/2026"
    assert clock(datetime(2026, 1, 2, 0, 7, tzinfo=UTC), TZ) == "07:07"


def test_every_weekday_has_both_languages() -> None:
    week = [date(2026, 11, d) for d in range(23, 30)]
    with use_language("vi"):
        names = [weekday(d) for d in week]
    assert names == ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]


def test_a_date_opening_a_label_or_sentence_is_capitalized() -> None:
    with use_language("vi"):
        assert capitalized(long_date(date(2026, 3, 5))) == "Thứ Năm 05/03/2026"
        assert capitalized(long_date(date(2026, 3, 8))) == "Chủ nhật 08/03/2026"
