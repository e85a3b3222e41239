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
