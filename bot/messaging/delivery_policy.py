"""The sender's settings: the `[broadcast]` table of config.toml, validated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.config import ConfigError, Settings

MAX_RATE = 30.0  # Telegram: about 30 messages per second for a bot, across all chats
MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0


@dataclass(frozen=True)
class DeliveryPolicy:
    """How fast and how stubbornly the outbox is drained."""

    rate: float | None = 25.0  # messages/s overall; None (benchmarks only): unlimited
    per_chat_interval: float = 1.05  # Telegram: at most one message per second per chat
    per_group_interval: float = 3.1  # and 20 a minute per group
    margin: float = 0.03  # pacing head-room for network jitter, see bot/pacing.py
    in_flight: int = 32  # rows claimed at once: the duplicate bound after a kill
    connections: int = 8  # requests on the wire at once
    max_attempts: int = 5  # tries of a network error or 5xx before `failed`
    max_flood_waits: int = 20  # 429s honoured for one message before `failed`
    backoff: float = 0.5  # seconds before the first retry, doubling each time
    backoff_max: float = 30.0
    progress_every: float = 2.0  # seconds between progress reports
    idle_poll: float = 1.0  # seconds between looks at an empty outbox
    schedule_check: float = 10.0  # seconds between looks for due scheduled posts
    # An officer or a group whose chat refuses (not opened yet, bot removed)
    # is tried again after these delays, then daily, for `unreachable_for`.
    unreachable_retry: tuple[float, ...] = (MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 6 * HOUR)
    unreachable_every: float = DAY
    unreachable_for: float = 7 * DAY
    pause_check: float = 60.0  # seconds between tries of a channel that is down (401, 404)

    def backoff_for(self, attempts: int) -> float:
        return float(min(self.backoff_max, self.backoff * 2 ** max(0, attempts - 1)))

    def next_try(self, refusals: int, first_refused: float, now: float) -> float | None:
        """When to try an unreachable officer or group again (Unix time); None: give up.

        `refusals` counts the refusals so far, this one included.
        """
        schedule = self.unreachable_retry
        delay = schedule[refusals - 1] if refusals <= len(schedule) else self.unreachable_every
        at = now + delay
        return at if at - first_refused <= self.unreachable_for else None

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryPolicy:
        """Read `[broadcast]`; 25/s by default leaves room for replies within 30/s."""
        section = settings.section("broadcast")
        known = {
            "rate",
            "allow_any_rate",
            "in_flight",
            "connections",
            "max_attempts",
            "retry_backoff",
            "progress_seconds",
            "schedule_check_seconds",
            "unreachable_days",
            "pause_check_seconds",
        }
        unknown = sorted(set(section) - known)
        if unknown:
            raise ConfigError(f"[broadcast] {unknown[0]}", "unknown setting")
        return cls(
            rate=_rate(section, settings.bot_api_url),
            in_flight=int(_number(section, "in_flight", 32, 1, 256)),
            connections=int(_number(section, "connections", 8, 1, 64)),
            max_attempts=int(_number(section, "max_attempts", 5, 1, 20)),
            backoff=_number(section, "retry_backoff", 0.5, 0.01, 60),
            progress_every=_number(section, "progress_seconds", 2.0, 0.1, 60),
            schedule_check=_number(section, "schedule_check_seconds", 10.0, 0.05, 300),
            unreachable_for=DAY * _number(section, "unreachable_days", 7, 1, 60),
            pause_check=_number(section, "pause_check_seconds", 60.0, 1, 3600),
        )


def _rate(section: Mapping[str, Any], api_url: str) -> float | None:
    """At most 30/s, unless a test server is named and `allow_any_rate` is set (0: no pace)."""
    if section.get("allow_any_rate", False) is not True:
        return _number(section, "rate", 25.0, 0.1, MAX_RATE)
    if "api.telegram.org" in api_url:
        raise ConfigError(
            "[broadcast] allow_any_rate", "only for a local test server, never Telegram"
        )
    rate = _number(section, "rate", 25.0, 0, 1_000_000)
    return rate or None


def _number(section: Mapping[str, Any], key: str, default: float, low: float, high: float) -> float:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"[broadcast] {key}", f"must be a number, got {value!r}")
    if not low <= value <= high:
        raise ConfigError(
            f"[broadcast] {key}", f"must be between {low:g} and {high:g}, got {value!r}"
        )
    return float(value)
