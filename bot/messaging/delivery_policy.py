"""The sender's settings: the `[broadcast]` table of config.toml, validated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.config import ConfigError, Settings

MAX_RATE = 30.0  # Telegram: about 30 messages per second for a bot, across all chats


@dataclass(frozen=True)
class DeliveryPolicy:
    """How fast and how stubbornly the outbox is drained."""

    rate: float | None = 25.0  # messages/s overall; None (benchmarks only): unlimited
    per_chat_interval: float = 1.05  # Telegram: at most one message per second per chat
    per_group_interval: float = 3.1  # and 20 a minute per group
    margin: float = 0.03  # pacing head-room for network jitter, see bot/pacing.py
    in_flight: int = 32  # rows claimed at once: the duplicate bound after a kill
    # Requests on the wire at once: keep-alive connections of the text path
    # (handlers/bot_api_http.py), and PTB's pools for files.
    connections: int = 8
    max_attempts: int = 5  # tries of a network error or 5xx before `failed`
    max_flood_waits: int = 20  # 429s honoured for one message before `failed`
    backoff: float = 0.5  # seconds before the first retry, doubling each time
    backoff_max: float = 30.0
    progress_every: float = 2.0  # seconds between progress reports
    idle_poll: float = 1.0  # seconds between looks at an empty outbox
    schedule_check: float = 10.0  # seconds between looks for due scheduled posts

    def backoff_for(self, attempts: int) -> float:
        return float(min(self.backoff_max, self.backoff * 2 ** max(0, attempts - 1)))

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
