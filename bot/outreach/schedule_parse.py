"""Read the date-times officers type ("25/12 8:00", "8h sáng mai", "14h30 thứ sáu").

Pure: `parse_when(text, now, tz)` returns an aware UTC moment, or None for
"now" ("ngay", "bây giờ"), and raises WhenError otherwise. Times are the
commune's wall clock; diacritics are optional ("8h sang mai" works too).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


class WhenError(ValueError):
    """Why a typed date-time was refused: unknown | no_time | bad_date | past."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_NOW = {"ngay", "ngay bay gio", "bay gio", "gui ngay", "ngay lap tuc", "now", "right now"}
_FILLER = {"luc", "vao", "ngay", "gui", "at", "on"}
_TIME = re.compile(
    r"\b(\d{1,2})\s*(?:gio|h|g|:)\s*(\d{2})?(?:\s*(?:p|phut)\b)?(?=\s|$|[^\d/.-])|\b(\d{1,2})\s*(am|pm)\b"
)
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?\b")
_WEEKDAYS = {
    "thu hai": 0, "thu 2": 0, "t2": 0, "monday": 0,
    "thu ba": 1, "thu 3": 1, "t3": 1, "tuesday": 1,
    "thu tu": 2, "thu 4": 2, "t4": 2, "wednesday": 2,
    "thu nam": 3, "thu 5": 3, "t5": 3, "thursday": 3,
    "thu sau": 4, "thu 6": 4, "t6": 4, "friday": 4,
    "thu bay": 5, "thu 7": 5, "t7": 5, "saturday": 5,
    "chu nhat": 6, "cn": 6, "sunday": 6,
}  # fmt: skip
_DAYS = {"hom nay": 0, "nay": 0, "today": 0, "tonight": 0, "ngay mai": 1, "mai": 1,
         "tomorrow": 1, "ngay kia": 2, "ngay mot": 2, "mot": 2}  # fmt: skip
_PERIODS = {"sang": "am", "trua": "noon", "chieu": "pm", "toi": "pm", "dem": "night",
            "morning": "am", "afternoon": "pm", "evening": "pm", "am": "am", "pm": "pm"}  # fmt: skip


@dataclass
class _Parts:
    hour: int | None = None
    minute: int = 0
    period: str | None = None
    day: date | None = None
    offset: int | None = None
    weekday: int | None = None


def plain(text: str) -> str:
    """Lower case without diacritics (đ -> d), single spaces."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.replace(",", " ").split())


def parse_when(text: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """The moment meant by `text`, in UTC; None for "now"."""
    rest = plain(text)
    if rest in _NOW:
        return None
    if not rest:
        raise WhenError("unknown")
    local_now = now.astimezone(tz)
    parts = _Parts()
    rest = _take_time(rest, parts)
    rest = _take_date(rest, parts, local_now.date())
    rest = _take_words(rest, parts)
    if set(rest.split()) - _FILLER:
        raise WhenError("unknown")
    if parts.hour is None:
        raise WhenError("no_time")
    moment = _combine(parts, local_now, tz)
    if moment < now - timedelta(minutes=1):
        raise WhenError("past")
    return moment.astimezone(UTC)


def _take_time(text: str, parts: _Parts) -> str:
    match = _TIME.search(text)
    if match is None:
        return text
    if match[3]:
        hour, parts.period = int(match[3]), match[4]
    else:
        hour, parts.minute = int(match[1]), int(match[2] or 0)
    if hour > 23 or parts.minute > 59:
        raise WhenError("bad_date")
    parts.hour = hour
    return text[: match.start()] + " " + text[match.end() :]


def _take_date(text: str, parts: _Parts, today: date) -> str:
    iso = _ISO.search(text)
    match = iso or _DATE.search(text)
    if match is None:
        return text
    try:
        if iso:
            parts.day = date(int(iso[1]), int(iso[2]), int(iso[3]))
        else:
            day, month = int(match[1]), int(match[2])
            year = int(match[3]) if match[3] else today.year
            year += 2000 if year < 100 else 0
            parts.day = date(year, month, day)
            if not match[3] and parts.day < today:
                parts.day = date(year + 1, month, day)  # "25/12" typed in January: next year's
    except ValueError:
        raise WhenError("bad_date") from None
    return text[: match.start()] + " " + text[match.end() :]


def _take_words(text: str, parts: _Parts) -> str:
    padded = f" {text} "
    for table, field in ((_WEEKDAYS, "weekday"), (_DAYS, "offset"), (_PERIODS, "period")):
        for phrase in sorted(table, key=len, reverse=True):
            if f" {phrase} " in padded:
                setattr(parts, field, table[phrase])
                padded = padded.replace(f" {phrase} ", " ", 1)
                break
    return padded.strip()


def _combine(parts: _Parts, local_now: datetime, tz: ZoneInfo) -> datetime:
    assert parts.hour is not None
    hour = _with_period(parts.hour, parts.period)
    at = time(hour, parts.minute)
    if parts.day is not None:
        day = parts.day
    elif parts.weekday is not None:
        ahead = (parts.weekday - local_now.weekday()) % 7
        day = local_now.date() + timedelta(days=ahead)
        if datetime.combine(day, at, tz) <= local_now:
            day += timedelta(days=7)
    elif parts.offset is not None:
        day = local_now.date() + timedelta(days=parts.offset)
    else:  # a time alone: the next time the clock shows it
        day = local_now.date()
        if datetime.combine(day, at, tz) <= local_now:
            day += timedelta(days=1)
    return datetime.combine(day, at, tz)


def _with_period(hour: int, period: str | None) -> int:
    if period == "pm" and hour < 12:
        return hour + 12
    if period == "am" and hour == 12:
        return 0
    if period == "noon" and hour < 11:
        return hour + 12  # "1h trưa" is 13:00
    if period == "night" and 6 <= hour < 12:
        return hour + 12  # "10h đêm" is 22:00; "2h đêm" stays 02:00
    return hour
