"""The `[broadcast]` settings: defaults, limits, and the test-server-only escape hatch."""

from dataclasses import replace

import pytest

from bot.core.config import ConfigError, Settings
from bot.messaging.delivery_policy import DeliveryPolicy


def policy(
    settings: Settings, url: str = "https://api.telegram.org", **table: object
) -> DeliveryPolicy:
    return DeliveryPolicy.from_settings(
        replace(settings, bot_api_url=url, sections={"broadcast": table})
    )


def test_defaults_leave_room_for_replies_under_telegrams_30_per_second(settings: Settings) -> None:
    default = policy(settings)
    assert default.rate == 25 and default.in_flight == 32 and default.max_attempts == 5
    assert policy(settings, rate=30).rate == 30


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ({"rate": 31}, "[broadcast] rate"),
        ({"rate": "fast"}, "[broadcast] rate"),
        ({"in_flight": 0}, "[broadcast] in_flight"),
        ({"speed": 3}, "[broadcast] speed"),
        ({"allow_any_rate": True, "rate": 500}, "[broadcast] allow_any_rate"),
    ],
)
def test_wrong_settings_are_named(settings: Settings, table: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        policy(settings, **table)
    assert caught.value.setting == key


def test_any_rate_only_against_a_local_test_server(settings: Settings) -> None:
    local = "http://127.0.0.1:8081"
    assert policy(settings, local, allow_any_rate=True, rate=500).rate == 500
    assert policy(settings, local, allow_any_rate=True, rate=0).rate is None


MIN, H, D = 60.0, 3600.0, 86400.0


@pytest.mark.parametrize(
    ("refusals", "first", "now", "expected"),
    [
        (1, 0.0, 0.0, MIN),  # 1 min after the first refusal
        (2, 0.0, MIN, MIN + 5 * MIN),  # then 5 min, 30 min, 2 h, 6 h
        (3, 0.0, 6 * MIN, 36 * MIN),
        (4, 0.0, 36 * MIN, 36 * MIN + 2 * H),
        (5, 0.0, 3 * H, 9 * H),
        (6, 0.0, 9 * H, 9 * H + D),  # then daily
        (12, 0.0, 6 * D + 9 * H, None),  # not beyond 7 days after the first refusal
        (11, 0.0, 5 * D + 9 * H, 6 * D + 9 * H),
    ],
)
def test_an_unreachable_officer_is_tried_on_a_bounded_schedule(
    refusals: int, first: float, now: float, expected: float | None
) -> None:
    assert DeliveryPolicy().next_try(refusals, first, now) == expected


def test_the_schedule_and_the_pause_are_settings(settings: Settings) -> None:
    custom = policy(settings, unreachable_days=2, pause_check_seconds=5)
    assert (custom.unreachable_for, custom.pause_check) == (2 * D, 5.0)
    assert (policy(settings).unreachable_for, policy(settings).pause_check) == (7 * D, 60.0)
    for table in ({"unreachable_days": 0}, {"pause_check_seconds": 0.5}):
        with pytest.raises(ConfigError):
            policy(settings, **table)
