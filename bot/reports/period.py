"""Report periods (month, quarter, half year, year, from-to) parsed from what officers type."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

_FIRST_YEAR, _LAST_YEAR = 2000, 2100
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_DATE = r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})"
_RANGE_SEPARATOR = r"\s*(?:\.\.|–|—|den(?:\s+ngay)?|to|-)\s*"


class PeriodError(ValueError):
    """The text is not a period we understand; the message says why."""


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    RANGE = "range"


@dataclass(frozen=True)
class Period:
    """Whole days from `first_day` to `last_day` inclusive, in the commune's time zone."""

    kind: PeriodKind
    first_day: date
    last_day: date
    tz: tzinfo

    @property
    def start(self) -> datetime:
        """The first moment of the period (aware)."""
        return datetime.combine(self.first_day, time(0), self.tz)

    @property
    def end(self) -> datetime:
        """The first moment after the period (aware, exclusive)."""
        return datetime.combine(self.last_day + timedelta(days=1), time(0), self.tz)

    @property
    def year(self) -> int:
        return self.first_day.year

    @property
    def number(self) -> int:
        """The month (1-12), quarter (1-4) or half (1-2) within the year; 0 otherwise."""
        if self.kind is PeriodKind.MONTH:
            return self.first_day.month
        if self.kind is PeriodKind.QUARTER:
            return (self.first_day.month - 1) // 3 + 1
        if self.kind is PeriodKind.HALF:
            return 1 if self.first_day.month == 1 else 2
        return 0

    @property
    def key(self) -> str:
        """The canonical text form, which `parse_period` reads back."""
        y = self.year
        return {
            PeriodKind.MONTH: f"{y}-{self.number:02d}",
            PeriodKind.QUARTER: f"{y}-Q{self.number}",
            PeriodKind.HALF: f"{y}-H{self.number}",
            PeriodKind.YEAR: f"{y}",
            PeriodKind.RANGE: f"{self.first_day.isoformat()}..{self.last_day.isoformat()}",
        }[self.kind]

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def months(self) -> list[Period]:
        """The calendar months this period touches, each cut to the period's days."""
        result = []
        day = self.first_day.replace(day=1)
        while day <= self.last_day:
            month = month_period(day.year, day.month, self.tz)
            first, last = max(month.first_day, self.first_day), min(month.last_day, self.last_day)
            kind = PeriodKind.MONTH if (first, last) == (month.first_day, month.last_day) else None
            result.append(Period(kind or PeriodKind.RANGE, first, last, self.tz))
            day = month.last_day + timedelta(days=1)
        return result


def month_period(year: int, month: int, tz: tzinfo) -> Period:
    _check_year(year)
    if not 1 <= month <= 12:
        raise PeriodError(f"there is no month {month}")
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return Period(PeriodKind.MONTH, first, following - timedelta(days=1), tz)


def quarter_period(year: int, quarter: int, tz: tzinfo) -> Period:
    if not 1 <= quarter <= 4:
        raise PeriodError(f"there is no quarter {quarter}")
    first, last = month_period(year, quarter * 3 - 2, tz), month_period(year, quarter * 3, tz)
    return Period(PeriodKind.QUARTER, first.first_day, last.last_day, tz)


def half_period(year: int, half: int, tz: tzinfo) -> Period:
    if half not in (1, 2):
        raise PeriodError(f"there is no half year {half}")
    _check_year(year)
    first, last = (
        (date(year, 1, 1), date(year, 6, 30))
        if half == 1
        else (
            date(year, 7, 1),
            date(year, 12, 31),
        )
    )
    return Period(PeriodKind.HALF, first, last, tz)


def year_period(year: int, tz: tzinfo) -> Period:
    _check_year(year)
    return Period(PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31), tz)


def range_period(first: date, last: date, tz: tzinfo) -> Period:
    _check_year(first.year)
    _check_year(last.year)
    if last < first:
        raise PeriodError(f"the period ends ({last}) before it starts ({first})")
    return Period(PeriodKind.RANGE, first, last, tz)


def month_of(moment: datetime, tz: tzinfo) -> Period:
    """The month a moment falls in, in the commune's time zone."""
    local = moment.astimezone(tz)
    return month_period(local.year, local.month, tz)


def previous_month(moment: datetime, tz: tzinfo) -> Period:
    """The last whole month before the one `moment` falls in: the usual monthly report."""
    first = month_of(moment, tz).first_day - timedelta(days=1)
    return month_period(first.year, first.month, tz)


def year_of(moment: datetime, tz: tzinfo) -> Period:
    return year_period(moment.astimezone(tz).year, tz)


def parse_period(text: str, tz: tzinfo, today: date | None = None) -> Period:
    """Read `2026-03`, `2026-Q3`, `2026-H1`, `2026`, `2026-01-15..2026-03-31`, or the
    Vietnamese forms officers type: `tháng 3/2026`, `quý III/2026`, `6 tháng đầu năm 2026`,
    `năm 2026`, `từ 15/01/2026 đến 31/03/2026` (diacritics optional).

    Given `today`, a month, quarter or half without a year (`quy 4`, `tháng 11`, `q4`,
    `6 tháng đầu năm`) is the current one if it has begun, else last year's: the one an
    officer reporting now means. `tháng này`, `tháng trước`, `quý này`, `quý trước`,
    `năm nay` and `năm ngoái` count from `today` too.
    """
    folded = _fold(text)
    if not folded:
        raise PeriodError("no period given")
    for pattern, build in _PATTERNS:
        match = pattern.fullmatch(folded)
        if match:
            return build(match, tz)
    if today is not None:
        for pattern, relative in _RELATIVE:
            match = pattern.fullmatch(folded)
            if match:
                return relative(match, today, tz)
    raise PeriodError(f"cannot read {text.strip()!r} as a period")


