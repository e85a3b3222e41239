"""The duty calendar: which recurring duties each role owes, loaded and checked at start."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.config import LANGUAGES, ConfigError, nfc
from bot.duties.recurrence import Recurrence, WorkingDayRule, cron_trigger, parse_offset
from bot.people.officers import Role, UnknownRole

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_KEYS = {
    "id", "vi", "en", "role", "every", "weekday", "month", "day", "time", "cron",
    "remind", "escalate_after", "working_day", "report",
}  # fmt: skip
# A reporting duty names the period its draft report covers.
REPORT_PERIODS = ("month", "quarter", "half_year", "year")
_MONTH_LIMIT = {"quarter": 3, "half_year": 6, "year": 12}


@dataclass(frozen=True)
class Duty:
    """A recurring duty of one role, with its reminders and escalation."""

    id: str
    names: Mapping[str, str]
    role: Role
    recurrence: Recurrence
    reminders: tuple[tuple[str, timedelta], ...]
    escalate_after: timedelta | None
    working_day: WorkingDayRule
    report: str | None = None  # one of REPORT_PERIODS: its reminders carry the draft

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["vi"]


@dataclass(frozen=True)
class DutyCalendar:
    """Every duty, in the order of the calendar file."""

    duties: tuple[Duty, ...]

    def get(self, duty_id: str) -> Duty | None:
        return next((d for d in self.duties if d.id == duty_id), None)

    def for_roles(self, roles: frozenset[Role]) -> list[Duty]:
        return [d for d in self.duties if d.role in roles]


def load_calendar(path: Path, default_rule: WorkingDayRule, tz: ZoneInfo) -> DutyCalendar:
    """Read and validate a calendar file; ConfigError names the duty and key at fault."""
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except OSError as exc:
        raise ConfigError("[duties] calendar", f"cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("[duties] calendar", f"{path} is not valid TOML: {exc}") from None
    entries = raw.get("duty")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(path.name, "needs at least one [[duty]] table")
    duties = tuple(
        _duty(path.name, index, item, default_rule, tz) for index, item in enumerate(entries, 1)
    )
    ids = [d.id for d in duties]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        raise ConfigError(f"{path.name} duty {duplicate!r}", "the id is used twice")
    return DutyCalendar(duties)


def _duty(file: str, index: int, item: Any, default_rule: WorkingDayRule, tz: ZoneInfo) -> Duty:
    if not isinstance(item, dict):
        raise ConfigError(f"{file} duty #{index}", "must be a table")
    duty_id = str(item.get("id", "")).strip()
    if not _ID_RE.match(duty_id):
        raise ConfigError(f"{file} duty #{index} id", "lowercase letters, digits, - or _ needed")

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{file} duty {duty_id!r} {key}", problem)

    unknown = sorted(set(item) - _KEYS)
    if unknown:
        raise fail(unknown[0], "unknown key")
    names = {}
    for language in LANGUAGES:
        text = str(item.get(language, "")).strip()
        if not text:
            raise fail(language, "the duty's name in this language is missing")
        names[language] = nfc(text)
    try:
        role = Role.parse(str(item.get("role", "")))
    except UnknownRole as exc:
        raise fail("role", str(exc)) from None
    return Duty(
        id=duty_id,
        names=names,
        role=role,
        recurrence=_recurrence(item, fail, tz),
        reminders=_reminders(item.get("remind", []), fail),
        escalate_after=_optional_offset(item.get("escalate_after"), fail),
        working_day=_rule(item.get("working_day"), default_rule, fail),
        report=_report(item.get("report"), fail),
    )


def _report(value: Any, fail: Fail) -> str | None:
    if value is None:
        return None
    if value not in REPORT_PERIODS:
        raise fail("report", f"must be one of {', '.join(REPORT_PERIODS)}")
    return str(value)


Fail = Callable[[str, str], ConfigError]


def _recurrence(item: dict[str, Any], fail: Fail, tz: ZoneInfo) -> Recurrence:
    if "cron" in item:
        if "every" in item or "time" in item:
            raise fail("cron", "a cron expression gives the time itself: drop 'every' and 'time'")
        try:
            cron_trigger(str(item["cron"]), tz)
        except ValueError as exc:
            raise fail(
                "cron", f"not a cron expression (minute hour day month weekday): {exc}"
            ) from None
        return Recurrence(every="cron", cron=str(item["cron"]))
    every = item.get("every")
    if every not in ("week", "month", "quarter", "half_year", "year"):
        raise fail("every", "must be week, month, quarter, half_year or year (or give 'cron')")
    due_time = _time(item.get("time", "17:00"), fail)
    if every == "week":
        weekday = str(item.get("weekday", "")).lower()[:3]
        if weekday not in WEEKDAYS:
            raise fail("weekday", f"must be one of {', '.join(WEEKDAYS)}")
        return Recurrence(every="week", time=due_time, weekday=WEEKDAYS.index(weekday))
    day = item.get("day")
    if not isinstance(day, int) or isinstance(day, bool) or not (1 <= day <= 31 or day == -1):
        raise fail("day", "must be a day of the month, 1 to 31, or -1 for the last day")
    month = item.get("month", _MONTH_LIMIT.get(every, 1))
    limit = _MONTH_LIMIT.get(every)
    if limit and (not isinstance(month, int) or not 1 <= month <= limit):
        raise fail("month", f"must be 1 to {limit} for every = {every!r}")
    return Recurrence(every=every, time=due_time, month=month, day=day)


def _time(value: Any, fail: Fail) -> time:
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise fail("time", f"not a time like 16:30: {value!r}") from None


def _reminders(value: Any, fail: Fail) -> tuple[tuple[str, timedelta], ...]:
    if not isinstance(value, list):
        raise fail("remind", 'must be a list such as ["7d", "1d", "8h"]')
    result = []
    for text in value:
        try:
            result.append((str(text).strip().lower(), parse_offset(str(text))))
        except ValueError as exc:
            raise fail("remind", str(exc)) from None
    return tuple(result)


def _optional_offset(value: Any, fail: Fail) -> timedelta | None:
    if value is None:
        return None
    try:
        return parse_offset(str(value))
    except ValueError as exc:
        raise fail("escalate_after", str(exc)) from None


def _rule(value: Any, default: WorkingDayRule, fail: Fail) -> WorkingDayRule:
    if value is None:
        return default
    try:
        return WorkingDayRule(str(value))
    except ValueError:
        raise fail("working_day", "must be previous, next or none") from None
