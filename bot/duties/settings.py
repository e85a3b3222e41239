"""The `[duties]` table of config.toml: which calendar, and when the jobs run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

from bot.core.config import ConfigError, Settings
from bot.core.paths import CONTENT_DIR
from bot.duties.calendar import WEEKDAYS, DutyCalendar, load_calendar
from bot.duties.recurrence import WorkingDayRule

_KEYS = {
    "calendar", "working_day", "tick_seconds", "sweep_time", "case_warning_days",
    "digest", "digest_weekday", "digest_time",
}  # fmt: skip


@dataclass(frozen=True)
class DutySettings:
    """Validated `[duties]` settings, with the defaults the README documents."""

    calendar: Path = CONTENT_DIR / "duties.toml"
    working_day: WorkingDayRule = WorkingDayRule.PREVIOUS
    tick_seconds: int = 60
    sweep_time: time = time(7, 30)
    case_warning_days: int = 2
    digest: bool = False  # optional: the chairman turns it on
    digest_weekday: int = 0  # Monday
    digest_time: time = time(7, 0)


def duty_settings(section: Mapping[str, Any]) -> DutySettings:
    """Read `[duties]`; ConfigError names the key that is wrong."""
    unknown = sorted(set(section) - _KEYS)
    if unknown:
        raise ConfigError(f"[duties] {unknown[0]}", "unknown key")
    defaults = DutySettings()
    calendar = Path(str(section.get("calendar", defaults.calendar)))
    try:
        rule = WorkingDayRule(str(section.get("working_day", defaults.working_day)))
    except ValueError:
        raise ConfigError("[duties] working_day", "must be previous, next or none") from None
    weekday = str(section.get("digest_weekday", "mon")).lower()[:3]
    if weekday not in WEEKDAYS:
        raise ConfigError("[duties] digest_weekday", f"must be one of {', '.join(WEEKDAYS)}")
    digest = section.get("digest", False)
    if not isinstance(digest, bool):
        raise ConfigError("[duties] digest", "must be true or false")
    return DutySettings(
        calendar=calendar,
        working_day=rule,
        tick_seconds=_int(section, "tick_seconds", defaults.tick_seconds, 5, 3600),
        sweep_time=_time(section, "sweep_time", defaults.sweep_time),
        case_warning_days=_int(section, "case_warning_days", defaults.case_warning_days, 0, 30),
        digest=digest,
        digest_weekday=WEEKDAYS.index(weekday),
        digest_time=_time(section, "digest_time", defaults.digest_time),
    )


def _int(section: Mapping[str, Any], key: str, default: int, low: int, high: int) -> int:
    value = section.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(f"[duties] {key}", f"must be a whole number from {low} to {high}")
    return value


def _time(section: Mapping[str, Any], key: str, default: time) -> time:
    value = section.get(key)
    if value is None:
        return default
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"[duties] {key}", f"not a time like 07:30: {value!r}") from None


def settings_calendar(settings: Settings) -> tuple[DutySettings, DutyCalendar]:
    """`[duties]` and the calendar it names, read and checked (ConfigError if wrong)."""
    own = duty_settings(settings.section("duties"))
    return own, load_calendar(own.calendar, own.working_day, settings.timezone)
