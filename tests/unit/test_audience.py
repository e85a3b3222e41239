"""Audience rules: parsing, and who they reach (pure, then the same rule in SQL)."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.core.config import Settings
from bot.messaging.channels import Recipient
from bot.outreach.audience import Audience, AudienceError
from bot.people.citizens import Citizen

NOW = datetime(2026, 1, 1, tzinfo=UTC)
BASE = Citizen(
    1,
    Recipient.telegram(1),
    "A",
    "vi",
    "dong-tam",
    frozenset({"reform"}),
    True,
    False,
    True,
    NOW,
    NOW,
)


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("all", "all"),
        ("village:dong-tam", "village:dong-tam"),
        ("topic:reform, rural", "topic:reform,rural"),
    ],
)
def test_audience_round_trips(settings: Settings, text: str, stored: str) -> None:
    assert str(Audience.parse(text, settings)) == stored


@pytest.mark.parametrize(
    "text", ["everyone", "village:", "village:mars", "topic:football", "all:x"]
)
def test_unknown_audiences_are_refused(settings: Settings, text: str) -> None:
    with pytest.raises(AudienceError):
        Audience.parse(text, settings)


@pytest.mark.parametrize(
    ("audience", "citizen", "reached"),
    [
        (Audience(), BASE, True),
        (Audience(), replace(BASE, subscribed=False), False),
        (Audience(), replace(BASE, blocked=True), False),
        (Audience("village", ("dong-tam", "viet-tien")), BASE, True),
        (Audience("village", ("viet-tien",)), BASE, False),
        (Audience("village", ("viet-tien",)), replace(BASE, village_id=None), False),
        (Audience("topic", ("reform",)), BASE, True),
        (Audience("topic", ("rural",)), BASE, False),
        (Audience("topic", ("rural",)), replace(BASE, topics=frozenset()), False),
    ],
)
def test_who_an_audience_reaches(audience: Audience, citizen: Citizen, reached: bool) -> None:
    assert audience.matches(citizen) is reached


@pytest.mark.parametrize(
    ("audience", "village", "topics", "meant"),
    [
        (Audience(), None, (), True),
        (Audience("village", ("dong-tam",)), "dong-tam", (), True),
        (Audience("village", ("dong-tam",)), "viet-tien", ("dong-tam",), False),
        (Audience("village", ("dong-tam",)), None, (), False),
        (Audience("topic", ("reform", "rural")), None, ("rural",), True),
        (Audience("topic", ("reform",)), "dong-tam", (), False),
    ],
)
def test_whom_a_post_was_meant_for_regardless_of_subscription(
    audience: Audience, village: str | None, topics: tuple[str, ...], meant: bool
) -> None:
    assert audience.addresses(village, topics) is meant
    unsubscribed = replace(BASE, village_id=village, topics=frozenset(topics), subscribed=False)
    assert audience.matches(unsubscribed) is False
    assert audience.matches(replace(unsubscribed, subscribed=True)) is meant


def test_toggling_switches_kind_and_items() -> None:
    village = Audience().toggled("village", "a").toggled("village", "b").toggled("village", "a")
    assert village == Audience("village", ("b",))
    assert village.toggled("topic", "x") == Audience("topic", ("x",))