def _fold(text: str) -> str:
    """Lowercase, without diacritics (đ -> d), single spaces: how officers may type it."""
    decomposed = unicodedata.normalize("NFD", text.strip().lower().replace("đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain)


def _check_year(year: int) -> None:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise PeriodError(f"the year {year} is outside {_FIRST_YEAR}-{_LAST_YEAR}")


def _date(text: str) -> date:
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")))
    except ValueError:
        raise PeriodError(f"{text} is not a date") from None


def _quarter_number(text: str) -> int:
    return _ROMAN[text] if text in _ROMAN else int(text)


_YEAR_TAIL = r"(?:\s*(?:/|-|nam)\s*|\s+(?:nam\s+)?)(?P<year>\d{4})"
_Builder = Callable[[re.Match[str], tzinfo], Period]


def _month(m: re.Match[str], tz: tzinfo) -> Period:
    return month_period(int(m["year"]), int(m["n"]), tz)


def _quarter(m: re.Match[str], tz: tzinfo) -> Period:
    return quarter_period(int(m["year"]), _quarter_number(m["n"]), tz)


def _half(m: re.Match[str], tz: tzinfo) -> Period:
    return half_period(int(m["year"]), 2 if m["n"] in ("2", "cuoi") else 1, tz)


def _year(m: re.Match[str], tz: tzinfo) -> Period:
    return year_period(int(m["year"]), tz)


def _range(m: re.Match[str], tz: tzinfo) -> Period:
    return range_period(_date(m["first"]), _date(m["last"]), tz)


# Tried in order on the folded text; each must match it whole.
_PATTERNS: list[tuple[re.Pattern[str], _Builder]] = [
    (re.compile(r"(?P<year>\d{4})-(?P<n>\d{1,2})"), _month),
    (re.compile(r"(?P<year>\d{4})-q(?P<n>[1-4])"), _quarter),
    (re.compile(r"(?P<year>\d{4})-[hs](?P<n>[12])"), _half),
    (re.compile(r"(?:ca )?(?:nam )?(?P<year>\d{4})"), _year),
    (re.compile(r"(?:thang |t)?(?P<n>\d{1,2})" + _YEAR_TAIL), _month),
    (re.compile(r"quy (?P<n>[1-4]|iv|i{1,3})" + _YEAR_TAIL), _quarter),
    (
        re.compile(r"(?:6|sau) thang (?:(?P<n>dau|cuoi) )?nam (?P<year>\d{4})"),
        _half,
    ),
    (
        re.compile(
            rf"(?:tu )?(?:ngay )?(?P<first>{_DATE})"
            rf"{_RANGE_SEPARATOR}(?:ngay )?(?P<last>{_DATE})"
        ),
        _range,
    ),
]


_Relative = Callable[[re.Match[str], date, tzinfo], Period]


def _latest(build: Callable[[int], Period], today: date) -> Period:
    """This year's period if it has begun by `today`, else last year's."""
    current = build(today.year)
    return current if current.first_day <= today else build(today.year - 1)


def _month_no_year(m: re.Match[str], today: date, tz: tzinfo) -> Period:
    month = int(m["n"])
    if not 1 <= month <= 12:
        raise PeriodError(f"there is no month {month}")
    return _latest(lambda year: month_period(year, month, tz), today)


def _quarter_no_year(m: re.Match[str], today: date, tz: tzinfo) -> Period:
    quarter = _quarter_number(m["n"])
    return _latest(lambda year: quarter_period(year, quarter, tz), today)


def _half_no_year(m: re.Match[str], today: date, tz: tzinfo) -> Period:
    half = 2 if m["n"] == "cuoi" else 1
    return _latest(lambda year: half_period(year, half, tz), today)


def _this_or_last(m: re.Match[str], today: date, tz: tzinfo) -> Period:
    unit, last = m["unit"], m["when"] in ("truoc", "ngoai", "roi")
    if unit == "thang":
        first = today.replace(day=1) - timedelta(days=1) if last else today
        return month_period(first.year, first.month, tz)
    if unit == "quy":
        index = today.year * 4 + (today.month - 1) // 3 - (1 if last else 0)
        return quarter_period(index // 4, index % 4 + 1, tz)
    return year_period(today.year - (1 if last else 0), tz)


# Forms without a year, read only when the caller says what day it is.
_RELATIVE: list[tuple[re.Pattern[str], _Relative]] = [
    (re.compile(r"(?:thang |t)(?P<n>\d{1,2})"), _month_no_year),
    (re.compile(r"(?:quy |q)(?P<n>[1-4]|iv|i{1,3})"), _quarter_no_year),
    (re.compile(r"(?:6|sau) thang (?P<n>dau|cuoi)(?: nam)?"), _half_no_year),
    (re.compile(r"(?P<unit>thang|quy|nam) (?P<when>nay|truoc|ngoai|roi)"), _this_or_last),
]
