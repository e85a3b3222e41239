"""The `[cases]` table of config.toml: deadlines, routing, limits, reception day."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import time
from typing import Any

from bot.cases.codes import DEFAULT_PREFIX, valid_prefix
from bot.cases.model import Topic
from bot.core.config import ConfigError, nfc
from bot.people.officers import Role, UnknownRole

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class DeadlineRules:
    """Working days allowed by law (DESIGN.md); each one configurable."""

    question: int = 10
    feedback: int = 10
    petition: int = 10
    complaint_accept: int = 10  # Law on Complaints 2011, art. 27
    complaint: int = 30  # art. 28, from acceptance
    complaint_complex: int = 45
    complaint_remote: int = 45
    complaint_remote_complex: int = 60
    denunciation_accept: int = 7  # Law on Denunciations 2018, art. 29
    denunciation: int = 30  # art. 30, from acceptance
    denunciation_extension: int = 30  # once if complex, twice if especially complex
    remote_area: bool = False


@dataclass(frozen=True)
class Reception:
    """When and where the chairman receives citizens (at least one day a week)."""

    weekday: int = 3  # Thursday
    start: time = time(7, 30)
    end: time = time(11, 0)
    place: str = "Trụ sở UBND xã"


# No commune role is "land officer": land matters go to the chairman, money to
# finance, social policy to culture, the rest to the office, unless configured.
DEFAULT_ROUTING: Mapping[Topic, Role] = {
    Topic.LAND: Role.CHAIRMAN,
    Topic.SITE_CLEARANCE: Role.CHAIRMAN,
    Topic.COMPENSATION: Role.FINANCE,
    Topic.RESETTLEMENT: Role.CHAIRMAN,
    Topic.POLLUTION: Role.OFFICE,
    Topic.PUBLIC_ORDER: Role.CHAIRMAN,
    Topic.ROADS: Role.OFFICE,
    Topic.ADMIN_PROCEDURES: Role.OFFICE,
    Topic.SOCIAL_POLICY: Role.CULTURE,
    Topic.OTHER: Role.OFFICE,
}


@dataclass(frozen=True)
class CaseSettings:
    """Everything the cases feature reads from `[cases]`, validated."""

    code_prefix: str = DEFAULT_PREFIX
    max_cases_per_day: int = 5
    duplicate_days: int = 30
    max_file_mb: float = 20.0
    max_files: int = 10
    reopen_days: int = 30
    draft_hours: int = 48
    deadlines: DeadlineRules = field(default_factory=DeadlineRules)
    routing: Mapping[Topic, Role] = field(default_factory=lambda: dict(DEFAULT_ROUTING))
    reception: Reception = field(default_factory=Reception)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)


_SCALARS = ("max_cases_per_day", "duplicate_days", "max_files", "reopen_days", "draft_hours")


def load_case_settings(section: Mapping[str, Any]) -> CaseSettings:
    """Read `[cases]`; every unknown key or bad value raises ConfigError naming it."""
    known = {"code_prefix", "max_file_mb", "deadlines", "routing", "reception", *_SCALARS}
    unknown = sorted(set(section) - known)
    if unknown:
        raise ConfigError(f"[cases] {unknown[0]}", "unknown setting")
    result = CaseSettings()
    prefix = str(section.get("code_prefix", DEFAULT_PREFIX)).upper()
    if not valid_prefix(prefix):
        raise ConfigError("[cases] code_prefix", "1 to 4 letters A-Z")
    values: dict[str, Any] = {"code_prefix": prefix}
    for key in _SCALARS:
        if key in section:
            values[key] = _count(f"[cases] {key}", section[key], minimum=1)
    if "max_file_mb" in section:
        values["max_file_mb"] = _positive(section["max_file_mb"])
    values["deadlines"] = _deadlines(section.get("deadlines", {}))
    values["routing"] = _routing(section.get("routing", {}))
    values["reception"] = _reception(section.get("reception", {}))
    return replace(result, **values)


def _count(setting: str, value: Any, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(setting, f"must be a whole number of at least {minimum}")
    return value


def _positive(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ConfigError("[cases] max_file_mb", "must be a positive number")
    return float(value)


def _table(setting: str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(setting, "must be a table")
    return value


def _deadlines(raw: Any) -> DeadlineRules:
    table = _table("[cases.deadlines]", raw)
    names = {f.name for f in fields(DeadlineRules)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        setting = f"[cases.deadlines] {key}"
        if key not in names:
            raise ConfigError(setting, "unknown setting")
        if key == "remote_area":
            if not isinstance(value, bool):
                raise ConfigError(setting, "must be true or false")
            values[key] = value
        else:
            values[key] = _count(setting, value, minimum=1)
    return DeadlineRules(**values)


def _routing(raw: Any) -> Mapping[Topic, Role]:
    routing = dict(DEFAULT_ROUTING)
    for key, value in _table("[cases.routing]", raw).items():
        setting = f"[cases.routing] {key}"
        try:
            topic = Topic(key)
        except ValueError:
            raise ConfigError(setting, "unknown case topic") from None
        try:
            routing[topic] = Role.parse(str(value))
        except UnknownRole as exc:
            raise ConfigError(setting, str(exc)) from None
    return routing


def _reception(raw: Any) -> Reception:
    table = _table("[cases.reception]", raw)
    unknown = sorted(set(table) - {"weekday", "hours", "place"})
    if unknown:
        raise ConfigError(f"[cases.reception] {unknown[0]}", "unknown setting")
    result = Reception()
    weekday = str(table.get("weekday", WEEKDAYS[result.weekday])).lower()
    if weekday not in WEEKDAYS[:5]:
        raise ConfigError("[cases.reception] weekday", "a working day, monday to friday")
    start, end = result.start, result.end
    if "hours" in table:
        start, end = _hours(str(table["hours"]))
    place = nfc(str(table.get("place", result.place)).strip())
    if not place:
        raise ConfigError("[cases.reception] place", "must not be empty")
    return Reception(WEEKDAYS.index(weekday), start, end, place)


def _hours(text: str) -> tuple[time, time]:
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*", text)
    if match is None:
        raise ConfigError("[cases.reception] hours", 'like "07:30-11:00"')
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        start, end = time(h1, m1), time(h2, m2)
    except ValueError:
        raise ConfigError("[cases.reception] hours", "not a time of day") from None
    if end <= start:
        raise ConfigError("[cases.reception] hours", "the end must come after the start")
    return start, end
